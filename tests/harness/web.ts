/**
 * The grader's own DNS and HTTP servers for lesson 5, with names, ports and
 * paths the learner has not seen. They record what the learner's `fetch`
 * asked, and answer in the ways real servers do (and a few they should not):
 * late, never, a few bytes at a time, with header names in any case, with a
 * connection held open after `Connection: close`, or cut short by a reset.
 * Kept apart from the lesson's given servers on purpose: the grader never
 * runs code a learner can edit.
 *
 * @module
 */
import net from "node:net";
import type { Transcript } from "./transcript.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A name's records: one IPv4 address, or lists of A and AAAA addresses. */
export type Records = string | { A?: string[]; AAAA?: string[] };

/** How the grader's DNS server misbehaves, if at all. */
export interface DnsBehaviour {
  /** Answer each question this many milliseconds late. */
  delayMs?: number;
  /** Never answer: the questions arrive and are noted, and nothing comes back (a name server that is not there). */
  silent?: boolean;
  /** Never answer questions of these types (`AAAA`), and answer the others: a reply lost on the way. */
  silentTo?: string[];
  /**
   * Answer every question wrongly: `wrong-id` with another id (a resolver drops it and waits on), `garbage` with
   * 7 bytes that are no DNS message (dropped too), `truncated` with the TC bit and no answer (a resolver retries
   * over TCP, which this server does not speak).
   */
  mangle?: "wrong-id" | "garbage" | "truncated";
}

/** The 16 bytes of an IPv6 address written with at most one `::`. */
export function ipv6Bytes(text: string): Uint8Array {
  const [before, after] = text.split("::");
  const left = before ? before.split(":") : [];
  const right = after ? after.split(":") : [];
  const groups = after === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => new DataView(bytes.buffer).setUint16(i * 2, parseInt(group, 16)));
  return bytes;
}

/**
 * A DNS server on 127.0.0.1 that knows `zone` and notes every question:
 * an A or AAAA question about a name it knows gets that name's records (none
 * at all is NOERROR with no answer, as real servers say "no such record"),
 * any other name NXDOMAIN. The header is as RFC 1035 has it: the id echoed,
 * QR and AA set, RD copied, TTL 60, the name in each answer a pointer to the
 * question's.
 */
export class GraderDns implements AsyncDisposable {
  readonly port: number;
  /** Questions received, in order: `alpha.test A`. */
  readonly asked: string[] = [];
  #socket: Deno.DatagramConn;
  #loop: Promise<void>;
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly zone: Record<string, Records>,
    readonly transcript: Transcript,
    readonly behaviour: DnsBehaviour = {},
  ) {
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    this.port = (this.#socket.addr as Deno.NetAddr).port;
    this.#loop = this.#serve();
  }

  /**
   * Waits (at most `ms`) until `question` (`alpha.test A`) has been asked;
   * returns whether it was. A datagram already sent may wait a moment in the
   * socket before this server reads it.
   */
  async heard(question: string, ms = 1000): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!this.asked.includes(question) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.asked.includes(question);
  }

  /** `127.0.0.1:PORT`, as `fetch --dns` takes it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async #serve(): Promise<void> {
    while (!this.#stopped) {
      let data: Uint8Array, from: Deno.Addr;
      try {
        [data, from] = await this.#socket.receive();
      } catch {
        if (this.#stopped) return;
        continue;
      }
      const response = this.#answer(data);
      if (!response) continue;
      const send = () => this.#socket.send(response, from).catch(() => {/* gone, or we stopped */});
      if (this.behaviour.delayMs) {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          if (!this.#stopped) send();
        }, this.behaviour.delayMs);
        this.#timers.add(timer);
      } else {
        await send();
      }
    }
  }

  /** The answer to one query, or undefined when there is none to give. */
  #answer(data: Uint8Array): Uint8Array | undefined {
    // The question: labels from byte 12, then type and class.
    const labels: string[] = [];
    let at = 12;
    while (at < data.length && data[at] !== 0 && labels.length < 64) {
      labels.push(decoder.decode(data.subarray(at + 1, at + 1 + data[at])));
      at += data[at] + 1;
    }
    if (at + 5 > data.length) return undefined;
    const name = labels.join(".").toLowerCase();
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const type = view.getUint16(at + 1);
    const typeName = type === 1 ? "A" : type === 28 ? "AAAA" : `type ${type}`;
    this.asked.push(`${name} ${typeName}`);
    const silent = this.behaviour.silent || (this.behaviour.silentTo?.includes(typeName) ?? false);
    const known = this.zone[name];
    const records = known === undefined
      ? []
      : typeof known === "string"
      ? (type === 1 ? [known] : [])
      : (type === 1 ? known.A ?? [] : type === 28 ? known.AAAA ?? [] : []);
    const rdata = records.map((address) =>
      type === 1 ? Uint8Array.from(address.split(".").map(Number)) : ipv6Bytes(address)
    );
    this.transcript.event(
      "grader dns",
      `question ${name} ${typeName}: ${
        silent
          ? "no answer (this server is silent)"
          : known === undefined
          ? "NXDOMAIN"
          : records.length
          ? records.join(", ") + (this.behaviour.delayMs ? ` (in ${this.behaviour.delayMs} ms)` : "")
          : "no such record"
      }${this.behaviour.mangle && !silent ? ` (answered ${this.behaviour.mangle})` : ""}`,
    );
    if (silent) return undefined;
    if (this.behaviour.mangle === "garbage") return Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02);
    const question = data.subarray(12, at + 5);
    const size = 12 + question.length + rdata.reduce((sum, r) => sum + 12 + r.length, 0);
    const response = new Uint8Array(size);
    const out = new DataView(response.buffer);
    out.setUint16(0, view.getUint16(0));
    out.setUint16(2, 0x8400 | (view.getUint16(2) & 0x0100) | (known === undefined ? 3 : 0));
    out.setUint16(4, 1);
    out.setUint16(6, rdata.length);
    response.set(question, 12);
    if (this.behaviour.mangle === "wrong-id") out.setUint16(0, view.getUint16(0) ^ 0xffff);
    if (this.behaviour.mangle === "truncated") {
      out.setUint16(2, out.getUint16(2) | 0x0200);
      out.setUint16(6, 0);
      return response.subarray(0, 12 + question.length);
    }
    let r = 12 + question.length;
    for (const bytes of rdata) {
      out.setUint16(r, 0xc00c);
      out.setUint16(r + 2, type);
      out.setUint16(r + 4, 1);
      out.setUint32(r + 6, 60);
      out.setUint16(r + 10, bytes.length);
      response.set(bytes, r + 12);
      r += 12 + bytes.length;
    }
    return response;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#socket.close();
    await this.#loop;
  }
}

/** One request as the grader's HTTP server read it. */
export interface SeenRequest {
  /** Which TCP connection (1, 2, …) it came on. */
  connection: number;
  /** The head as sent: request line and headers, CRLFs included. */
  head: string;
  /** The request line. */
  line: string;
  /** Header names in lower case; a repeated header's values joined by ", ". */
  headers: Map<string, string>;
  /** The body, as many bytes as Content-Length said. */
  body: Uint8Array;
}

/** What the server does with a connection after a route has answered: read the next request on it, or close it. */
export type After = "keep" | "close";

/**
 * What a route does: a raw response written whole (then the connection is
 * kept for the next request, whatever the response says), or a function
 * that acts on the connection itself and says what comes next.
 */
export type Route = string | Responder;

/** A route that acts on the connection itself: writes its answer, and says what comes next. */
export type Responder = (conn: Deno.Conn, request: SeenRequest, server: GraderHttp) => Promise<After>;

/** Where the grader's HTTP server listens. */
export interface HttpPlace {
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Default 0, any free port. */
  port?: number;
}

/**
 * An HTTP server with scripted routes. It notes every connection and every
 * request, and serves request after request on a connection until a route
 * closes it or the client does, so a connection a response marked as closing
 * stays open and shows whether the client sent more on it.
 */
export class GraderHttp implements AsyncDisposable {
  readonly port: number;
  readonly hostname: string;
  /** Connections accepted so far. */
  connections = 0;
  readonly requests: SeenRequest[] = [];
  /** Bytes that came after the last whole request on a connection, or that were no request at all. */
  readonly stray: { connection: number; bytes: Uint8Array }[] = [];
  #listener: Deno.TcpListener;
  #loop: Promise<void>;
  #open = new Set<Deno.Conn>();
  #jobs = new Set<Promise<void>>();
  #label: string;

  constructor(readonly routes: Record<string, Route>, readonly transcript: Transcript, place: HttpPlace = {}) {
    this.#listener = Deno.listen({ hostname: place.hostname ?? "127.0.0.1", port: place.port ?? 0 });
    this.port = this.#listener.addr.port;
    this.hostname = this.#listener.addr.hostname;
    this.#label = this.hostname === "127.0.0.1" ? "grader http" : `grader http ${this.hostname}`;
    this.#loop = this.#accept();
  }

  /** The requests' lines, in order: `GET /a HTTP/1.1`. */
  get lines(): string[] {
    return this.requests.map((r) => r.line);
  }

  async #accept(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      const number = ++this.connections;
      this.transcript.event(this.#label, `connection ${number} accepted`);
      this.#open.add(conn);
      const job = this.#serve(conn, number).finally(() => {
        this.#open.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
      });
      this.#jobs.add(job);
      job.finally(() => this.#jobs.delete(job));
    }
  }

  async #serve(conn: Deno.Conn, number: number): Promise<void> {
    let buffered = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    const more = async (): Promise<boolean> => {
      const n = await conn.read(chunk);
      if (n === null) return false;
      const joined = new Uint8Array(buffered.length + n);
      joined.set(buffered);
      joined.set(chunk.subarray(0, n), buffered.length);
      buffered = joined;
      return true;
    };
    const strayBytes = () => {
      if (buffered.length > 0) {
        this.stray.push({ connection: number, bytes: buffered });
        this.transcript.bytes(`${this.#label} connection ${number}: bytes that are no request`, buffered);
      }
    };
    try {
      while (true) {
        let end = headEnd(buffered);
        while (end < 0) {
          if (buffered.length > 64 * 1024 || !await more()) {
            strayBytes();
            if (buffered.length === 0) this.transcript.event(this.#label, `connection ${number} closed by the client`);
            return;
          }
          end = headEnd(buffered);
        }
        const head = decoder.decode(buffered.subarray(0, end));
        const [line, ...rest] = head.trimEnd().split(/\r?\n/);
        if (!/^[A-Z]+ \S+ HTTP\/\d\.\d$/.test(line)) {
          strayBytes();
          return;
        }
        buffered = buffered.slice(end);
        const headers = new Map<string, string>();
        for (const h of rest) {
          const colon = h.indexOf(":");
          if (colon <= 0) continue;
          const name = h.slice(0, colon).trim().toLowerCase();
          const value = h.slice(colon + 1).trim();
          headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
        }
        const length = /^\d+$/.test(headers.get("content-length") ?? "") ? Number(headers.get("content-length")) : 0;
        while (buffered.length < length) {
          if (!await more()) {
            strayBytes();
            return;
          }
        }
        const body = buffered.slice(0, length);
        buffered = buffered.slice(length);
        const request: SeenRequest = { connection: number, head, line, headers, body };
        this.requests.push(request);
        this.transcript.event(
          this.#label,
          `connection ${number}: ${line}${body.length ? ` with a body of ${body.length} bytes` : ""}`,
        );
        const path = line.split(" ")[1] ?? "";
        const route = this.routes[path.split("?")[0]] ??
          "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n";
        if (typeof route === "string") {
          await writeAll(conn, encoder.encode(this.fill(route)));
        } else if (await route(conn, request, this) === "close") {
          return;
        }
      }
    } catch { /* the client went away */ }
  }

  /**
   * Waits (at most `ms`) until every connection has ended: after the client
   * exits, the last bytes it sent and its close reach the server a moment later.
   */
  async settled(ms = 1000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.#jobs]),
      new Promise((resolve) => timer = setTimeout(resolve, ms)),
    ]);
    clearTimeout(timer);
  }

  /** `text` with `{port}` replaced by this server's port. */
  fill(text: string): string {
    return text.replaceAll("{port}", String(this.port));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    for (const conn of this.#open) {
      try {
        conn.close();
      } catch { /* closed */ }
    }
    await this.#loop;
    await Promise.allSettled([...this.#jobs]);
  }
}

/** Where the head ends (just past its empty line), or -1. */
function headEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** How {@linkcode send} writes a response. */
export interface Sending {
  /** Write it in pieces of this many bytes (default: whole). */
  piece?: number;
  /** The pause between pieces (default 10 ms). */
  pauseMs?: number;
  /** Wait this long before the first byte. */
  delayMs?: number;
  /** Then read the next request ("keep", the default) or close the connection ("close"). */
  then?: After;
}

/**
 * A route that writes `raw` (`{port}` filled in; a string is sent as UTF-8,
 * bytes as they are) slowly or late, then keeps or closes the connection.
 */
export function send(raw: string | Uint8Array, how: Sending = {}): Responder {
  return async (conn, _request, server) => {
    const bytes = typeof raw === "string" ? encoder.encode(server.fill(raw)) : raw;
    if (how.delayMs) await new Promise((resolve) => setTimeout(resolve, how.delayMs));
    const piece = how.piece ?? bytes.length;
    for (let at = 0; at < bytes.length; at += piece) {
      await writeAll(conn, bytes.subarray(at, at + piece));
      if (how.piece && at + piece < bytes.length) {
        await new Promise((resolve) => setTimeout(resolve, how.pauseMs ?? 10));
      }
    }
    return how.then ?? "keep";
  };
}

/** A route that reads the request and never answers, holding the connection open until the check ends. */
export const never: Responder = async (conn) => {
  // Reads until the client closes; whatever it sends is not answered.
  const sink = new Uint8Array(1024);
  while (await conn.read(sink) !== null) { /* not answered */ }
  return "close";
};

/**
 * A route that starts a header line and never ends it: it keeps sending
 * bytes of one line as fast as the client takes them, up to `limit` bytes, and
 * then holds the connection open; it stops when the client closes. `sent`
 * counts the bytes that went out.
 */
export function endlessLine(sent: { bytes: number }, limit = 64 * 1024 * 1024): Responder {
  return async (conn) => {
    await writeAll(conn, encoder.encode("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Endless: "));
    const piece = encoder.encode("y".repeat(64 * 1024));
    try {
      while (sent.bytes < limit) {
        await writeAll(conn, piece);
        sent.bytes += piece.length;
      }
      // Past the limit the line still has no end: hold the connection open until the client gives up.
      const sink = new Uint8Array(1024);
      while (await conn.read(sink) !== null) { /* nothing to answer */ }
    } catch { /* the client closed: it gave up, as it should */ }
    return "close";
  };
}

/**
 * An HTTP server (on node:net, which can reset a connection) that reads one
 * request head, writes `response`, and then aborts the connection with a
 * TCP reset, as a server that crashes mid-body does.
 */
export class ResettingHttp implements AsyncDisposable {
  readonly port: number;
  /** Request lines received. */
  readonly lines: string[] = [];
  #server: net.Server;
  #sockets = new Set<net.Socket>();
  #timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(server: net.Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  /** Listens on 127.0.0.1, any free port. */
  static start(response: Uint8Array, transcript: Transcript): Promise<ResettingHttp> {
    return new Promise((resolve, reject) => {
      let self: ResettingHttp;
      const server = net.createServer((socket) => {
        self.#sockets.add(socket);
        socket.on("close", () => self.#sockets.delete(socket));
        socket.on("error", () => {});
        let head = "";
        socket.on("data", (data: Uint8Array) => {
          if (head.includes("\r\n\r\n")) return;
          head += decoder.decode(data);
          if (!head.includes("\r\n\r\n")) return;
          const line = head.split("\r\n")[0];
          self.lines.push(line);
          transcript.event("grader http", `${line}; answers ${response.length} bytes, then resets the connection`);
          socket.write(response, () => {
            const timer = setTimeout(() => {
              self.#timers.delete(timer);
              socket.resetAndDestroy();
            }, 50);
            self.#timers.add(timer);
          });
        });
      });
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        self = new ResettingHttp(server, (server.address() as net.AddressInfo).port);
        resolve(self);
      });
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
