// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars prefer-const
/**
 * Lesson 4, your part: throughput over TCP and over UDP, against the echo
 * server.
 *
 * TCP, one way: open with the `COUNT` line, write `bytes` in `size`-byte
 * writes, half-close, and read the server's answer: how many bytes it got.
 * The clock stops at the answer, when every byte has arrived.
 *
 * UDP: send numbered datagrams of `size` bytes as fast as the socket takes
 * them and count the echoes. Nothing slows a UDP sender down, so when it
 * outruns the receiver the kernel drops what does not fit in the receive
 * buffer, and the loss shows.
 *
 * Given: the sending loops and the report. Yours: hearing the TCP answer,
 * counting the UDP echoes.
 *
 * @module
 */
import { hostPort, todo } from "@course/program.ts";
import { literal, localFor, rate } from "./stats.ts";
import { COUNT_HELLO, writeAll } from "./server.ts";

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
  /** TCP: bytes the server counted. UDP: bytes that came back. */
  received: number;
  /** UDP: datagrams sent and echoed, and echoes that came after a later one. */
  datagrams?: { sent: number; received: number; lost: number; lossPercent: number; reordered: number };
  /** From the first write to the server's answer (TCP) or the last echo (UDP), in s. */
  seconds: number;
  /** `received` per second. */
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
    options.log(`tcp bulk to ${target}: ${result.sent} bytes sent, ${result.received} counted by the server`);
  }
  options.log(`goodput ${rate(result.received, result.seconds)} in ${result.seconds.toFixed(3)} s`);
  return result;
}

async function tcpBulk(options: BulkOptions): Promise<BulkResult> {
  const conn = await Deno.connect({ hostname: options.host, port: options.port });
  const started = performance.now();
  try {
    await writeAll(conn, new TextEncoder().encode(COUNT_HELLO));
    const chunk = new Uint8Array(options.size);
    for (let sent = 0; sent < options.bytes;) {
      const piece = chunk.subarray(0, Math.min(chunk.length, options.bytes - sent));
      await writeAll(conn, piece);
      sent += piece.length;
    }
    // Half-close: "that is all". The last write() returned when its bytes
    // were in our kernel's send buffer, not when they arrived; only the
    // server's answer says they did.
    const answer: string = await todo(
      import.meta.url,
      1,
      {
        en:
          "half-close (conn.closeWrite()): the server counts until EOF. Then read its answer until read() gives null (even a short line may come in more than one read; keep at most 64 bytes) and resolve with it as text, trimmed",
        ru:
          "half-close (полузакрытие, conn.closeWrite()): сервер считает до EOF. Затем читать его ответ, пока read() не вернёт null (даже короткая строка может прийти за несколько чтений; хранить не больше 64 байтов), и разрешиться им как текстом без пробелов по краям (trim)",
      },
    );
    const received = Number(answer);
    if (!/^\d+$/.test(answer)) throw new Error(`the server answered ${JSON.stringify(answer)}, not a byte count`);
    if (received !== options.bytes) {
      throw new Error(`the server counted ${received} of ${options.bytes} bytes; TCP should have delivered all`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { protocol: "tcp", sent: options.bytes, received, seconds, bytesPerSecond: received / seconds };
  } finally {
    try {
      conn.close();
    } catch { /* closed already: reading conn.readable to its end closes the connection */ }
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
          {
            en:
              "count this echo: its number is in its first 4 bytes (getUint32). Count each number once (seen[seq]), ignore numbers >= count, count it reordered if below the highest seen so far, and note lastArrival = performance.now()",
            ru:
              "посчитать это эхо: его номер — в первых 4 байтах (getUint32). Считать каждый номер один раз (seen[seq]), номера >= count пропускать, считать эхо пришедшим не по порядку, если его номер меньше наибольшего из уже виденных, и запомнить lastArrival = performance.now()",
          },
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
    // Echoes still on their way: wait until none has come for drainMs, counted from the last send at the
    // earliest (echoes that came while we were sending may not have been read yet).
    const sentAll = performance.now();
    while (received < count && performance.now() - Math.max(lastArrival, sentAll) < options.drainMs) {
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
