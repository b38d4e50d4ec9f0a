// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars prefer-const
/**
 * Lesson 5, your part: `fetch URL`, by hand.
 *
 * What a browser does for `http://site.loc/`: ask DNS for the address of
 * `site.loc`, connect to it, write the request (a request line, headers, an
 * empty line), read the response (a status line, headers, an empty line, a
 * body whose end is given by Content-Length, by chunks, or by the connection
 * closing), follow a redirect if there is one, and reuse the connection when
 * the server keeps it open.
 *
 * Given: the command line, the connection pool, buffered reading (#line,
 * #fill, #take), headers into a Map. Yours: DNS, the request, the body's
 * framing, and redirects. Read lessons/05-dns-http/README.md first.
 *
 * @module
 */
import { hostPort, ProgramError, todo } from "@course/program.ts";

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
        todo(
          import.meta.url,
          6,
          {
            en:
              "follow the redirect: past options.maxRedirects, or to a URL already in seen, throw a FetchError saying so (redirect loop). Else next = new URL(location, url) (Location may be relative), push its href on seen, turn a POST into a GET after 303 (and 301/302), set url = parseUrl(next.href), and continue the loop",
            ru:
              "последовать перенаправлению: если перенаправлений больше options.maxRedirects или URL уже есть в seen, бросить FetchError, который об этом говорит (цикл перенаправлений). Иначе next = new URL(location, url) (Location может быть относительным), добавить его href в seen, после 303 (а также 301/302) превратить POST в GET, присвоить url = parseUrl(next.href) и продолжить цикл (continue)",
          },
        );
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
  return await todo(
    import.meta.url,
    1,
    {
      en:
        'ask DNS: Deno.resolveDns(literal, "A", { nameServer: options.dns, signal: AbortSignal.timeout(options.timeoutMs) }), then "AAAA" if no A (NotFound included); return the first address. NotFound for both means no such name: throw a FetchError that names the name. A timeout: a FetchError that names the DNS server (where); any other error too',
      ru:
        'спросить DNS: Deno.resolveDns(literal, "A", { nameServer: options.dns, signal: AbortSignal.timeout(options.timeoutMs) }), затем "AAAA", если записей A нет (в том числе при NotFound); вернуть первый адрес. NotFound на оба вопроса значит, что такого имени нет: бросить FetchError, где названо это имя. Таймаут: FetchError, где назван DNS-сервер (where); любая другая ошибка тоже',
    },
  );
}

/** The request's bytes: request line, headers, empty line, body. */
function requestFor(method: string, url: URL, body?: string): Uint8Array {
  return todo(
    import.meta.url,
    2,
    {
      en:
        "the request's bytes: `METHOD PATH?QUERY HTTP/1.1`, then Host (url.host: name and port), User-Agent, Accept and Connection: keep-alive; with a body also Content-Type and Content-Length; every line ends in \\r\\n, then an empty line, then the body",
      ru:
        "собрать байты запроса: `METHOD PATH?QUERY HTTP/1.1`, затем Host (url.host: имя и порт), User-Agent, Accept и Connection: keep-alive; если есть тело, ещё Content-Type и Content-Length; каждая строка кончается на \\r\\n, затем пустая строка, затем тело",
    },
  );
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
    let body: Uint8Array = await todo(
      import.meta.url,
      3,
      {
        en:
          "frame the body: none after HEAD, 1xx, 204, 304. Transfer-Encoding: refuse it together with Content-Length (a FetchError), else this.#chunked(). Content-Length (counts.get): one number, this.#exactly(length, …). Neither: this.#untilClose(), and then keepAlive = false",
        ru:
          "выбрать кадрирование тела: после HEAD, 1xx, 204, 304 тела нет. Transfer-Encoding: вместе с Content-Length отвергнуть (FetchError), иначе this.#chunked(). Content-Length (counts.get): одно число, this.#exactly(length, …). Ни того ни другого: this.#untilClose(), а затем keepAlive = false",
      },
    );
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
    return await todo(
      import.meta.url,
      4,
      {
        en:
          "fill the buffer (this.#fill(), false at EOF: then a FetchError) until it holds count bytes, not once; then this.#take(count)",
        ru:
          "заполнять буфер (this.#fill(), при EOF даёт false: тогда FetchError), пока в нём не окажется count байтов, а не один раз; затем this.#take(count)",
      },
    );
  }

  /** A chunked body: `SIZE-IN-HEX[;ext]` CRLF, the bytes, CRLF; until a 0-size chunk and the trailers. */
  async #chunked(): Promise<Uint8Array> {
    return await todo(
      import.meta.url,
      5,
      {
        en:
          'chunks: a line with the size in hex (ignore ";extension"), that many bytes (this.#exactly), an empty line; until size 0; then trailer lines until an empty one. Return the chunks joined',
        ru:
          'читать куски: строка с размером в шестнадцатеричной записи (";extension" пропустить), столько байтов (this.#exactly), пустая строка; и так до размера 0; затем строки трейлеров до пустой. Вернуть куски, склеенные вместе',
      },
    );
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
