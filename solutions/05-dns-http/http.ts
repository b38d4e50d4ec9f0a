/**
 * Lesson 5, given: a small HTTP/1.1 server written on `Deno.listen`, so the
 * server side of the exchange is as visible as the client's. You do not edit
 * this file.
 *
 * Routes (the course material's example, and the framings a client meets):
 * - `GET /` → `302 Found`, `Location: /posts`
 * - `GET /posts` → `200`, an HTML page, framed by `Content-Length`
 * - `POST /posts` → `201 Created`, the post it was sent, echoed back
 * - `GET /chunked` → `200`, `Transfer-Encoding: chunked`, in several chunks
 * - `GET /until-close` → `200`, no length: the body ends when the connection does
 * - anything else → `404`
 *
 * Connections stay open for the next request (HTTP/1.1 persistence) unless
 * the request is HTTP/1.0 or says `Connection: close`.
 *
 * What it refuses, and why (RFC 9112, RFC 9110), since a server meets
 * clients that are broken or hostile, not only browsers:
 * - a request whose body length is unclear: `Transfer-Encoding` together with
 *   `Content-Length` (the way to smuggle a second request past a proxy that
 *   reads the other one), a `Content-Length` that is not plain digits (`+5`,
 *   `0x5`, `1e1`) or says two different numbers, a `Transfer-Encoding` that
 *   does not end in `chunked`: 400, then close, since the next request's start
 *   is unknown;
 * - `Host : x` (space before the colon), two Host lines, a folded line: 400;
 * - a head over 8 KiB: 431 (414 when the request line alone is); a body over
 *   64 KiB: 413;
 * - an `Expect` other than `100-continue`: 417 (a request that says
 *   `Expect: 100-continue` gets `100 Continue` just before its body is read);
 * - a client too slow to send a whole request within `--timeout` (10 s), or
 *   silent that long between requests: 408 if it had begun one, then close;
 * - more than `--max-connections` (256) clients at once: 503 to the next one.
 *
 * It takes a bare LF as the end of a line (RFC 9112, 2.2 allows it), so a
 * request typed into `nc` without `-C` works; a bare CR is refused.
 * Targets may be absolute (`GET http://site.loc/posts`), as RFC 9112, 3.2.2
 * requires a server to accept. Anything it prints from the network, it prints
 * with control characters escaped (`\x1b`), so a request cannot drive the
 * operator's terminal.
 *
 * @module
 */
import { acceptFailureLog, formatAddr, outOfResources } from "@course/program.ts";

/** How `runHttpServer` is configured. */
export interface HttpOptions {
  host: string;
  port: number;
  log: (line: string) => void;
  signal: AbortSignal;
  /** Ms a client has to send each whole request, counted from the connection's start or the previous answer. */
  timeoutMs?: number;
  /** Clients served at once; the next one gets 503 and is closed. */
  maxConnections?: number;
}

const encoder = new TextEncoder();
/** The most bytes a request's head (request line, header lines, empty line) may have. */
const MAX_HEAD = 8 * 1024;
/** The largest request body taken. */
const MAX_BODY = 64 * 1024;
/** The interim response that tells a client which said `Expect: 100-continue` to send its body. */
const CONTINUE = encoder.encode("HTTP/1.1 100 Continue\r\n\r\n");
/** The default for `timeoutMs`. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The default for `maxConnections`. */
export const MAX_CONNECTIONS = 256;
/** A field name or method: RFC 9110's `token`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A parsed request. */
interface Request {
  method: string;
  /** The target as sent: `/posts`, or in absolute form `http://site.loc/posts`. */
  target: string;
  /** The path and query the routes match: the target itself, or an absolute target's path. */
  path: string;
  version: string;
  /** Header names in lower case, each with every value it was sent with, in order. */
  headers: Map<string, string[]>;
  body: Uint8Array;
}

/** Why a request was refused: the status to answer, and the reason (sent as the body and logged). */
interface Refusal {
  status: number;
  error: string;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Content Too Large",
  414: "URI Too Long",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

const posts: string[] = ["Hello, sockets", "Why TCP carries bytes, not messages"];

/** Serves until `signal` is aborted; the first line logged is `listening on HOST:PORT`. */
export async function runHttpServer(options: HttpOptions): Promise<void> {
  const limit = options.maxConnections ?? MAX_CONNECTIONS;
  const listener = Deno.listen({ hostname: options.host, port: options.port });
  options.log(`listening on ${formatAddr(listener.addr)}`);
  const open = new Set<Deno.Conn>();
  options.signal.addEventListener("abort", () => {
    listener.close();
    for (const conn of open) conn.close();
  }, { once: true });
  const jobs = new Set<Promise<void>>();
  // Clients turned away since the cap was reached: logged as one count, not a line each.
  let refused = 0;
  const acceptFailed = acceptFailureLog(options.log);
  while (true) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      // One connection's failure (reset before accept): the next one is fine. Out of descriptors, every accept fails
      // until a connection closes: wait a little, or the loop would spin.
      acceptFailed(error);
      if (outOfResources(error)) await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (open.size >= limit) {
      if (refused++ === 0) options.log(`at the cap of ${limit} connections: answering 503 to new ones`);
      // A few bytes into a fresh socket's empty buffer do not wait; nothing is read, so nothing is held.
      conn.write(encoder.encode(headLines(503, { "retry-after": "1", "content-length": "0" }, true, false)))
        .catch(() => {})
        .finally(() => conn.close());
      continue;
    }
    if (refused > 0) {
      options.log(`below the cap again; ${refused} connection${refused === 1 ? "" : "s"} got 503 meanwhile`);
      refused = 0;
    }
    open.add(conn);
    const job = serve(conn, options).finally(() => open.delete(conn));
    jobs.add(job);
    job.finally(() => jobs.delete(job));
  }
  await Promise.allSettled(jobs);
  options.log("http server stopped");
}

/** Serves one connection, request after request. Never throws. */
async function serve(conn: Deno.Conn, options: HttpOptions): Promise<void> {
  const peer = formatAddr(conn.remoteAddr);
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const reader = new Reader(conn);
  let served = 0;
  try {
    while (true) {
      // Each request, head and body, must arrive whole within timeoutMs of the previous answer (or of the connect).
      reader.deadline = performance.now() + timeoutMs;
      // A client that says Expect: 100-continue waits for this go-ahead before it sends the body.
      const request = await readRequest(reader, () => writeAll(conn, CONTINUE));
      if (request === null) break; // the client closed, or stayed silent, between requests
      if ("error" in request) {
        options.log(`${peer}: ${request.status} ${REASONS[request.status]} (${request.error})`);
        // The request's end is unknown, so nothing after it can be read as the next one: answer, then close.
        await withDeadline(conn, timeoutMs, () =>
          respond(
            conn,
            request.status,
            { "content-type": "text/plain; charset=utf-8" },
            `${request.error}\n`,
            true,
          ));
        break;
      }
      served++;
      const close = request.version === "HTTP/1.0" || tokens(request.headers.get("connection")).includes("close");
      options.log(
        `${peer}: ${request.method} ${request.target} ${request.version} (request ${served} on this connection)`,
      );
      // A client that does not read its answer must not hold the server either.
      await withDeadline(conn, timeoutMs, () => route(conn, request, close));
      if (close || request.path === "/until-close") break;
    }
  } catch (error) {
    if (!options.signal.aborted) options.log(`${peer}: ${error instanceof Error ? error.name : error}`);
  } finally {
    try {
      conn.close();
    } catch { /* closed on stop */ }
  }
}

/** Runs `work` (writing an answer); past `ms`, closes `conn`, which makes the pending write fail. */
async function withDeadline(conn: Deno.Conn, ms: number, work: () => Promise<void>): Promise<void> {
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed already */ }
  }, ms);
  try {
    await work();
  } finally {
    clearTimeout(timer);
  }
}

async function route(conn: Deno.Conn, request: Request, close: boolean): Promise<void> {
  const html = { "content-type": "text/html; charset=utf-8" };
  if (request.method === "GET" && request.path === "/") {
    return respond(conn, 302, { location: "/posts" }, "", close);
  }
  if (request.method === "GET" && request.path === "/posts") {
    const items = posts.map((p) => `  <li>${escape(p)}</li>`).join("\n");
    return respond(conn, 200, html, `<!doctype html>\n<title>Posts</title>\n<ul>\n${items}\n</ul>\n`, close);
  }
  if (request.method === "POST" && request.path === "/posts") {
    const text = new TextDecoder().decode(request.body).trim() || "(empty)";
    posts.push(text);
    return respond(conn, 201, { ...html, location: `/posts/${posts.length}` }, `<p>${escape(text)}</p>\n`, close);
  }
  if (request.method === "GET" && request.path === "/chunked") {
    // Each chunk: its size in hex, CRLF, the bytes, CRLF; a 0-size chunk ends the body.
    const head = headLines(200, { ...html, "transfer-encoding": "chunked" }, close, false);
    await writeAll(conn, encoder.encode(head));
    for (const piece of ["<p>sent in ", "three ", "chunks</p>\n"]) {
      const bytes = encoder.encode(piece);
      await writeAll(conn, encoder.encode(`${bytes.length.toString(16)}\r\n`));
      await writeAll(conn, bytes);
      await writeAll(conn, encoder.encode("\r\n"));
    }
    return writeAll(conn, encoder.encode("0\r\n\r\n"));
  }
  if (request.method === "GET" && request.path === "/until-close") {
    // No Content-Length, no chunks: the end of the connection is the end of the body.
    await writeAll(conn, encoder.encode(headLines(200, { ...html, connection: "close" }, true, false)));
    return writeAll(conn, encoder.encode("<p>this body ends when the connection does</p>\n"));
  }
  return respond(conn, 404, { "content-type": "text/plain; charset=utf-8" }, `no ${request.path} here\n`, close);
}

/** The status line and headers; with `open`, without the blank line, so Content-Length can follow. */
function headLines(code: number, headers: Record<string, string>, close: boolean, open = true) {
  const reason = REASONS[code] ??
    { 200: "OK", 201: "Created", 302: "Found", 404: "Not Found" }[code] ?? "";
  const lines = [`HTTP/1.1 ${code} ${reason}`, `date: ${new Date().toUTCString()}`, "server: deno-course"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (close && !("connection" in headers)) lines.push("connection: close");
  if (!open) return `${lines.join("\r\n")}\r\n\r\n`;
  return `${lines.join("\r\n")}\r\n`;
}

async function respond(
  conn: Deno.Conn,
  code: number,
  headers: Record<string, string>,
  body: string,
  close: boolean,
): Promise<void> {
  const bytes = encoder.encode(body);
  const head = encoder.encode(headLines(code, headers, close) + `content-length: ${bytes.length}\r\n\r\n`);
  // Head and body in one write. Two small writes on a kept-alive connection meet Nagle's algorithm: the kernel
  // holds the second until the first is acknowledged, and the client's kernel delays that acknowledgement
  // (about 40 ms on Linux), so every response after the first would arrive 40 ms late.
  const message = new Uint8Array(head.length + bytes.length);
  message.set(head);
  message.set(bytes, head.length);
  await writeAll(conn, message);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** Text from the network made safe for a terminal: control characters (and `\`) as escapes, e.g. ESC as `\x1b`. */
export function printable(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x1f\x7f-\x9f\\]/g,
    (c) => c === "\\" ? "\\\\" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/** A header's comma-separated values, trimmed, lower case: `Connection: keep-alive, Close` → two tokens. */
function tokens(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim().toLowerCase()).filter((v) => v !== "");
}

/** Buffered reads with a deadline: a line, or an exact count. */
class Reader {
  #conn: Deno.Conn;
  /** Where read bytes are kept; the unread ones are #store[#start, #end). It grows only as far as a read needs. */
  #store = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  /** A read still pending after a deadline passed: the next read waits for it instead of starting another. */
  #pending: Promise<number | null> | undefined;
  /** When reading must be done, in performance.now() ms; past it, reads give "timeout". */
  deadline = Infinity;
  /** Bytes taken by `line` and `exactly` since the last `count()`. */
  #counted = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Whether bytes are held that no line or count has taken yet. */
  get holding(): boolean {
    return this.#end > this.#start;
  }

  /** Bytes taken since the last call, and starts counting again. */
  count(): number {
    const counted = this.#counted;
    this.#counted = 0;
    return counted;
  }

  /**
   * One line, without its LF and a CR before it, as one character per byte; at most `max` bytes before the LF.
   * "eof" when the stream ends first (`holding` says whether it ended in the middle of the line).
   */
  async line(max: number): Promise<string | "too long" | "eof" | "timeout"> {
    let from = this.#start;
    while (true) {
      const at = this.#store.subarray(from, this.#end).indexOf(0x0a);
      if (at >= 0) {
        const lf = from + at;
        const end = lf > this.#start && this.#store[lf - 1] === 0x0d ? lf - 1 : lf;
        if (end - this.#start > max) return "too long";
        const line = String.fromCharCode(...this.#store.subarray(this.#start, end));
        this.#take(lf + 1 - this.#start);
        return line;
      }
      // No LF yet: past max + 1 bytes (the last may be the CR) the line is too long, whatever comes next.
      if (this.#end - this.#start > max + 1) return "too long";
      from = this.#end;
      const more = await this.#more(max + 2);
      if (more !== "ok") return more;
    }
  }

  /** Exactly `count` bytes, copied out; "eof" if the stream ends first. */
  async exactly(count: number): Promise<Uint8Array | "eof" | "timeout"> {
    while (this.#end - this.#start < count) {
      const more = await this.#more(count);
      if (more !== "ok") return more;
    }
    const bytes = this.#store.slice(this.#start, this.#start + count);
    this.#take(count);
    return bytes;
  }

  #take(count: number): void {
    this.#start += count;
    this.#counted += count;
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  /** Reads once more, with room for `want` unread bytes; "eof" at the end of the stream, "timeout" past the deadline. */
  async #more(want: number): Promise<"ok" | "eof" | "timeout"> {
    if (this.#pending === undefined) {
      const held = this.#end - this.#start;
      const size = Math.max(this.#store.length, Math.min(want, held + 16 * 1024));
      if (this.#store.length - this.#end < 1024 || size > this.#store.length) {
        const store = size > this.#store.length ? new Uint8Array(size) : this.#store;
        store.set(this.#store.subarray(this.#start, this.#end));
        this.#store = store;
        this.#start = 0;
        this.#end = held;
      }
      this.#pending = this.#conn.read(this.#store.subarray(this.#end));
      // Should the deadline win and the connection then close, this read fails with nobody waiting for it.
      this.#pending.catch(() => {});
    }
    const left = this.deadline - performance.now();
    if (left <= 0) return "timeout";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), left));
    try {
      const n = await Promise.race([this.#pending, late]);
      if (n === "timeout") return "timeout";
      this.#pending = undefined;
      if (n === null) return "eof";
      this.#end += n;
      return "ok";
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Reads one request: the request line, the header lines, the body as its
 * headers frame it (RFC 9112, 6.3). null when the client closed or stayed
 * silent before a request began; a Refusal when it must be answered with an
 * error and the connection closed.
 */
async function readRequest(reader: Reader, goAhead: () => Promise<void>): Promise<Request | null | Refusal> {
  reader.count();
  let requestLine = await reader.line(MAX_HEAD);
  // RFC 9112, 2.2: an empty line before a request (left over from the previous one) is ignored.
  if (requestLine === "") requestLine = await reader.line(MAX_HEAD);
  if (requestLine === "eof" || requestLine === "timeout") {
    if (reader.count() === 0 && !reader.holding) return null;
    return requestLine === "eof"
      ? { status: 400, error: "the connection ended in the middle of the request line" }
      : { status: 408, error: "the request line did not arrive in time" };
  }
  if (requestLine === "too long") return { status: 414, error: `a request line longer than ${MAX_HEAD} bytes` };
  const match = requestLine.match(/^([^ ]+) ([^ ]+) (HTTP\/\d\.\d)$/);
  if (!match || !TOKEN.test(match[1]) || /[^\x21-\x7e]/.test(match[2]) || requestLine.includes("\r")) {
    return { status: 400, error: `not a request line: "${printable(requestLine.slice(0, 200))}"` };
  }
  const [, method, target, version] = match;
  if (version !== "HTTP/1.0" && version !== "HTTP/1.1") {
    return { status: 505, error: `${version} is not spoken here, only HTTP/1.0 and HTTP/1.1` };
  }
  let path: string;
  if (target.startsWith("/")) path = target;
  else if (/^http:\/\//i.test(target) && URL.canParse(target)) {
    // The absolute form (RFC 9112, 3.2.2), as clients send it to a proxy: the routes take its path.
    const url = new URL(target);
    path = url.pathname + url.search;
  } else if (target === "*" && method === "OPTIONS") path = "*";
  else return { status: 400, error: `not a request target: "${printable(target.slice(0, 200))}"` };

  const headers = new Map<string, string[]>();
  let head = reader.count();
  while (true) {
    const line = await reader.line(MAX_HEAD);
    if (line === "timeout") return { status: 408, error: "the headers did not arrive in time" };
    if (line === "eof") return { status: 400, error: "the connection ended in the middle of the headers" };
    head += reader.count();
    if (line === "too long" || head > MAX_HEAD) {
      return { status: 431, error: `a head longer than ${MAX_HEAD} bytes` };
    }
    if (line === "") break;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    // No space inside a name or before the colon (RFC 9112, 5.1), no line folded onto the previous one (5.2).
    if (colon <= 0 || !TOKEN.test(name)) {
      return { status: 400, error: `not a header line: "${printable(line.slice(0, 200))}"` };
    }
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    // deno-lint-ignore no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      return { status: 400, error: `a control character in the value of ${name}: "${printable(value.slice(0, 200))}"` };
    }
    headers.set(name.toLowerCase(), [...headers.get(name.toLowerCase()) ?? [], value]);
  }

  // RFC 9112, 3.2: exactly one Host in HTTP/1.1, and a valid one.
  const host = headers.get("host");
  if (version === "HTTP/1.1" && host === undefined) return { status: 400, error: "HTTP/1.1 requests must say Host" };
  if (host !== undefined && host.length > 1) return { status: 400, error: "more than one Host header" };
  // deno-lint-ignore no-control-regex
  if (host !== undefined && !/^[^\x00-\x20\x7f-\xff/?#@\\]*$/.test(host[0])) {
    return { status: 400, error: `not a host: "${printable(host[0].slice(0, 200))}"` };
  }

  // RFC 9110, 10.1.1: 100-continue is the one expectation there is; HTTP/1.0 knows none, so its Expect is ignored.
  const expectations = version === "HTTP/1.1" ? tokens(headers.get("expect")) : [];
  if (expectations.some((e) => e !== "100-continue")) {
    return { status: 417, error: `an expectation other than 100-continue: "${printable(expectations.join(", "))}"` };
  }
  const body = await readBody(reader, version, headers, expectations.length > 0 ? goAhead : undefined);
  if (!(body instanceof Uint8Array)) return body;
  return { method, target, path, version, headers, body };
}

/**
 * The request's body as its headers frame it: chunks, a Content-Length, or none. With `goAhead` (the client
 * expects 100-continue), it is called once the framing is known good, just before the body is read: a body
 * refused by its headers (413, 400) is refused without the client ever sending it.
 */
async function readBody(
  reader: Reader,
  version: string,
  headers: Map<string, string[]>,
  goAhead?: () => Promise<void>,
): Promise<Uint8Array | Refusal> {
  const transfer = headers.get("transfer-encoding");
  const lengths = headers.get("content-length");
  if (transfer !== undefined) {
    // Both at once: a reader that trusts the other header sees a different request. The classic smuggling.
    if (lengths !== undefined) return { status: 400, error: "both Transfer-Encoding and Content-Length" };
    if (version === "HTTP/1.0") return { status: 400, error: "Transfer-Encoding in an HTTP/1.0 request" };
    const codings = tokens(transfer);
    if (codings.at(-1) !== "chunked" || codings.indexOf("chunked") !== codings.length - 1) {
      return {
        status: 400,
        error: `a Transfer-Encoding that does not end in chunked once: "${printable(transfer.join(", "))}"`,
      };
    }
    if (codings.length > 1) {
      return { status: 501, error: `codings other than chunked: "${printable(transfer.join(", "))}"` };
    }
    await goAhead?.();
    return readChunked(reader);
  }
  if (lengths === undefined) return new Uint8Array(0);
  // RFC 9110, 8.6: digits only; the same number repeated ("5, 5", or two lines) is one length, two numbers are none.
  const values = new Set(lengths.flatMap((v) => v.split(",")).map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || !/^\d+$/.test(only)) {
    return { status: 400, error: `not one Content-Length: "${printable(lengths.join(", "))}"` };
  }
  const length = Number(only);
  if (length > MAX_BODY) return { status: 413, error: `a body of ${only} bytes; ${MAX_BODY} at most` };
  if (length > 0) await goAhead?.();
  const body = await reader.exactly(length);
  if (body === "eof") return { status: 400, error: "the connection ended in the middle of the body" };
  if (body === "timeout") return { status: 408, error: "the body did not arrive in time" };
  return body;
}

/** A chunked body: `SIZE[;ext]` CRLF, the bytes, CRLF, until a 0-size chunk; then trailer lines, which are dropped. */
async function readChunked(reader: Reader): Promise<Uint8Array | Refusal> {
  const late: Refusal = { status: 408, error: "the body did not arrive in time" };
  const cut: Refusal = { status: 400, error: "the connection ended in the middle of the body" };
  const parts: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const line = await reader.line(256);
    if (line === "timeout") return late;
    if (line === "eof") return cut;
    const size = line === "too long" ? undefined : line.match(/^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/)?.[1];
    if (size === undefined) {
      return { status: 400, error: `not a chunk size: "${printable(String(line).slice(0, 40))}"` };
    }
    const n = parseInt(size, 16);
    if (n === 0) break;
    total += n;
    if (total > MAX_BODY) return { status: 413, error: `a chunked body over ${MAX_BODY} bytes` };
    const bytes = await reader.exactly(n);
    if (bytes === "timeout") return late;
    if (bytes === "eof") return cut;
    parts.push(bytes);
    const end = await reader.line(0);
    if (end === "timeout") return late;
    if (end !== "") return { status: 400, error: "a chunk not followed by CRLF" };
  }
  reader.count();
  let trailers = 0;
  while (true) {
    const line = await reader.line(MAX_HEAD);
    if (line === "timeout") return late;
    if (line === "eof") return cut;
    trailers += reader.count();
    if (line === "too long" || trailers > MAX_HEAD) {
      return { status: 431, error: `trailers longer than ${MAX_HEAD} bytes` };
    }
    if (line === "") break;
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return body;
}
