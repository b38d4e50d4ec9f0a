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
 * @module
 */
import { formatAddr } from "@course/program.ts";

/** How `runHttpServer` is configured. */
export interface HttpOptions {
  host: string;
  port: number;
  log: (line: string) => void;
  signal: AbortSignal;
}

const encoder = new TextEncoder();
/** The most header bytes a request may have. */
const MAX_HEAD = 8 * 1024;
/** The largest request body taken. */
const MAX_BODY = 64 * 1024;

/** A parsed request. */
interface Request {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
  body: Uint8Array;
}

const posts: string[] = ["Hello, sockets", "Why TCP carries bytes, not messages"];

/** Serves until `signal` is aborted; the first line logged is `listening on HOST:PORT`. */
export async function runHttpServer(options: HttpOptions): Promise<void> {
  const listener = Deno.listen({ hostname: options.host, port: options.port });
  options.log(`listening on ${formatAddr(listener.addr)}`);
  const open = new Set<Deno.Conn>();
  options.signal.addEventListener("abort", () => {
    listener.close();
    for (const conn of open) conn.close();
  }, { once: true });
  const jobs = new Set<Promise<void>>();
  while (true) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      continue;
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
  const reader = new Reader(conn);
  let served = 0;
  try {
    while (true) {
      const request = await readRequest(reader);
      if (request === null) break; // the client closed between requests
      if ("error" in request) {
        options.log(`${peer}: bad request (${request.error})`);
        await respond(
          conn,
          400,
          "Bad Request",
          { "content-type": "text/plain; charset=utf-8" },
          `${request.error}\n`,
          true,
        );
        break;
      }
      served++;
      const close = request.version === "HTTP/1.0" || request.headers.get("connection")?.toLowerCase() === "close";
      options.log(
        `${peer}: ${request.method} ${request.target} ${request.version} (request ${served} on this connection)`,
      );
      await route(conn, request, close);
      if (close || request.target === "/until-close") break;
    }
  } catch (error) {
    if (!options.signal.aborted) options.log(`${peer}: ${error instanceof Error ? error.name : error}`);
  } finally {
    try {
      conn.close();
    } catch { /* closed on stop */ }
  }
}

async function route(conn: Deno.Conn, request: Request, close: boolean): Promise<void> {
  const html = { "content-type": "text/html; charset=utf-8" };
  if (request.method === "GET" && request.target === "/") {
    return respond(conn, 302, "Found", { location: "/posts" }, "", close);
  }
  if (request.method === "GET" && request.target === "/posts") {
    const items = posts.map((p) => `  <li>${escape(p)}</li>`).join("\n");
    return respond(conn, 200, "OK", html, `<!doctype html>\n<title>Posts</title>\n<ul>\n${items}\n</ul>\n`, close);
  }
  if (request.method === "POST" && request.target === "/posts") {
    const text = new TextDecoder().decode(request.body).trim() || "(empty)";
    posts.push(text);
    return respond(
      conn,
      201,
      "Created",
      { ...html, location: `/posts/${posts.length}` },
      `<p>${escape(text)}</p>\n`,
      close,
    );
  }
  if (request.method === "GET" && request.target === "/chunked") {
    // Each chunk: its size in hex, CRLF, the bytes, CRLF; a 0-size chunk ends the body.
    const head = headLines(200, "OK", { ...html, "transfer-encoding": "chunked" }, close, false);
    await writeAll(conn, encoder.encode(head));
    for (const piece of ["<p>sent in ", "three ", "chunks</p>\n"]) {
      const bytes = encoder.encode(piece);
      await writeAll(conn, encoder.encode(`${bytes.length.toString(16)}\r\n`));
      await writeAll(conn, bytes);
      await writeAll(conn, encoder.encode("\r\n"));
    }
    return writeAll(conn, encoder.encode("0\r\n\r\n"));
  }
  if (request.method === "GET" && request.target === "/until-close") {
    // No Content-Length, no chunks: the end of the connection is the end of the body.
    await writeAll(conn, encoder.encode(headLines(200, "OK", { ...html, connection: "close" }, true, false)));
    return writeAll(conn, encoder.encode("<p>this body ends when the connection does</p>\n"));
  }
  return respond(
    conn,
    404,
    "Not Found",
    { "content-type": "text/plain; charset=utf-8" },
    `no ${request.target} here\n`,
    close,
  );
}

/** The status line and headers; with `open`, without the blank line, so Content-Length can follow. */
function headLines(code: number, reason: string, headers: Record<string, string>, close: boolean, open = true) {
  const lines = [`HTTP/1.1 ${code} ${reason}`, `date: ${new Date().toUTCString()}`, "server: deno-course"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (close && !("connection" in headers)) lines.push("connection: close");
  if (!open) return `${lines.join("\r\n")}\r\n\r\n`;
  return `${lines.join("\r\n")}\r\n`;
}

async function respond(
  conn: Deno.Conn,
  code: number,
  reason: string,
  headers: Record<string, string>,
  body: string,
  close: boolean,
): Promise<void> {
  const bytes = encoder.encode(body);
  const head = headLines(code, reason, headers, close) + `content-length: ${bytes.length}\r\n\r\n`;
  await writeAll(conn, encoder.encode(head));
  await writeAll(conn, bytes);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** Buffered reads: up to a byte sequence, or an exact count. */
class Reader {
  #buffered = new Uint8Array(0);
  #conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }
  /** Bytes up to and including `mark`, at most `max`; null at a clean EOF before any byte. */
  async until(mark: Uint8Array, max: number): Promise<Uint8Array | null | "too long" | "cut"> {
    while (true) {
      const at = find(this.#buffered, mark);
      if (at >= 0) return this.take(at + mark.length);
      if (this.#buffered.length > max) return "too long";
      const chunk = new Uint8Array(16 * 1024);
      const n = await this.#conn.read(chunk);
      if (n === null) return this.#buffered.length === 0 ? null : "cut";
      const joined = new Uint8Array(this.#buffered.length + n);
      joined.set(this.#buffered);
      joined.set(chunk.subarray(0, n), this.#buffered.length);
      this.#buffered = joined;
    }
  }
  /** Exactly `count` bytes, or null if the stream ends first. */
  async exactly(count: number): Promise<Uint8Array | null> {
    while (this.#buffered.length < count) {
      const chunk = new Uint8Array(16 * 1024);
      const n = await this.#conn.read(chunk);
      if (n === null) return null;
      const joined = new Uint8Array(this.#buffered.length + n);
      joined.set(this.#buffered);
      joined.set(chunk.subarray(0, n), this.#buffered.length);
      this.#buffered = joined;
    }
    return this.take(count);
  }
  take(count: number): Uint8Array {
    const taken = this.#buffered.slice(0, count);
    this.#buffered = this.#buffered.slice(count);
    return taken;
  }
}

function find(data: Uint8Array, mark: Uint8Array): number {
  outer: for (let i = 0; i + mark.length <= data.length; i++) {
    for (let j = 0; j < mark.length; j++) if (data[i + j] !== mark[j]) continue outer;
    return i;
  }
  return -1;
}

const BLANK_LINE = encoder.encode("\r\n\r\n");

/** Reads one request: line, headers, body by Content-Length. */
async function readRequest(reader: Reader): Promise<Request | null | { error: string }> {
  const head = await reader.until(BLANK_LINE, MAX_HEAD);
  if (head === null) return null;
  if (head === "too long") return { error: `headers longer than ${MAX_HEAD} bytes` };
  if (head === "cut") return { error: "the connection ended in the middle of the headers" };
  const [requestLine, ...headerLines] = new TextDecoder().decode(head).slice(0, -4).split("\r\n");
  const match = requestLine.match(/^([A-Z]+) (\S+) (HTTP\/1\.[01])$/);
  if (!match) return { error: `not a request line: ${JSON.stringify(requestLine)}` };
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { error: `not a header: ${JSON.stringify(line)}` };
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (match[3] === "HTTP/1.1" && !headers.has("host")) return { error: "HTTP/1.1 requests must say Host" };
  const length = Number(headers.get("content-length") ?? "0");
  if (!Number.isInteger(length) || length < 0 || length > MAX_BODY) return { error: "bad Content-Length" };
  const body = length ? await reader.exactly(length) : new Uint8Array(0);
  if (body === null) return { error: "the connection ended in the middle of the body" };
  return { method: match[1], target: match[2], version: match[3], headers, body };
}
