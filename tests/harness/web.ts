/**
 * The grader's own DNS and HTTP servers for lesson 5, with names, ports and
 * paths the learner has not seen. They record what the learner's `fetch`
 * asked, and answer in the ways real servers do (and a few they should not).
 * Kept apart from the lesson's given servers on purpose: the grader never
 * runs code a learner can edit.
 *
 * @module
 */
import type { Transcript } from "./transcript.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A DNS server on 127.0.0.1 that knows `zone` (name → IPv4) and notes every question. */
export class GraderDns implements AsyncDisposable {
  readonly port: number;
  /** Questions received: `alpha.test A`. */
  readonly asked: string[] = [];
  #socket: Deno.DatagramConn;
  #loop: Promise<void>;
  #stopped = false;

  constructor(readonly zone: Record<string, string>, transcript: Transcript) {
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    this.port = (this.#socket.addr as Deno.NetAddr).port;
    this.#loop = this.#serve(transcript);
  }

  async #serve(transcript: Transcript): Promise<void> {
    while (!this.#stopped) {
      let data: Uint8Array, from: Deno.Addr;
      try {
        [data, from] = await this.#socket.receive();
      } catch {
        if (this.#stopped) return;
        continue;
      }
      // The question: labels from byte 12, then type and class.
      const labels: string[] = [];
      let at = 12;
      while (at < data.length && data[at] !== 0 && labels.length < 64) {
        labels.push(decoder.decode(data.subarray(at + 1, at + 1 + data[at])));
        at += data[at] + 1;
      }
      const name = labels.join(".").toLowerCase();
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (at + 5 > data.length) continue;
      const type = view.getUint16(at + 1);
      const typeName = type === 1 ? "A" : type === 28 ? "AAAA" : `type ${type}`;
      this.asked.push(`${name} ${typeName}`);
      const address = this.zone[name];
      const answer = address !== undefined && type === 1;
      transcript.event(
        "grader dns",
        `question ${name} ${typeName}: ${answer ? address : address ? "no such record" : "NXDOMAIN"}`,
      );
      const question = data.subarray(12, at + 5);
      const response = new Uint8Array(12 + question.length + (answer ? 16 : 0));
      const out = new DataView(response.buffer);
      out.setUint16(0, view.getUint16(0));
      out.setUint16(2, 0x8400 | (view.getUint16(2) & 0x0100) | (address === undefined ? 3 : 0));
      out.setUint16(4, 1);
      out.setUint16(6, answer ? 1 : 0);
      response.set(question, 12);
      if (answer) {
        const r = 12 + question.length;
        out.setUint16(r, 0xc00c);
        out.setUint16(r + 2, 1);
        out.setUint16(r + 4, 1);
        out.setUint32(r + 6, 60);
        out.setUint16(r + 10, 4);
        response.set(address.split(".").map(Number), r + 12);
      }
      try {
        await this.#socket.send(response, from);
      } catch { /* gone */ }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    this.#socket.close();
    await this.#loop;
  }
}

/** What a route does: write a whole raw response, or act on the connection itself. */
export type Route = string | ((conn: Deno.Conn, port: number) => Promise<void>);

/** One request as the grader's HTTP server read it. */
export interface SeenRequest {
  /** Which TCP connection (1, 2, …) it came on. */
  connection: number;
  /** The head as sent: request line and headers, CRLFs included. */
  head: string;
  /** The request line. */
  line: string;
  /** Header names in lower case. */
  headers: Map<string, string>;
}

/** An HTTP server on 127.0.0.1 with scripted routes; it notes every connection and request. */
export class GraderHttp implements AsyncDisposable {
  readonly port: number;
  connections = 0;
  readonly requests: SeenRequest[] = [];
  #listener: Deno.TcpListener;
  #loop: Promise<void>;
  #open = new Set<Deno.Conn>();
  #jobs = new Set<Promise<void>>();

  constructor(readonly routes: Record<string, Route>, readonly transcript: Transcript) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#loop = this.#accept();
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
      this.transcript.event("grader http", `connection ${number} accepted`);
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
    let buffered = "";
    const chunk = new Uint8Array(16 * 1024);
    try {
      while (true) {
        while (!buffered.includes("\r\n\r\n") && !buffered.includes("\n\n")) {
          const n = await conn.read(chunk);
          if (n === null) return;
          buffered += decoder.decode(chunk.subarray(0, n));
          if (buffered.length > 64 * 1024) return;
        }
        const end = buffered.includes("\r\n\r\n") ? buffered.indexOf("\r\n\r\n") + 4 : buffered.indexOf("\n\n") + 2;
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end);
        const [line, ...rest] = head.trimEnd().split(/\r?\n/);
        const headers = new Map<string, string>();
        for (const h of rest) {
          const colon = h.indexOf(":");
          if (colon > 0) headers.set(h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim());
        }
        // A request body (POST) is read and ignored.
        const length = Number(headers.get("content-length") ?? 0);
        while (encoder.encode(buffered).length < length) {
          const n = await conn.read(chunk);
          if (n === null) return;
          buffered += decoder.decode(chunk.subarray(0, n));
        }
        buffered = buffered.slice(length);
        this.requests.push({ connection: number, head, line, headers });
        this.transcript.event("grader http", `connection ${number}: ${line}`);
        const path = line.split(" ")[1] ?? "";
        const route = this.routes[path.split("?")[0]] ??
          "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n";
        if (typeof route === "string") {
          const bytes = encoder.encode(route.replaceAll("{port}", String(this.port)));
          for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
          if (/\r\nconnection: close\r\n/i.test(route)) return;
        } else {
          await route(conn, this.port);
          return;
        }
      }
    } catch { /* the client went away */ }
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

/** Writes `text` in pieces of `size` bytes, `pauseMs` apart. */
export async function dribble(conn: Deno.Conn, text: string, size: number, pauseMs: number): Promise<void> {
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    for (let done = 0; done < piece.length;) done += await conn.write(piece.subarray(done));
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
