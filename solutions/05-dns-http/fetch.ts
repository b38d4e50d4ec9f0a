/**
 * Lesson 5, reference: `fetch URL`, by hand.
 *
 * What a browser does for `http://site.loc/`: ask DNS for the address of
 * `site.loc`, connect to it, write the request (a request line, headers, an
 * empty line), read the response (a status line, headers, an empty line, a
 * body whose end is given by Content-Length, by chunks, or by the connection
 * closing), follow a redirect if there is one, and reuse the connection when
 * the server keeps it open.
 *
 * @module
 */
import { hostPort, ProgramError } from "@course/program.ts";

/** How `runFetch` is configured; `main.ts` fills it from the command line. */
export interface FetchOptions {
  url: string;
  /** The DNS server to ask (`127.0.0.1:1053`); undefined: the system's resolver. */
  dns?: { ipAddr: string; port: number };
  /** Redirects to follow before giving up. */
  maxRedirects: number;
  /** With a body, the request is a POST. */
  data?: string;
  /** Print the exchange like `curl -v`: `> ` request lines, `< ` response lines, `* ` notes. */
  verbose: boolean;
  /** Give up on any one step (DNS, connect, response) after this many ms. */
  timeoutMs: number;
  log: (line: string) => void;
}

/** A response as read off the wire. */
export interface Response {
  version: string;
  status: number;
  reason: string;
  /** Header names in lower case; a repeated header keeps its values joined by ", ". */
  headers: Map<string, string>;
  body: Uint8Array;
  /** Whether the server keeps the connection open for another request. */
  keepAlive: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** The longest status line or header line taken, in bytes, its CRLF not counted. */
const MAX_LINE = 8 * 1024;
/** The whole head in bytes: the status line, the header lines and the empty line, CRLFs included. */
const MAX_HEAD = 64 * 1024;
/** The largest body taken. */
const MAX_BODY = 16 * 1024 * 1024;

/** A failure to show in one line: what went wrong, in HTTP or DNS terms. */
export class FetchError extends ProgramError {
  override name = "FetchError";
}

/** Fetches `options.url`, following redirects; prints the final body. Throws FetchError unless it ends in 2xx. */
export async function runFetch(options: FetchOptions): Promise<Response> {
  const pool = new Map<string, Connection>();
  const note = (line: string) => options.verbose && options.log(line);
  let url = parseUrl(options.url);
  let method = options.data === undefined ? "GET" : "POST";
  let body = options.data;
  const seen = [url.href];
  // A name asked once is not asked again in the same run (a browser keeps answers for their time to live).
  const addresses = new Map<string, string>();
  try {
    for (let redirects = 0;; redirects++) {
      const address = addresses.get(url.hostname) ?? await resolve(url.hostname, options, note);
      addresses.set(url.hostname, address);
      const key = hostPort(address, Number(url.port || 80));
      let conn = pool.get(key);
      if (conn) note(`* reusing the connection to ${key} (kept alive)`);
      else {
        conn = await Connection.open(address, Number(url.port || 80), options.timeoutMs);
        pool.set(key, conn);
        note(`* connected to ${key}`);
      }
      const response = await conn.exchange(requestFor(method, url, body), method, options, note);
      if (!response.keepAlive) {
        conn.close();
        pool.delete(key);
        note(`* the server closes the connection`);
      }
      const location = response.headers.get("location");
      if ([301, 302, 303, 307, 308].includes(response.status) && location !== undefined) {
        if (redirects >= options.maxRedirects) {
          throw new FetchError(`too many redirects (${options.maxRedirects}): ${seen.join(" → ")} → ${location}`);
        }
        const next = new URL(location, url);
        if (seen.includes(next.href)) throw new FetchError(`redirect loop: ${[...seen, next.href].join(" → ")}`);
        seen.push(next.href);
        note(`* following ${response.status} to ${next.href}`);
        // 303 always, and 301/302 after a POST in practice, turn the request into a GET.
        if (response.status === 303 || (response.status <= 302 && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        url = parseUrl(next.href);
        continue;
      }
      const text = decoder.decode(response.body);
      if (text) options.log(text.endsWith("\n") ? text.slice(0, -1) : text);
      if (response.status < 200 || response.status > 299) {
        throw new FetchError(`the server answered ${response.status} ${response.reason} for ${url.href}`);
      }
      return response;
    }
  } finally {
    for (const conn of pool.values()) conn.close();
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError(`not a URL: ${text}`);
  }
  if (url.protocol !== "http:") throw new FetchError(`only http:// URLs are spoken here, not ${url.protocol}//`);
  return url;
}

/** The host's address: itself when it is an IP literal, else asked of DNS (A first, then AAAA). */
async function resolve(host: string, options: FetchOptions, note: (line: string) => void): Promise<string> {
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(literal) || literal.includes(":")) return literal;
  const where = options.dns ? hostPort(options.dns.ipAddr, options.dns.port) : "the system's resolver";
  for (const type of ["A", "AAAA"] as const) {
    try {
      const answers = await Deno.resolveDns(literal, type, {
        ...(options.dns ? { nameServer: options.dns } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (answers.length > 0) {
        note(`* ${literal} is ${answers.join(", ")} (${type}, asked ${where})`);
        return answers[0];
      }
    } catch (error) {
      if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new FetchError(`no answer from the DNS server ${where} within ${options.timeoutMs} ms`);
      }
      // Deno's resolver gives up by itself after two tries of about a second each, whatever --timeout allows.
      if (error instanceof Deno.errors.TimedOut) {
        throw new FetchError(`no answer from the DNS server ${where} (the resolver gave up after its own tries)`);
      }
      // Anything else (an answer cut short, which the resolver retries over TCP, and the TCP retry refused): one line
      // that names the server, like the two above, and not an exception with a place in this file.
      if (!(error instanceof Deno.errors.NotFound)) {
        const why = error instanceof Error ? error.message : String(error);
        throw new FetchError(`the DNS server ${where} gave no usable answer about ${literal}: ${why}`);
      }
    }
  }
  throw new FetchError(`cannot resolve ${literal}: ${where} knows no such name (NXDOMAIN, or no A or AAAA record)`);
}

/** The request's bytes: request line, headers, empty line, body. */
function requestFor(method: string, url: URL, body?: string): Uint8Array {
  const lines = [
    `${method} ${url.pathname}${url.search} HTTP/1.1`,
    // Host names the site, port included when it is not 80: one address may serve many sites.
    `Host: ${url.host}`,
    "User-Agent: deno-course-fetch/1",
    "Accept: */*",
    "Connection: keep-alive",
  ];
  const bytes = body === undefined ? undefined : encoder.encode(body);
  if (bytes) lines.push("Content-Type: text/plain; charset=utf-8", `Content-Length: ${bytes.length}`);
  const head = encoder.encode(`${lines.join("\r\n")}\r\n\r\n`);
  if (!bytes) return head;
  const all = new Uint8Array(head.length + bytes.length);
  all.set(head);
  all.set(bytes, head.length);
  return all;
}

/** One TCP connection to a server, with buffered reading for the response parser. */
class Connection {
  #conn: Deno.Conn;
  /** Where read bytes are kept; it doubles when it must, so reading N bytes costs time in proportion to N. */
  #store = new Uint8Array(64 * 1024);
  /** The bytes read and not yet taken: a view into #store, which the next read extends. */
  #buffer = this.#store.subarray(0, 0);
  /** How many bytes #take has handed out so far (the head's size is counted with it). */
  #taken = 0;
  #closed = false;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  static async open(hostname: string, port: number, timeoutMs: number): Promise<Connection> {
    const connecting = Deno.connect({ hostname, port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return new Connection(
        await Promise.race([
          connecting,
          new Promise<never>((_, reject) =>
            timer = setTimeout(
              () => reject(new FetchError(`no connection to ${hostPort(hostname, port)} within ${timeoutMs} ms`)),
              timeoutMs,
            )
          ),
        ]),
      );
    } catch (error) {
      connecting.then((conn) => conn.close(), () => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch { /* closed already */ }
  }

  /** Writes `request`, reads one whole response. */
  async exchange(request: Uint8Array, method: string, options: FetchOptions, note: (line: string) => void) {
    const head = decoder.decode(request).split("\r\n\r\n")[0];
    for (const line of head.split("\r\n")) note(`> ${line}`);
    note(">");
    for (let at = 0; at < request.length;) at += await this.#conn.write(request.subarray(at));
    // A server that never answers must not hold us forever: the deadline closes the connection.
    const timer = setTimeout(() => this.close(), options.timeoutMs);
    try {
      // A 1xx is interim (RFC 9110, 15.2): 100 Continue, 103 Early Hints. The answer comes after it, on the same
      // connection and within the same deadline. A 101 is not interim: it would switch protocols, never asked here.
      while (true) {
        const response = await this.#readResponse(method, note);
        if (response.status >= 200 || response.status === 101) return response;
        note(`* ${response.status} is an interim response: reading on for the answer`);
      }
    } catch (error) {
      if (this.#closed && !(error instanceof FetchError)) {
        throw new FetchError(`no complete response within ${options.timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #readResponse(method: string, note: (line: string) => void): Promise<Response> {
    const start = this.#taken;
    const statusLine = await this.#line("the status line");
    const match = statusLine.match(/^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/);
    if (!match) throw new FetchError(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    note(`< ${statusLine}`);
    const headers = new Map<string, string>();
    const counts = new Map<string, string[]>();
    while (true) {
      const line = await this.#line("a header line");
      if (this.#taken - start > MAX_HEAD) {
        throw new FetchError(`the response headers are longer than ${MAX_HEAD} bytes`);
      }
      if (line === "") break;
      note(`< ${line}`);
      const colon = line.indexOf(":");
      if (colon <= 0) throw new FetchError(`not a header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      // Kept as lists and joined once at the end: joining at every line would copy the list each time, and a
      // head of thousands of repeated lines would then cost memory in proportion to its length squared.
      const values = counts.get(name);
      if (values) values.push(value);
      else counts.set(name, [value]);
    }
    for (const [name, values] of counts) headers.set(name, values.join(", "));
    note("<");
    const version = match[1];
    const status = Number(match[2]);
    const connection = headers.get("connection")?.toLowerCase() ?? "";
    let keepAlive = version === "HTTP/1.1" ? !connection.includes("close") : connection.includes("keep-alive");

    // The body's framing (RFC 9112, 6.3), in this order.
    let body: Uint8Array;
    const transfer = headers.get("transfer-encoding");
    const lengths = counts.get("content-length");
    if (method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = new Uint8Array(0);
    } else if (transfer !== undefined) {
      if (lengths) {
        throw new FetchError("the response has both Transfer-Encoding and Content-Length: refused (request smuggling)");
      }
      if (transfer.toLowerCase().split(",").at(-1)!.trim() !== "chunked") {
        throw new FetchError(`unsupported Transfer-Encoding: ${transfer}`);
      }
      body = await this.#chunked();
    } else if (lengths) {
      const values = new Set(lengths.flatMap((v) => v.split(",").map((s) => s.trim())));
      const [only] = values;
      if (values.size !== 1 || !/^\d+$/.test(only)) throw new FetchError(`a bad Content-Length: ${lengths.join(", ")}`);
      const length = Number(only);
      if (length > MAX_BODY) throw new FetchError(`a body of ${length} bytes, over the ${MAX_BODY}-byte limit`);
      body = await this.#exactly(length, "the body (Content-Length)");
    } else {
      body = await this.#untilClose();
      keepAlive = false;
    }
    return { version, status, reason: match[3] ?? "", headers, body, keepAlive };
  }

  /** One line ending in CRLF (a bare LF is accepted too), without it; at most MAX_LINE bytes before the CRLF. */
  async #line(what: string): Promise<string> {
    while (true) {
      const at = this.#buffer.indexOf(0x0a);
      if (at >= 0) {
        const end = at > 0 && this.#buffer[at - 1] === 0x0d ? at - 1 : at;
        if (end > MAX_LINE) throw new FetchError(`${what} is longer than ${MAX_LINE} bytes`);
        return decoder.decode(this.#take(at + 1).subarray(0, end));
      }
      // No LF yet: the line's CR may be the last byte held, so past MAX_LINE + 1 bytes it is too long either way.
      if (this.#buffer.length > MAX_LINE + 1) throw new FetchError(`${what} is longer than ${MAX_LINE} bytes`);
      if (!await this.#fill()) throw new FetchError(`the connection closed in the middle of ${what}`);
    }
  }

  async #exactly(count: number, what: string): Promise<Uint8Array> {
    while (this.#buffer.length < count) {
      if (!await this.#fill()) {
        throw new FetchError(`the connection closed ${count - this.#buffer.length} bytes short of ${what}`);
      }
    }
    return this.#take(count);
  }

  /** A chunked body: `SIZE-IN-HEX[;ext]` CRLF, the bytes, CRLF; until a 0-size chunk and the trailers. */
  async #chunked(): Promise<Uint8Array> {
    // One buffer that doubles as it fills, not a list of the chunks: a million 1-byte chunks would be a million
    // small arrays, each costing far more than its byte. So the memory is bounded by MAX_BODY, whatever the sizes.
    let body = new Uint8Array(16 * 1024);
    let total = 0;
    while (true) {
      const sizeLine = await this.#line("a chunk size");
      const size = parseInt(sizeLine.split(";")[0].trim(), 16);
      if (!/^[0-9a-fA-F]+$/.test(sizeLine.split(";")[0].trim()) || Number.isNaN(size)) {
        throw new FetchError(`not a chunk size: ${JSON.stringify(sizeLine.slice(0, 40))}`);
      }
      if (size === 0) break;
      if (total + size > MAX_BODY) throw new FetchError(`a chunked body over the ${MAX_BODY}-byte limit`);
      const chunk = await this.#exactly(size, "a chunk");
      if (total + size > body.length) {
        const bigger = new Uint8Array(Math.max(2 * body.length, total + size));
        bigger.set(body.subarray(0, total));
        body = bigger;
      }
      body.set(chunk, total);
      total += size;
      if (await this.#line("the end of a chunk") !== "") throw new FetchError("a chunk is not followed by CRLF");
    }
    while (await this.#line("the trailers") !== "") { /* trailers are not used here */ }
    return body.subarray(0, total);
  }

  async #untilClose(): Promise<Uint8Array> {
    while (await this.#fill()) {
      if (this.#buffer.length > MAX_BODY) throw new FetchError(`a body over the ${MAX_BODY}-byte limit`);
    }
    return this.#take(this.#buffer.length);
  }

  /** Reads more into the buffer (at least 64 KiB of room after it); false at EOF. */
  async #fill(): Promise<boolean> {
    const room = 64 * 1024;
    const held = this.#buffer.length;
    if (this.#store.length - (this.#buffer.byteOffset + held) < room) {
      // Move the unread bytes to the front, into a store twice as big when they would fill more than half of it.
      const store = held + room > this.#store.length / 2 ? new Uint8Array(2 * (held + room)) : this.#store;
      if (store === this.#store) store.copyWithin(0, this.#buffer.byteOffset, this.#buffer.byteOffset + held);
      else store.set(this.#buffer);
      this.#store = store;
      this.#buffer = store.subarray(0, held);
    }
    const end = this.#buffer.byteOffset + held;
    const n = await this.#conn.read(this.#store.subarray(end));
    if (n === null) return false;
    this.#buffer = this.#store.subarray(this.#buffer.byteOffset, end + n);
    return true;
  }

  /** The first `count` bytes of the buffer, copied out; the buffer keeps the rest. */
  #take(count: number): Uint8Array {
    const taken = this.#buffer.slice(0, count);
    this.#buffer = this.#buffer.subarray(count);
    this.#taken += count;
    return taken;
  }
}
