/**
 * The grader's UDP peers: an echo server that impairs on purpose, keyed by
 * the probe number in each datagram (its first 4 bytes, big-endian), so a
 * check knows exactly which probes were dropped, doubled or held back, on
 * every run. Datagrams shorter than 4 bytes are echoed as they are.
 *
 * @module
 */
import type { Transcript } from "./transcript.ts";
import { describe } from "./socket.ts";

/** What the echo does to the datagram carrying probe number `seq`. */
export interface EchoPlan {
  /** Never answer these. */
  drop?: number[];
  /** Answer these twice. */
  duplicate?: number[];
  /** Hold the answer to these until the next answer has gone (a reorder). */
  hold?: number[];
  /** Drop every datagram whose number is a multiple of this (for bulk). */
  dropEvery?: number;
}

/** A UDP echo server on 127.0.0.1 with a plan. Dispose it to stop. */
export class ImpairingEcho implements AsyncDisposable {
  /** Its port. */
  readonly port: number;
  /** Datagrams received, by number. */
  readonly seen: number[] = [];
  /** Bytes received in all. */
  bytes = 0;
  #socket: Deno.DatagramConn;
  #loop: Promise<void>;
  #stopped = false;

  /** Starts listening; `transcript` hears what it did with each numbered datagram (up to 200). */
  constructor(plan: EchoPlan, transcript: Transcript, label = "grader udp echo") {
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    this.port = (this.#socket.addr as Deno.NetAddr).port;
    this.#loop = this.#serve(plan, transcript, label);
  }

  async #serve(plan: EchoPlan, transcript: Transcript, label: string): Promise<void> {
    let held: (() => Promise<void>) | undefined;
    while (!this.#stopped) {
      let data: Uint8Array, from: Deno.Addr;
      try {
        [data, from] = await this.#socket.receive();
      } catch {
        if (this.#stopped) return;
        continue;
      }
      this.bytes += data.length;
      const seq = data.length >= 4 ? new DataView(data.buffer, data.byteOffset).getUint32(0) : -1;
      this.seen.push(seq);
      const note = (what: string) => {
        if (this.seen.length <= 200) {
          transcript.event(
            label,
            `#${seq} (${data.length} B) from ${
              describe({ transport: "tcp", host: (from as Deno.NetAddr).hostname, port: (from as Deno.NetAddr).port })
            }: ${what}`,
          );
        }
      };
      const send = async () => {
        try {
          await this.#socket.send(data, from);
        } catch { /* stopped */ }
      };
      if (plan.drop?.includes(seq) || (plan.dropEvery && seq % plan.dropEvery === 0)) {
        note("dropped");
        continue;
      }
      if (plan.hold?.includes(seq) && !held) {
        note("held back until the next answer has gone");
        held = send;
        continue;
      }
      const copies = plan.duplicate?.includes(seq) ? 2 : 1;
      note(copies === 2 ? "answered twice" : "answered");
      for (let i = 0; i < copies; i++) await send();
      if (held) {
        const release = held;
        held = undefined;
        await release();
      }
    }
  }

  /** Stops listening. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    this.#socket.close();
    await this.#loop;
  }
}

/** A UDP socket of the grader's, on 127.0.0.1, with a deadline on every receive. */
export class UdpPeer implements Disposable {
  #socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });

  constructor(readonly transcript: Transcript, readonly label = "grader udp") {}

  /** Sends `data` to 127.0.0.1:`port`. */
  async send(data: Uint8Array, port: number): Promise<void> {
    this.transcript.bytes(`${this.label} sent`, data.subarray(0, 64));
    await this.#socket.send(data, { transport: "udp", hostname: "127.0.0.1", port });
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
        this.#socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
        return undefined;
      }
      this.transcript.bytes(`${this.label} received`, got[0].subarray(0, 64));
      return got[0];
    } finally {
      clearTimeout(timer);
    }
  }

  [Symbol.dispose](): void {
    this.#socket.close();
  }
}
