/**
 * Load generator for lesson 1's time server, run by `tests/bench.ts` as a
 * process of its own.
 *
 * Why a second process: a generator inside the benchmark's process (or the
 * server's) would share one event loop and one V8 heap with what it measures,
 * so its own work would blur the timings and could not be told apart from the
 * server's CPU time. As its own process it talks to the server only over
 * loopback TCP, like any client, and the server's CPU time (which the
 * benchmark reads from the kernel) is the server's alone.
 *
 * It opens `--connections` connections in all, `--concurrency` at a time, to
 * `127.0.0.1:--port`. Each one connects, reads until the server closes, checks
 * that the reply is one line ending in `\n`, and closes; it times each one from
 * before connect to end of file (the server's close). A connection that gets nothing back within
 * `--timeout` ms counts as hung and is closed (one whose reply has not ended
 * by then counts as a bad reply); refused or reset connections count as errors. No new connection starts after
 * `--time-limit` ms. The result is one JSON line ({@linkcode LoadResult}) on
 * stdout; a usage mistake is one line on stderr and exit code 2.
 *
 * Run it on its own with:
 * `deno run --allow-net=127.0.0.1 tests/bench/load_time.ts --port PORT` (the port the server announced)
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What one load run measured; printed as one JSON line. */
export interface LoadResult {
  /** Connections asked for. */
  connections: number;
  /** Connections actually started (fewer only when the time limit cut the run short). */
  attempted: number;
  /** How many were in flight at once. */
  concurrency: number;
  /** Connections that got one line ending in `\n`, then end of file. */
  ok: number;
  /** Connections that got nothing within the deadline; they were closed. */
  hung: number;
  /** Of the hung: still connecting at the deadline (the handshake had not completed: SYNs dropped). */
  hungConnecting: number;
  /**
   * Of the hung: connected, as far as this side knew, but no byte came. With a
   * full accept queue the kernel drops the handshake's last ACK; when the
   * handshake was a SYN cookie, the server keeps no trace of it, and as the
   * client of a server-speaks-first protocol sends nothing, it waits forever.
   */
  hungConnected: number;
  /** Connections that failed (refused, reset, …); see `errorKinds`. */
  errors: number;
  /** Connections whose reply was not one line ending in `\n`, or did not end (server close) within the deadline. */
  bad: number;
  /** Error names (`ConnectionRefused`, `ConnectionReset`, …) and how often each occurred. */
  errorKinds: Record<string, number>;
  /** The per-connection deadline, in ms. */
  timeoutMs: number;
  /** From the first connect to the last close, in ms. */
  wallMs: number;
  /** Connect-to-close times of the `ok` connections, in ms; `null` when none was ok. */
  latencyMs: { min: number; p50: number; p99: number; max: number; mean: number } | null;
}

/** How {@linkcode runLoad} is configured. */
export interface LoadOptions {
  /** The server's address; the course only ever benchmarks on loopback. */
  hostname: string;
  /** The server's port. */
  port: number;
  /** Connections to open in all. */
  connections: number;
  /** Connections in flight at once. */
  concurrency: number;
  /** A connection that has received nothing after this many ms counts as hung. */
  timeoutMs: number;
  /** Start no new connection after this many ms. */
  timeLimitMs: number;
}

/** What happened to one connection. */
type Outcome =
  | { kind: "ok"; ms: number }
  | { kind: "hung"; connected: boolean }
  | { kind: "bad" }
  | { kind: "error"; name: string };

const NEWLINE = 10;
/** Far more than an ISO 8601 line; a reply longer than this is wrong anyway. */
const MAX_REPLY = 1024;

/** One connection: connect, read to end of file, check the line, close. Never throws. */
async function oneConnection(hostname: string, port: number, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const abort = new AbortController();
  let conn: Deno.TcpConn | undefined;
  let gotData = false;
  let hung = false, late = false;
  // The deadline covers the whole connection. When it fires, the pending
  // connect is aborted, or the connection closed under the pending read:
  // hung if nothing came, a bad reply if it came but never ended.
  const timer = setTimeout(() => {
    if (gotData) late = true;
    else hung = true;
    abort.abort();
    try {
      conn?.close();
    } catch { /* already closed */ }
  }, timeoutMs);
  try {
    conn = await Deno.connect({ hostname, port, signal: abort.signal, autoSelectFamily: false });
    if (hung) return { kind: "hung", connected: false };
    const reply = new Uint8Array(MAX_REPLY + 1);
    let length = 0;
    while (length <= MAX_REPLY) {
      const n = await conn.read(reply.subarray(length));
      if (n === null) break;
      gotData = true;
      length += n;
    }
    const ms = performance.now() - started;
    const newline = reply.subarray(0, length).indexOf(NEWLINE);
    return length > 1 && length <= MAX_REPLY && newline === length - 1 ? { kind: "ok", ms } : { kind: "bad" };
  } catch (error) {
    if (hung) return { kind: "hung", connected: conn !== undefined };
    if (late) return { kind: "bad" };
    return { kind: "error", name: error instanceof Error ? error.name : "Error" };
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* closed by the deadline, or already */ }
  }
}

/** Nearest-rank percentile of a non-empty ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Runs the load and returns what it measured. Never throws for a failing connection. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname, port, connections, concurrency, timeoutMs, timeLimitMs } = options;
  const latencies = new Float64Array(connections);
  const errorKinds: Record<string, number> = {};
  let next = 0;
  let ok = 0, hungConnecting = 0, hungConnected = 0, errors = 0, bad = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < connections && performance.now() - started < timeLimitMs) {
      next++;
      const outcome = await oneConnection(hostname, port, timeoutMs);
      if (outcome.kind === "ok") latencies[ok++] = outcome.ms;
      else if (outcome.kind === "hung" && outcome.connected) hungConnected++;
      else if (outcome.kind === "hung") hungConnecting++;
      else if (outcome.kind === "bad") bad++;
      else {
        errors++;
        errorKinds[outcome.name] = (errorKinds[outcome.name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, connections) }, worker));
  const wallMs = performance.now() - started;
  const sorted = latencies.subarray(0, ok).sort();
  let sum = 0;
  for (const ms of sorted) sum += ms;
  return {
    connections,
    attempted: next,
    concurrency,
    ok,
    hung: hungConnecting + hungConnected,
    hungConnecting,
    hungConnected,
    errors,
    bad,
    errorKinds,
    timeoutMs,
    wallMs,
    latencyMs: ok === 0 ? null : {
      min: sorted[0],
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[ok - 1],
      mean: sum / ok,
    },
  };
}

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new RangeError(`--${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

if (import.meta.main) {
  let options: LoadOptions;
  try {
    const { values } = parseArgs({
      args: Deno.args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        connections: { type: "string", default: "20000" },
        concurrency: { type: "string", default: "50" },
        timeout: { type: "string", default: "3000" },
        "time-limit": { type: "string", default: "120000" },
      },
    });
    if (values.port === undefined) throw new RangeError("--port is required");
    options = {
      hostname: "127.0.0.1",
      port: wholeNumber("port", values.port, 1, 65535),
      connections: wholeNumber("connections", values.connections, 1),
      concurrency: wholeNumber("concurrency", values.concurrency, 1),
      timeoutMs: wholeNumber("timeout", values.timeout, 1),
      timeLimitMs: wholeNumber("time-limit", values["time-limit"], 1),
    };
  } catch (error) {
    console.error(`load_time: usage error: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
  const result = await runLoad(options);
  console.log(JSON.stringify(result));
  // A connect the deadline gave up on may still hold a timer or an op; the
  // result is out, so leave at once rather than wait for them.
  Deno.exit(0);
}
