/**
 * The grader's UDP peers. {@linkcode ScriptedEcho} is an echo server that
 * follows a script per datagram, keyed by the number in its first 4 bytes
 * (big-endian): drop it, answer it twice, answer it after N ms, hold the
 * answer until another datagram's answer has gone, or send a copy numbered
 * otherwise (a stray). It records when each datagram came and when each
 * answer left, so a check compares what a program printed with what the
 * echo actually did. {@linkcode UdpPeer} is a plain socket with deadlines.
 *
 * @module
 */
import type { Transcript } from "./transcript.ts";
import { describe } from "./socket.ts";

/** One answer to a datagram. */
export interface Reply {
  /** Ms to wait: from the datagram's arrival, or with `after`, from when that answer left. Default 0. */
  delay?: number;
  /** Wait until the first answer to the datagram with this number has left (a held answer: a reorder). */
  after?: number;
  /** Send the copy with this number in its first 4 bytes instead of its own (a stray). */
  renumber?: number;
}

/** What the echo does with the datagram numbered `seq`: its answers, in order; none drops it. */
export type Script = (seq: number) => Reply[];

/** A datagram the echo received. */
export interface Arrival {
  /** The number in its first 4 bytes (-1 when shorter). */
  seq: number;
  /** Its size in bytes. */
  size: number;
  /** When it came (the grader's clock, performance.now()). */
  at: number;
  /** The float64 in bytes 4 to 12 (a lesson 4 probe's send time, on the sender's clock); NaN when shorter. */
  stamp: number;
}

/** An answer the echo sent. */
export interface Answer {
  /** The datagram it answers. */
  seq: number;
  /** The number it carried (seq, or the stray number it was given). */
  number: number;
  /** When it left: just before the send, on the grader's clock. */
  at: number;
  /** When the datagram it answers came. */
  arrived: number;
}

/** How often the same number's datagram has come before: its first arrival is 0. */
function occurrence(arrivals: Arrival[], seq: number): number {
  return arrivals.filter((a) => a.seq === seq).length - 1;
}

/** A UDP echo server with a script, on 127.0.0.1 (or `host`). Dispose it to stop; pending answers are dropped. */
export class ScriptedEcho implements AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Its address. */
  readonly host: string;
  /** Every datagram received, in order. */
  readonly arrivals: Arrival[] = [];
  /** Every answer sent, in order (loopback keeps the order of one socket's sends). */
  readonly answers: Answer[] = [];
  #socket: Deno.DatagramConn;
  #loop: Promise<void>;
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #chain: Promise<void> = Promise.resolve();
  /** Answers waiting for the first answer to a number. */
  #waiting = new Map<number, (() => void)[]>();
  #answered = new Set<number>();
  #notes = 0;

  /** Starts listening; `transcript` hears what it did with each datagram (up to 200 notes). */
  constructor(
    readonly script: Script,
    readonly transcript: Transcript,
    { host = "127.0.0.1", label = "grader udp echo" }: { host?: string; label?: string } = {},
  ) {
    this.host = host;
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: host, port: 0 });
    this.port = (this.#socket.addr as Deno.NetAddr).port;
    this.#loop = this.#serve(label);
  }

  /** The first arrival of each number, by number. */
  firstArrivals(): Map<number, Arrival> {
    const first = new Map<number, Arrival>();
    for (const arrival of this.arrivals) if (!first.has(arrival.seq)) first.set(arrival.seq, arrival);
    return first;
  }

  #note(label: string, text: string): void {
    if (++this.#notes <= 200) this.transcript.event(label, text);
  }

  async #serve(label: string): Promise<void> {
    while (!this.#stopped) {
      let data: Uint8Array, from: Deno.NetAddr;
      try {
        const [bytes, addr] = await this.#socket.receive();
        [data, from] = [bytes, addr as Deno.NetAddr];
      } catch {
        if (this.#stopped) return;
        continue;
      }
      const at = performance.now();
      const seq = data.length >= 4 ? new DataView(data.buffer, data.byteOffset).getUint32(0) : -1;
      const stamp = data.length >= 12 ? new DataView(data.buffer, data.byteOffset).getFloat64(4) : NaN;
      this.arrivals.push({ seq, size: data.length, at, stamp });
      const replies = occurrence(this.arrivals, seq) === 0 ? this.script(seq) : [{}];
      const who = describe({ transport: "tcp", host: from.hostname, port: from.port });
      this.#note(label, `#${seq} (${data.length} B) from ${who}: ${plan(replies)}`);
      for (const reply of replies) this.#schedule(data, from, seq, at, reply, label);
    }
  }

  #schedule(data: Uint8Array, to: Deno.NetAddr, seq: number, arrived: number, reply: Reply, label: string): void {
    const go = () => this.#later(reply.delay ?? 0, () => this.#send(data, to, seq, arrived, reply, label));
    if (reply.after !== undefined && !this.#answered.has(reply.after)) {
      const list = this.#waiting.get(reply.after) ?? [];
      list.push(go);
      this.#waiting.set(reply.after, list);
    } else go();
  }

  #later(ms: number, work: () => void): void {
    if (ms <= 0) return work();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) work();
    }, ms);
    this.#timers.add(timer);
  }

  /** Sends one answer after those before it: one socket, one send at a time, so the order is the script's. */
  #send(data: Uint8Array, to: Deno.NetAddr, seq: number, arrived: number, reply: Reply, label: string): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#stopped) return;
      let bytes = data;
      if (reply.renumber !== undefined) {
        bytes = data.slice();
        new DataView(bytes.buffer).setUint32(0, reply.renumber);
      }
      const number = reply.renumber ?? seq;
      this.answers.push({ seq, number, at: performance.now(), arrived });
      try {
        await this.#socket.send(bytes, { transport: "udp", hostname: to.hostname, port: to.port });
      } catch { /* stopped, or the program is gone */ }
      if (reply.renumber !== undefined) this.#note(label, `sent a stray numbered ${number} (a copy of #${seq})`);
      else if (reply.delay || reply.after !== undefined) {
        this.#note(
          label,
          `sent the held answer to #${seq}, ${Math.round(performance.now() - arrived)} ms after it came`,
        );
      }
      if (!this.#answered.has(seq)) {
        this.#answered.add(seq);
        const waiting = this.#waiting.get(seq) ?? [];
        this.#waiting.delete(seq);
        for (const go of waiting) go();
      }
    });
  }

  /**
   * Waits until no answer is still to come on a timer, or until `until`
   * (the grader's clock), whichever is first: what the script would have done
   * after a program stopped listening still counts as done.
   */
  async quiet(until: number): Promise<void> {
    while (this.#timers.size > 0 && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(10, until - performance.now()))));
    }
    await this.#chain;
  }

  /** Stops listening and forgets the answers still to come. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#socket.close();
    await this.#loop;
    await this.#chain;
  }
}

/** What a list of replies does, for the transcript. */
function plan(replies: Reply[]): string {
  if (replies.length === 0) return "dropped";
  const parts = replies.map((r) => {
    const when = r.after !== undefined
      ? `after the answer to #${r.after}${r.delay ? ` and ${r.delay} ms` : ""}`
      : r.delay
      ? `after ${r.delay} ms`
      : "at once";
    return r.renumber !== undefined ? `a copy numbered ${r.renumber} ${when}` : `answered ${when}`;
  });
  return parts.join("; ");
}

/** A UDP socket of the grader's, on 127.0.0.1 (or `host`), with a deadline on every receive. */
export class UdpPeer implements Disposable {
  #socket: Deno.DatagramConn;
  readonly host: string;
  /** Who sent the datagram `receive` returned last (a reply from another socket shows here). */
  from?: Deno.NetAddr;

  constructor(readonly transcript: Transcript, readonly label = "grader udp", host = "127.0.0.1") {
    this.host = host;
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: host, port: 0 });
  }

  /** This socket's port, as the server sees it. */
  get port(): number {
    return (this.#socket.addr as Deno.NetAddr).port;
  }

  /** Sends `data` to `port` on this peer's host. */
  async send(data: Uint8Array, port: number): Promise<void> {
    this.transcript.datagram(`${this.label} sent`, data);
    await this.#socket.send(data, { transport: "udp", hostname: this.host, port });
  }

  /** The next datagram, or undefined after `ms`. */
  async receive(ms: number): Promise<Uint8Array | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const receiving = this.#socket.receive();
    const late = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms));
    try {
      const got = await Promise.race([receiving, late]);
      if (!got) {
        // The pending receive is given up: close the socket to end it, and make a new one.
        this.#socket.close();
        await receiving.catch(() => {});
        this.#socket = Deno.listenDatagram({ transport: "udp", hostname: this.host, port: 0 });
        return undefined;
      }
      this.transcript.datagram(`${this.label} received`, got[0]);
      this.from = got[1] as Deno.NetAddr;
      return got[0];
    } finally {
      clearTimeout(timer);
    }
  }

  [Symbol.dispose](): void {
    this.#socket.close();
  }
}
