/**
 * The load generator for lesson 3's benchmark, run as its own process by
 * `tests/bench/chat.ts`: chat clients over loopback against a chat server.
 *
 * It connects `--clients` receivers (`r0`, `r1`, …), optionally one client
 * that joins and then never reads (`--stall`), and `--senders` senders
 * (`s0`, …). When all are in, each sender writes `--lines` lines of `--size`
 * bytes as fast as the socket takes them. Every line carries its sequence
 * number and the moment it was written (`performance.now()` of this process,
 * so sender and receivers share one clock). Receivers note when each line
 * arrives. Output: one JSON line, {@linkcode ChatLoadResult}.
 *
 * Usage: `deno run --allow-net=127.0.0.1 tests/bench/load_chat.ts --port P
 * [--clients 200] [--senders 1] [--lines 2000] [--size 100] [--stall]
 * [--timeout 60000]`; or `--port P --idle` for the idle crowd (below).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What one run measured. */
export interface ChatLoadResult {
  /** Lines that reached a receiver. */
  delivered: number;
  /** Lines that should have: receivers × senders × lines. */
  expected: number;
  /** Receivers that did not get every line before the timeout (or were dropped). */
  incomplete: number;
  /** From the first line written to the last line received, in ms. */
  wallMs: number;
  /** Delivery latency (write to arrival), in ms. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Receivers whose lines came out of order, doubled, or cut. */
  corrupt: number;
  /** Whether the stalled client's connection was closed by the server before the end. */
  stalledClosed: boolean | null;
}

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** Reads until the first "\n" (the welcome line) and returns the bytes after it. */
async function welcome(conn: Deno.Conn): Promise<Uint8Array> {
  const buffer = new Uint8Array(4096);
  let held = new Uint8Array(0);
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("the server closed the connection before the welcome line");
    const joined = new Uint8Array(held.length + n);
    joined.set(held);
    joined.set(buffer.subarray(0, n), held.length);
    held = joined;
    const end = held.indexOf(NEWLINE);
    if (end >= 0) return held.slice(end + 1);
  }
}

/** Connects and joins as `name`; resolves once welcomed, with any bytes that came after the welcome. */
async function join(port: number, name: string): Promise<{ conn: Deno.Conn; rest: Uint8Array }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(`${name}\n`));
  return { conn, rest: await welcome(conn) };
}

/**
 * A receiver: reads everything, and for each line from a sender (`s…: SEQ
 * TIME …`) records the arrival and checks that each sender's numbers come
 * in order. The prefix and numbers are parsed from bytes; decoding 400,000
 * lines into strings would cost the generator more than the server.
 */
class Receiver {
  got = 0;
  corrupt = false;
  closed = false;
  #next: number[];
  #partial = new Uint8Array(0);
  /**
   * Written once now, before the clock starts: a fresh buffer's pages are
   * mapped on first touch, and a thousand receivers' first reads would
   * otherwise pay the generator's page faults inside the measurement.
   */
  readonly #buffer = new Uint8Array(256 * 1024).fill(0);

  constructor(readonly conn: Deno.Conn, senders: number, readonly latencies: Float64Array, readonly at: { n: number }) {
    this.#next = new Array(senders).fill(0);
  }

  async run(expected: number, done: () => void, first: Uint8Array): Promise<void> {
    this.#scan(first);
    const buffer = this.#buffer;
    try {
      while (this.got < expected) {
        const n = await this.conn.read(buffer);
        if (n === null) {
          this.closed = true;
          break;
        }
        this.#scan(buffer.subarray(0, n));
      }
    } catch {
      this.closed = true;
    }
    done();
  }

  #scan(chunk: Uint8Array): void {
    const now = performance.now();
    let data = chunk;
    if (this.#partial.length > 0) {
      data = new Uint8Array(this.#partial.length + chunk.length);
      data.set(this.#partial);
      data.set(chunk, this.#partial.length);
    }
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
      this.#line(data, start, end, now);
      start = end + 1;
    }
    this.#partial = start < data.length ? data.slice(start) : new Uint8Array(0);
  }

  /** A line `sK: SEQ MS.FFF xxx…`; notices (`* …`) are skipped. */
  #line(data: Uint8Array, start: number, end: number, now: number): void {
    if (data[start] !== 0x73 /* s */) return;
    let at = start + 1;
    let sender = 0;
    while (data[at] !== 0x3a /* : */ && at < end) sender = sender * 10 + data[at++] - 0x30;
    at += 2;
    let seq = 0;
    while (data[at] !== 0x20 && at < end) seq = seq * 10 + data[at++] - 0x30;
    at++;
    let whole = 0;
    while (data[at] !== 0x2e /* . */ && at < end) whole = whole * 10 + data[at++] - 0x30;
    at++;
    const fraction = (data[at] - 0x30) / 10 + (data[at + 1] - 0x30) / 100 + (data[at + 2] - 0x30) / 1000;
    if (seq !== this.#next[sender]) this.corrupt = true;
    this.#next[sender] = seq + 1;
    this.got++;
    this.latencies[this.at.n++] = now - (whole + fraction);
  }
}

/** Writes `lines` lines of `size` bytes as sender `index`, in 64 KiB writes. Returns when the first was written. */
async function send(conn: Deno.Conn, lines: number, size: number, firstWrite: (ms: number) => void): Promise<void> {
  const perWrite = Math.max(1, Math.floor(64 * 1024 / size));
  for (let seq = 0; seq < lines;) {
    const count = Math.min(perWrite, lines - seq);
    const now = performance.now();
    if (seq === 0) firstWrite(now);
    let text = "";
    for (let i = 0; i < count; i++, seq++) {
      const head = `${seq} ${now.toFixed(3)} `;
      text += head + "x".repeat(Math.max(0, size - head.length - 1)) + "\n";
    }
    const bytes = encoder.encode(text);
    for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** One member of the idle crowd: joined, silent, reading and counting the lines it gets. */
interface IdleClient {
  conn: Deno.Conn;
  lines: number;
}

/** Joins one idle client as `name` and keeps reading what it is sent (join notices), counting lines. */
async function idleJoin(port: number, name: string): Promise<IdleClient> {
  const { conn, rest } = await join(port, name);
  const client: IdleClient = { conn, lines: rest.filter((byte) => byte === NEWLINE).length };
  (async () => {
    // 4 KiB is plenty for join notices; 5,000 readers at 256 KiB would be over a gigabyte here.
    const buffer = new Uint8Array(4096);
    try {
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        for (let i = 0; i < n; i++) if (buffer[i] === NEWLINE) client.lines++;
      }
    } catch { /* closed at the end */ }
  })();
  return client;
}

/**
 * `--idle`: the idle crowd. On each line `add N` on stdin it joins N more
 * clients (`i0`, `i1`, …, 100 at a time), waits until they have read every
 * join notice meant for them (each hears of everyone who joined after it), and
 * prints `joined T`. The clients then stay: joined, silent, reading. It ends
 * when stdin closes.
 */
async function idleCrowd(port: number, timeoutMs: number): Promise<void> {
  const crowd: IdleClient[] = [];
  let held = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    held += chunk;
    for (let end = held.indexOf("\n"); end >= 0; end = held.indexOf("\n")) {
      const wanted = Number(held.slice(0, end).match(/^add (\d+)$/)?.[1] ?? 0);
      held = held.slice(end + 1);
      const total = crowd.length + wanted;
      while (crowd.length < total) {
        const batch = Math.min(100, total - crowd.length);
        crowd.push(
          ...await Promise.all(Array.from({ length: batch }, (_, j) => idleJoin(port, `i${crowd.length + j}`))),
        );
      }
      // Each client hears of everyone who joined after it: T(T - 1)/2 notices in all, whatever the order of joining.
      const deadline = performance.now() + timeoutMs;
      while (crowd.reduce((sum, client) => sum + client.lines, 0) < total * (total - 1) / 2) {
        if (performance.now() > deadline) {
          throw new Error(`the join notices for ${total} idle clients did not all arrive within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`joined ${total}`);
    }
  }
  for (const { conn } of crowd) conn.close();
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string" },
      clients: { type: "string", default: "200" },
      senders: { type: "string", default: "1" },
      lines: { type: "string", default: "2000" },
      size: { type: "string", default: "100" },
      stall: { type: "boolean", default: false },
      idle: { type: "boolean", default: false },
      timeout: { type: "string", default: "60000" },
    },
  });
  const port = Number(values.port);
  const [clients, senders, lines, size, timeoutMs] = [
    values.clients,
    values.senders,
    values.lines,
    values.size,
    values.timeout,
  ]
    .map(Number);
  if (values.idle) {
    await idleCrowd(port, timeoutMs);
    Deno.exit(0);
  }
  const expectedEach = senders * lines;
  // Touched now for the same reason as each receiver's buffer.
  const latencies = new Float64Array(clients * expectedEach).fill(0);
  const at = { n: 0 };

  // Receivers first, in batches so the listen queue never overflows.
  const receivers: { conn: Deno.Conn; rest: Uint8Array }[] = [];
  for (let i = 0; i < clients; i += 50) {
    receivers.push(
      ...await Promise.all(Array.from({ length: Math.min(50, clients - i) }, (_, j) => join(port, `r${i + j}`))),
    );
  }
  const stalled = values.stall ? await Deno.connect({ hostname: "127.0.0.1", port }) : undefined;
  if (stalled) await stalled.write(encoder.encode("stalled\n"));
  const sending = await Promise.all(Array.from({ length: senders }, (_, k) => join(port, `s${k}`)));
  const made = receivers.map(({ conn }) => new Receiver(conn, senders, latencies, at));
  // Let the join notices reach everyone before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 500));

  let lastArrival = 0;
  let finished = 0;
  const allDone = Promise.withResolvers<void>();
  const running = receivers.map(({ rest }, i) => {
    const receiver = made[i];
    receiver.run(expectedEach, () => {
      lastArrival = Math.max(lastArrival, performance.now());
      if (++finished === clients) allDone.resolve();
    }, rest);
    return receiver;
  });
  // Senders read (and drop) what the server sends them, so they never stall.
  for (const { conn } of sending) {
    (async () => {
      const sink = new Uint8Array(256 * 1024);
      try {
        while (await conn.read(sink) !== null) { /* discard */ }
      } catch { /* closed at the end */ }
    })();
  }
  let firstSend = Infinity;
  await Promise.all(sending.map(({ conn }) => send(conn, lines, size, (ms) => firstSend = Math.min(firstSend, ms))));
  const timer = setTimeout(() => allDone.resolve(), timeoutMs);
  await allDone.promise;
  clearTimeout(timer);

  // Did the server close the stalled client? Read what piled up, to its end, briefly.
  let stalledClosed: boolean | null = null;
  if (stalled) {
    stalledClosed = false;
    const sink = new Uint8Array(1024 * 1024);
    const deadline = setTimeout(() => stalled.close(), 2000);
    try {
      while (await stalled.read(sink) !== null) { /* drain */ }
      stalledClosed = true;
    } catch { /* our own deadline closed it, or it was reset */ }
    clearTimeout(deadline);
  }

  const sorted = latencies.subarray(0, at.n).sort();
  const result: ChatLoadResult = {
    delivered: running.reduce((sum, r) => sum + r.got, 0),
    expected: clients * expectedEach,
    incomplete: running.filter((r) => r.got < expectedEach).length,
    wallMs: lastArrival - firstSend,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
    corrupt: running.filter((r) => r.corrupt).length,
    stalledClosed,
  };
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
