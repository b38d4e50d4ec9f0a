// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars prefer-const
/**
 * Lesson 4, your part: a pinger for UDP and TCP.
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
 * Given: the two transports (udpChannel, tcpChannel), the send loop, the
 * summary printer. Yours: matching replies, the per-probe deadline, the
 * figures.
 *
 * @module
 */
import { hostPort, todo } from "@course/program.ts";
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
    todo(
      import.meta.url,
      1,
      {
        en:
          'match the reply to its probe by the number in its first 4 bytes (a DataView over reply, getUint32(0)), never by arrival order. Unknown number: ignore. Probe already "answered": a duplicate (count, log, return). Probe "lost": late (count, log, return). Else: mark it answered, push the RTT (now - sentAt) on rtts, count it out of order if its number is below the highest seen, log "seq=N bytes=B time=T ms", and settle()',
        ru:
          'сопоставить ответ с его пробой по номеру в первых 4 байтах (DataView поверх reply, getUint32(0)), а не по порядку прихода. Неизвестный номер: пропустить. Проба уже "answered": дубликат (посчитать, записать в лог, return). Проба "lost": опоздание (посчитать, записать в лог, return). Иначе: пометить её как отвеченную, добавить RTT (now - sentAt) в rtts, посчитать ответ пришедшим не по порядку, если его номер меньше наибольшего из уже виденных, записать в лог "seq=N bytes=B time=T ms" и вызвать settle()',
      },
    );
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
    todo(
      import.meta.url,
      2,
      {
        en:
          'each probe\'s own deadline: walk from probes.get(oldest) while oldest <= sentSoFar (oldest++ each step). Skip probes no longer "waiting"; stop at the first whose sentAt + options.timeoutMs is still ahead of performance.now(); mark the others "lost", log "seq=N timeout (no reply within T ms)" and settle(), so a lost datagram never holds the run up',
        ru:
          'у каждой пробы свой крайний срок: идти от probes.get(oldest), пока oldest <= sentSoFar (oldest++ на каждом шаге). Пропускать пробы, которые уже не "waiting"; остановиться на первой, чей срок sentAt + options.timeoutMs ещё впереди (больше performance.now()); те, что были до неё, пометить "lost", записать в лог "seq=N timeout (no reply within T ms)" и вызвать settle(), чтобы потерянная датаграмма никогда не задерживала прогон',
      },
    );
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

  const result: PingSummary = todo(
    import.meta.url,
    3,
    {
      en:
        "the summary: sent, received, lost and lossPercent (a share of the probes SENT), lostSeqs (the numbers of the lost probes, in order), the duplicates/outOfOrder/late counts, rtt: spread(rtts), and connectMs for TCP",
      ru:
        "собрать итог: sent, received, lost и lossPercent (доля от ОТПРАВЛЕННЫХ проб), lostSeqs (номера потерянных проб по порядку), счётчики duplicates/outOfOrder/late, rtt: spread(rtts) и connectMs для TCP",
    },
  );
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
