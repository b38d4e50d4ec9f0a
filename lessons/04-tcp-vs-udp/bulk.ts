// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars prefer-const
/**
 * Lesson 4, your part: throughput over TCP and over UDP, against the echo
 * server.
 *
 * TCP: write `bytes` in `size`-byte writes while reading the echo back, then
 * half-close and read to the end. Every byte must come back; the count
 * proves it. UDP: send numbered datagrams of `size` bytes as fast as the
 * socket takes them and count the echoes. Nothing slows a UDP sender down, so
 * when it outruns the receiver the kernel drops what does not fit in the
 * receive buffer, and the loss shows.
 *
 * Given: the sending loops and the report. Yours: counting what comes back.
 *
 * @module
 */
import { hostPort, todo } from "@course/program.ts";
import { literal, localFor, rate } from "./stats.ts";

/** How `runBulk` is configured; `main.ts` fills it from the command line. */
export interface BulkOptions {
  host: string;
  port: number;
  protocol: "udp" | "tcp";
  /** Bytes to send in all. */
  bytes: number;
  /** Bytes per write (TCP) or per datagram (UDP). */
  size: number;
  /** UDP: ms to wait for stragglers after the last datagram. */
  drainMs: number;
  log: (line: string) => void;
}

/** What one run measured. */
export interface BulkResult {
  protocol: "udp" | "tcp";
  /** Bytes sent. */
  sent: number;
  /** Bytes that came back. */
  received: number;
  /** UDP: datagrams sent and echoed, and echoes that came after a later one. */
  datagrams?: { sent: number; received: number; lost: number; lossPercent: number; reordered: number };
  /** From the first write to the last byte back, in s. */
  seconds: number;
  /** Bytes that came back per second. */
  bytesPerSecond: number;
}

/** Runs one transfer and prints what it measured. */
export async function runBulk(options: BulkOptions): Promise<BulkResult> {
  const result = options.protocol === "tcp" ? await tcpBulk(options) : await udpBulk(options);
  const target = hostPort(options.host, options.port);
  if (result.datagrams) {
    const d = result.datagrams;
    options.log(
      `udp bulk to ${target}: ${d.sent} datagrams of ${options.size} B sent, ${d.received} echoed, ` +
        `${d.lost} lost (${d.lossPercent.toFixed(1)}%), ${d.reordered} reordered`,
    );
  } else {
    options.log(`tcp bulk to ${target}: ${result.sent} bytes sent, ${result.received} echoed (every byte, in order)`);
  }
  options.log(`goodput ${rate(result.received, result.seconds)} in ${result.seconds.toFixed(3)} s`);
  return result;
}

async function tcpBulk(options: BulkOptions): Promise<BulkResult> {
  const conn = await Deno.connect({ hostname: options.host, port: options.port });
  const started = performance.now();
  try {
    // Read while writing: the echo fills our receive buffer, and if nobody
    // read it the server would stop, and so would we (a deadlock).
    const reading: Promise<number> = todo(
      import.meta.url,
      1,
      "start reading the echo now, at the same time as the writes below (do not await here): read until read() gives null and resolve with the number of bytes read",
    );
    const chunk = new Uint8Array(options.size);
    for (let sent = 0; sent < options.bytes;) {
      const piece = chunk.subarray(0, Math.min(chunk.length, options.bytes - sent));
      for (let at = 0; at < piece.length;) at += await conn.write(piece.subarray(at));
      sent += piece.length;
    }
    // Half-close: "that is all"; the server echoes the rest and closes.
    await conn.closeWrite();
    const received = await reading;
    if (received !== options.bytes) {
      throw new Error(`the server echoed ${received} of ${options.bytes} bytes; TCP should have delivered all`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { protocol: "tcp", sent: options.bytes, received, seconds, bytesPerSecond: received / seconds };
  } finally {
    conn.close();
  }
}

async function udpBulk(options: BulkOptions): Promise<BulkResult> {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: localFor(options.host), port: 0 });
  const server = { transport: "udp" as const, hostname: literal(options.host), port: options.port };
  const count = Math.ceil(options.bytes / options.size);
  const seen = new Uint8Array(count);
  let received = 0;
  let reordered = 0;
  let highest = -1;
  let lastArrival = performance.now();
  let closed = false;
  const listening = (async () => {
    const buffer = new Uint8Array(65_536);
    while (!closed) {
      try {
        const [data] = await socket.receive(buffer);
        todo(
          import.meta.url,
          2,
          "count this echo: its number is in its first 4 bytes (getUint32). Count each number once (seen[seq]), ignore numbers >= count, count it reordered if below the highest seen so far, and note lastArrival = performance.now()",
        );
      } catch (error) {
        if (closed || error instanceof Deno.errors.BadResource) return;
      }
    }
  })();
  const started = performance.now();
  const datagram = new Uint8Array(options.size);
  const view = new DataView(datagram.buffer);
  try {
    for (let seq = 0; seq < count; seq++) {
      view.setUint32(0, seq);
      await socket.send(datagram, server);
    }
    // Echoes still on their way: wait until none has come for drainMs.
    while (received < count && performance.now() - lastArrival < options.drainMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    closed = true;
    socket.close();
    await listening;
  }
  const seconds = Math.max(lastArrival - started, 0.001) / 1000;
  const lost = count - received;
  return {
    protocol: "udp",
    sent: count * options.size,
    received: received * options.size,
    datagrams: { sent: count, received, lost, lossPercent: lost / count * 100, reordered },
    seconds,
    bytesPerSecond: received * options.size / seconds,
  };
}
