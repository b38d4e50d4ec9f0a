/**
 * The grader's TCP echo for fixed-size messages (lesson 4's TCP probes): it
 * cuts the stream into frames of `size` bytes, holds each answer for the
 * time the script says, and writes the answers back cut at other places
 * than the frames (a piece of one, two glued together), a few ms apart, as
 * a real stream may deliver them. It records when each frame came and when
 * each byte of the answers left, so a check can compare the round trips a
 * program printed with what the echo did.
 *
 * @module
 */
import type { Transcript } from "./transcript.ts";
import { describe } from "./socket.ts";

/** What the echo does. */
export interface FramedScript {
  /** Bytes per frame. */
  size: number;
  /** Ms to hold the answer to frame `seq` (1 for the first) after it came; it never overtakes an earlier answer. */
  delay(seq: number): number;
  /** Sizes of the successive writes (used in turn, over and over); `gap` ms between writes. */
  cuts: number[];
  /** Ms between writes. */
  gap: number;
}

/** One write of the echo's. */
interface Write {
  /** Offsets in the stream of answers: from, to (exclusive). */
  from: number;
  to: number;
  /** When it was made (just before the write). */
  at: number;
}

/** A framed TCP echo on 127.0.0.1. Dispose it to stop. */
export class FramedTcpEcho implements AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Connections accepted. */
  connections = 0;
  /** When each frame of the first connection came, in order; its number is in its first 4 bytes. */
  readonly frames: { seq: number; at: number }[] = [];
  /** True once the first connection's client closed its side. */
  eof = false;
  #writes: Write[] = [];
  #listener: Deno.TcpListener;
  #conns: Deno.Conn[] = [];
  #jobs: Promise<void>[] = [];
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #wakeWriter: () => void = () => {};

  constructor(readonly script: FramedScript, readonly transcript: Transcript, readonly label = "grader tcp echo") {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#jobs.push(this.#accept());
  }

  /** When the last byte of the answer to the `index`-th frame (0 for the first) left; undefined if it did not. */
  answeredAt(index: number): number | undefined {
    const last = (index + 1) * this.script.size - 1;
    return this.#writes.find((w) => w.from <= last && last < w.to)?.at;
  }

  async #accept(): Promise<void> {
    while (!this.#stopped) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.connections++;
      this.#conns.push(conn);
      const { hostname, port } = conn.remoteAddr as Deno.NetAddr;
      this.transcript.event(
        this.label,
        `accepted connection ${this.connections} from ${describe({ transport: "tcp", host: hostname, port })}`,
      );
      if (this.connections === 1) this.#jobs.push(this.#serve(conn));
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const { size, delay, cuts, gap } = this.script;
    // Answers wait here until their time; the writer takes them in order.
    let pending = new Uint8Array(0);
    let sent = 0;
    let wake: () => void = () => {};
    let more = new Promise<void>((resolve) => wake = resolve);
    this.#wakeWriter = () => wake();
    // Answers are released one after another, each at its time: a stream keeps its order.
    let releases = Promise.resolve();
    let queued = 0;
    const release = (bytes: Uint8Array) => {
      const joined = new Uint8Array(pending.length + bytes.length);
      joined.set(pending);
      joined.set(bytes, pending.length);
      pending = joined;
      wake();
    };
    let reading = true;
    const writer = (async () => {
      let cut = 0;
      while (!this.#stopped) {
        if (pending.length === 0) {
          if (!reading && queued === 0) return;
          await more;
          more = new Promise<void>((resolve) => wake = resolve);
          continue;
        }
        const n = Math.min(cuts[cut++ % cuts.length], pending.length);
        const piece = pending.subarray(0, n);
        pending = pending.slice(n);
        this.#writes.push({ from: sent, to: sent + n, at: performance.now() });
        sent += n;
        try {
          for (let at = 0; at < piece.length;) at += await conn.write(piece.subarray(at));
        } catch {
          return;
        }
        this.transcript.bytes(`${this.label} sent`, piece);
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      }
    })();
    const buffer = new Uint8Array(64 * 1024);
    let frame = new Uint8Array(0);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) {
          this.eof = true;
          this.transcript.event(this.label, "received EOF");
          break;
        }
        const joined = new Uint8Array(frame.length + n);
        joined.set(frame);
        joined.set(buffer.subarray(0, n), frame.length);
        frame = joined;
        while (frame.length >= size) {
          const bytes = frame.slice(0, size);
          frame = frame.slice(size);
          const seq = new DataView(bytes.buffer).getUint32(0);
          const at = performance.now();
          this.frames.push({ seq, at });
          const hold = delay(seq);
          this.transcript.event(
            this.label,
            `frame #${seq} (${size} B): answer ${hold ? `after ${hold} ms` : "at once"}`,
          );
          const due = at + hold;
          queued++;
          releases = releases.then(async () => {
            const wait = due - performance.now();
            if (wait > 0) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(() => {
                  this.#timers.delete(timer);
                  resolve();
                }, wait);
                this.#timers.add(timer);
              });
            }
            queued--;
            release(bytes);
          });
        }
      }
    } catch { /* closed */ }
    reading = false;
    wake();
    await writer;
  }

  /** Stops: closes the listener and every connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    try {
      this.#listener.close();
    } catch { /* closed */ }
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch { /* closed */ }
    }
    // A writer may wait for answers that will not come now.
    this.#wakeWriter();
    await Promise.all(this.#jobs);
  }
}
