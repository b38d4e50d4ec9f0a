/**
 * Lesson 4, reference: a pinger for UDP and TCP.
 *
 * It sends numbered, timestamped probes to an echo server at a steady
 * interval and matches each reply to its probe by the number inside it, never
 * by arrival order or by counting: over UDP a reply may be lost, come twice,
 * or overtake an earlier one. Each probe has its own deadline, so a lost
 * datagram costs one timeout, not the whole run.
 *
 * A probe is `size` bytes: the sequence number (4 bytes, big-endian), the
 * send time (8 bytes, a float64 of ms), then zeros. Over TCP the same
 * fixed-size probes give the byte stream its framing.
 *
 * @module
 */
import { hostPort } from "@course/program.ts";
import { literal, localFor, ms, type Spread, spread } from "./stats.ts";

/** How `runPing` is configured; `main.ts` fills it from the command line. */
export interface PingOptions {
  /** The echo server's host (an address, or localhost). */
  host: string;
  /** Its port. */
  port: number;
  /** Which transport to ping over. */
  protocol: "udp" | "tcp";
  /** How many probes. */
  count: number;
  /** Ms between probes. */
  intervalMs: number;
  /** Ms to wait for each probe's reply before it counts as lost. */
  timeoutMs: number;
  /** Bytes per probe, at least 12. */
  size: number;
  /** Where the lines go. */
  log: (line: string) => void;
}

/** What one run found. */
export interface PingSummary {
  protocol: "udp" | "tcp";
  sent: number;
  received: number;
  /** Probes with no reply within their timeout. */
  lost: number;
  /** `lost` as a share of `sent`, in percent. */
  lossPercent: number;
  /** Their sequence numbers, in order. */
  lostSeqs: number[];
  /** Replies to a probe that was already answered. */
  duplicates: number;
  /** Replies that came after a reply to a later probe. */
  outOfOrder: number;
  /** Replies that came after their probe's timeout (the probe still counts as lost). */
  late: number;
  /** Round-trip times of the answered probes, in ms. */
  rtt: Spread | null;
  /** TCP only: how long `connect` took (the three-way handshake), in ms. */
  connectMs?: number;
}

/** The smallest probe: 4 bytes of number, 8 of time. */
export const MIN_PROBE = 12;

/** A way to send probes and hear replies, over either transport. */
interface Channel {
  send(probe: Uint8Array): Promise<void>;
  /** Calls `onReply` for every reply until closed. */
  listen(onReply: (reply: Uint8Array) => void): Promise<void>;
  close(): void;
}

/** Pings, prints a line per reply or timeout and a summary, and returns the figures. */
export async function runPing(options: PingOptions): Promise<PingSummary> {
  const target = hostPort(options.host, options.port);
  const started = performance.now();
  const channel = options.protocol === "udp" ? udpChannel(options) : await tcpChannel(options);
  const connectMs = options.protocol === "tcp" ? performance.now() - started : undefined;
  options.log(
    `PING ${target} over ${options.protocol}: ${options.count} probes of ${options.size} bytes` +
      (connectMs === undefined ? "" : `, connected in ${ms(connectMs)} ms (SYN, SYN+ACK, ACK)`),
  );

  type Probe = { sentAt: number; state: "waiting" | "answered" | "lost" };
  const probes = new Map<number, Probe>();
  const rtts: number[] = [];
  const summary = { duplicates: 0, outOfOrder: 0, late: 0 };
  let highest = 0;
  let settled = 0;
  const allSettled = Promise.withResolvers<void>();
  const settle = () => {
    if (++settled === options.count) allSettled.resolve();
  };

  const listening = channel.listen((reply) => {
    const now = performance.now();
    if (reply.length < MIN_PROBE) return;
    const seq = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(0);
    const probe = probes.get(seq);
    if (!probe) return; // not ours, or corrupted
    if (probe.state === "answered") {
      summary.duplicates++;
      options.log(`seq=${seq} duplicate reply`);
      return;
    }
    if (probe.state === "lost") {
      summary.late++;
      options.log(`seq=${seq} late reply after ${ms(now - probe.sentAt)} ms (already counted lost)`);
      return;
    }
    probe.state = "answered";
    const rtt = now - probe.sentAt;
    rtts.push(rtt);
    const overtaken = seq < highest;
    if (overtaken) summary.outOfOrder++;
    highest = Math.max(highest, seq);
    options.log(`seq=${seq} bytes=${reply.length} time=${ms(rtt)} ms${overtaken ? " (out of order)" : ""}`);
    settle();
  });

  // Each probe has its own deadline, so a lost one is given up alone. All
  // probes wait the same time and go out in order, so their deadlines come
  // in order too: one timer, set for the oldest probe still waiting, serves
  // them all. (A timer per probe would cost a little in every round trip.)
  let oldest = 1;
  let sentSoFar = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Gives up on every probe whose deadline has passed, oldest first. */
  const expire = () => {
    const now = performance.now();
    for (; oldest <= sentSoFar; oldest++) {
      const probe = probes.get(oldest)!;
      if (probe.state !== "waiting") continue;
      if (probe.sentAt + options.timeoutMs > now) break;
      probe.state = "lost";
      options.log(`seq=${oldest} timeout (no reply within ${options.timeoutMs} ms)`);
      settle();
    }
  };
  /** Sets the timer for the oldest probe still waiting, unless it is set. */
  const watch = () => {
    if (timer !== undefined) return;
    while (oldest <= sentSoFar && probes.get(oldest)!.state !== "waiting") oldest++;
    if (oldest > sentSoFar) return;
    timer = setTimeout(() => {
      timer = undefined;
      expire();
      watch();
    }, probes.get(oldest)!.sentAt + options.timeoutMs - performance.now());
  };

  try {
    for (let seq = 1; seq <= options.count; seq++) {
      // The wait for the next probe starts before this one goes out, so
      // making its timer is not timed as part of this round trip.
      const next = seq < options.count ? new Promise((resolve) => setTimeout(resolve, options.intervalMs)) : undefined;
      const sentAt = performance.now();
      const bytes = encodeProbe(seq, sentAt, options.size);
      probes.set(seq, { sentAt, state: "waiting" });
      await channel.send(bytes);
      sentSoFar = seq;
      watch();
      await next;
    }
    await allSettled.promise;
  } finally {
    clearTimeout(timer);
    channel.close();
    await listening;
  }

  const lostSeqs = [...probes].filter(([, p]) => p.state === "lost").map(([seq]) => seq);
  const result: PingSummary = {
    protocol: options.protocol,
    sent: options.count,
    received: rtts.length,
    lost: lostSeqs.length,
    lossPercent: lostSeqs.length / options.count * 100,
    lostSeqs,
    ...summary,
    rtt: spread(rtts),
    ...(connectMs === undefined ? {} : { connectMs }),
  };
  printSummary(target, result, options.log);
  return result;
}

/** The ping-style summary: counts, then round-trip times, then which probes were lost. */
export function printSummary(target: string, s: PingSummary, log: (line: string) => void): void {
  log(`--- ${target} ${s.protocol} ping statistics ---`);
  log(
    `${s.sent} sent, ${s.received} received, ${s.lost} lost (${s.lossPercent.toFixed(1)}%), ` +
      `${s.duplicates} duplicates, ${s.outOfOrder} out of order, ${s.late} late`,
  );
  if (s.rtt) {
    const { min, avg, p50, p99, max } = s.rtt;
    log(`rtt min/avg/p50/p99/max = ${[min, avg, p50, p99, max].map(ms).join("/")} ms`);
  }
  log(`lost: ${s.lostSeqs.length ? s.lostSeqs.join(", ") : "none"}`);
}

/** A probe: sequence number, send time, zeros up to `size`. */
export function encodeProbe(seq: number, sentAt: number, size: number): Uint8Array {
  const probe = new Uint8Array(size);
  const view = new DataView(probe.buffer);
  view.setUint32(0, seq);
  view.setFloat64(4, sentAt);
  return probe;
}

/** UDP: one socket, `send` to the server's address, `receive` whatever comes. */
function udpChannel(options: PingOptions): Channel {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: localFor(options.host), port: 0 });
  const server = { transport: "udp" as const, hostname: literal(options.host), port: options.port };
  let closed = false;
  return {
    async send(probe) {
      await socket.send(probe, server);
    },
    async listen(onReply) {
      while (!closed) {
        try {
          const [data] = await socket.receive();
          onReply(data);
        } catch (error) {
          // Closed at the end, or an ICMP "port unreachable" from an earlier probe: then go on listening.
          if (closed || error instanceof Deno.errors.BadResource) return;
        }
      }
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}

/** TCP: one connection; fixed-size probes frame the stream, so a reply is exactly `size` bytes. */
async function tcpChannel(options: PingOptions): Promise<Channel> {
  const conn = await Deno.connect({ hostname: options.host, port: options.port });
  // Small probes, sent one at a time: no point waiting to fill a segment (Nagle's algorithm).
  conn.setNoDelay(true);
  let closed = false;
  return {
    async send(probe) {
      for (let at = 0; at < probe.length;) at += await conn.write(probe.subarray(at));
    },
    async listen(onReply) {
      const frame = new Uint8Array(options.size);
      let filled = 0;
      try {
        // A read may return part of a reply, or parts of two: fill one frame at a time.
        while (true) {
          const n = await conn.read(frame.subarray(filled));
          if (n === null) return;
          filled += n;
          if (filled === frame.length) {
            onReply(frame.slice());
            filled = 0;
          }
        }
      } catch (error) {
        if (!closed) throw error;
      }
    },
    close() {
      closed = true;
      try {
        conn.close();
      } catch { /* closed already */ }
    },
  };
}
