/**
 * `deno task bench`: load a lesson's reference server from a second process
 * and print figures.
 *
 * Lesson 1 (the only one so far): start the reference time server, open
 * `--connections` connections to it, `--concurrency` at a time, from a load
 * generator, and print connections per second, connect-to-close times, hung
 * and failed connections, and the server's CPU time per connection.
 *
 * Why this design:
 *
 * - Three processes: this one, the server, and the load generator
 *   (`tests/bench/load_time.ts`). Server and generator meet only over loopback
 *   TCP, like any server and client, so neither one's event loop, garbage
 *   collector or JIT warm-up blurs the other's figures, and the server's CPU
 *   time is the server's alone. This process only starts, watches and stops.
 * - CPU time from the kernel, not from a clock: wall time says little on a
 *   machine shared with the load generator, but the kernel's per-process
 *   `utime + stime` counts every thread of the server (JavaScript, Tokio's I/O
 *   threads, V8's collector and compiler threads) and nothing else. Read before
 *   and after the load, the difference divided by the connections is the
 *   server's cost per connection, its logging included.
 *
 *   The plan was `/proc/<pid>/stat` (fields 14 and 15, in clock ticks; this file
 *   ASSUMES 100 ticks per second, Linux's `USER_HZ`, `getconf CLK_TCK`, since
 *   Deno cannot call `sysconf` without FFI; one tick over 20,000 connections is
 *   0.5 µs per connection). But Deno refuses to read anything under `/proc`
 *   without `--allow-all`, whatever `--allow-read` says, so under
 *   `deno task bench` the same counters come from `getrusage(RUSAGE_SELF)`,
 *   read inside the server by `tests/bench/cpu_probe.ts`, which is preloaded
 *   (`deno run --preload`) and answers SIGUSR2 with one line on stderr. The
 *   server's own code runs unchanged. `/proc` is still used when readable
 *   (`deno run -A tests/bench.ts`); the report says which source it used.
 *
 * - A baseline from the same run, not a budget in µs: the CPU a connection
 *   costs drifts with whatever else the machine does (a busy hour adds 10 µs
 *   to a 35 µs figure). So a bare accept-write-close loop
 *   (`tests/bench/bare_time.ts`) is loaded too, by the same generator, half
 *   its connections just before the reference's and half just after, and the
 *   reference is judged by its CPU per connection over the loop's: at most
 *   {@linkcode CPU_RATIO} times as much.
 *
 * Exit codes: 0 with the figures; 1 with one line on stderr if something
 * failed, or, at the default backlog of 128, if any connection hung or the
 * server spent more than {@linkcode CPU_RATIO} times the bare loop's CPU per
 * connection; 2 for a usage mistake;
 * 130 on Ctrl+C. With another backlog (`--backlog 2`) hung connections are the
 * experiment, not a failure: they are printed and the exit code stays 0.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { LoadResult } from "./bench/load_time.ts";
import type { ProbeSample } from "./bench/cpu_probe.ts";
import { benchChat, formatChat, parseChatOptions } from "./bench/chat.ts";
import { benchTransport } from "./bench/transport.ts";
import { spawnDeno } from "./harness/process.ts";

/** Clock ticks per second in `/proc/<pid>/stat` (Linux `USER_HZ`); assumed, see the module doc. */
export const TICKS_PER_SECOND = 100;
/** The most the reference server's CPU time per connection may be, over the bare loop's (at the default backlog). */
export const CPU_RATIO = 1.15;
/** The backlog the pass/fail checks apply to; other backlogs are experiments. */
export const DEFAULT_BACKLOG = 128;

/** The course root: the children run there, so `deno.json` (import map, unstable flags) applies to them. */
const ROOT = new URL("../", import.meta.url);
const SERVER = "solutions/01-time-server/main.ts";
/** The baseline: a bare accept-write-close loop. */
const BARE = "tests/bench/bare_time.ts";
const LOAD = "tests/bench/load_time.ts";
const PROBE = "tests/bench/cpu_probe.ts";
/** What `cpu_probe.ts` answers to. Not SIGUSR1: Deno opens its inspector on that one. */
const PROBE_SIGNAL = "SIGUSR2";
/** How the probe's line on stderr begins. */
const PROBE_PREFIX = "cpu-probe ";
/** How long the server may take to print its `listening on` line. */
const START_DEADLINE_MS = 15_000;
/** How long a child may take to stop, or the probe to answer, before we give up on it. */
const STOP_DEADLINE_MS = 3_000;
/** A pause before each CPU reading, so the server has finished what it was doing (start-up, the last connections). */
const SETTLE_MS = 200;

/** An expected failure: printed as one line, never as a stack trace. */
export class BenchError extends Error {
  /** `"BenchError"`, for messages and logs. */
  override name = "BenchError";
}

/** A mistake on the command line: exit code 2. */
export class BenchUsageError extends BenchError {
  /** `"BenchUsageError"`, for messages and logs. */
  override name = "BenchUsageError";
}

/** Ctrl+C: the benchmark stops its children and exits with 130. */
export class BenchInterrupted extends BenchError {
  /** `"BenchInterrupted"`, for messages and logs. */
  override name = "BenchInterrupted";
}

/** The command line, parsed. */
export interface BenchOptions {
  /** The lesson to benchmark; only 1 exists so far. */
  lesson: number;
  /** Connections to open in all. */
  connections: number;
  /** Connections in flight at once. */
  concurrency: number;
  /** Connections opened first and not measured, so JIT warm-up is not billed to the server's steady state. */
  warmup: number;
  /** The server's `--backlog` (its `listen(n)`). */
  backlog: number;
  /** A connection that has received nothing after this many ms counts as hung. */
  timeoutMs: number;
  /** The generator starts no new connection after this many ms. */
  timeLimitMs: number;
  /** Print one JSON object instead of the table. */
  json: boolean;
}

/** Everything one run measured: what `--json` prints. */
export interface BenchReport {
  /** The lesson benchmarked. */
  lesson: number;
  /** The program under load. */
  server: string;
  /** Connections asked for. */
  connections: number;
  /** Connections actually started (fewer only when `--time-limit` cut the run short). */
  attempted: number;
  /** Connections in flight at once. */
  concurrency: number;
  /** Connections opened before measuring, not counted. */
  warmup: number;
  /** The server's listen backlog. */
  backlog: number;
  /** The per-connection deadline, in ms. */
  timeoutMs: number;
  /** From the generator's first connect to its last close, in s. */
  wallSeconds: number;
  /** Connections with a correct reply per second of wall time. */
  connectionsPerSecond: number;
  /** Connect-to-close times of the correct connections, in ms; `null` when there were none. */
  latencyMs: LoadResult["latencyMs"];
  /** Connections with a correct reply. */
  ok: number;
  /** Connections that got nothing before the deadline. */
  hung: number;
  /** Of the hung: still connecting at the deadline. */
  hungConnecting: number;
  /** Of the hung: connected as far as the client knew, but no byte came. */
  hungConnected: number;
  /** Connections refused, reset, …; `errorKinds` says which. */
  errors: number;
  /** Error names and counts. */
  errorKinds: Record<string, number>;
  /** Connections whose reply was not one line ending in `\n`, or did not end within the deadline. */
  bad: number;
  /** The server's CPU time (user + system, every thread) during the load. */
  serverCpu: {
    /** `/proc/<pid>/stat` (clock ticks at {@linkcode TICKS_PER_SECOND}), or `getrusage` from the preloaded probe. */
    source: CpuReading["source"];
    /** In all, in µs. */
    totalUs: number;
    /** Per attempted connection, in µs. */
    perConnectionUs: number;
  };
  /** The bare loop's CPU time, loaded half before and half after the reference in the same run. */
  bareCpu: {
    /** Connections it served (attempted). */
    connections: number;
    /** In all, in µs. */
    totalUs: number;
    /** Per attempted connection, in µs. */
    perConnectionUs: number;
  };
  /** The reference's CPU per connection over the bare loop's; judged against {@linkcode CPU_RATIO}. */
  cpuRatio: number;
  /** What the server logged during the load. */
  serverLog: {
    /** `Client … connected` lines. */
    connected: number;
    /** `Client …: …, dropped` lines. */
    dropped: number;
    /** Any other lines, the first few of them kept. */
    other: string[];
  };
  /** Why the run fails its checks; empty when it passes (and always when the backlog is not the default). */
  failures: string[];
}

const USAGE = `usage: deno task bench [--lesson 1|3|4] [--connections 20000] [--concurrency 50] [--warmup 2000] ` +
  `[--backlog ${DEFAULT_BACKLOG}] [--timeout 3000] [--time-limit 120000] [--json]`;

/** Parses the command line; throws {@linkcode BenchUsageError} for a mistake. `undefined` means `--help`. */
export function parseOptions(args: string[]): BenchOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        lesson: { type: "string", default: "1" },
        connections: { type: "string", default: "20000" },
        concurrency: { type: "string", default: "50" },
        warmup: { type: "string", default: "2000" },
        backlog: { type: "string", default: String(DEFAULT_BACKLOG) },
        timeout: { type: "string", default: "3000" },
        "time-limit": { type: "string", default: "120000" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message.split(". ")[0] : error}`);
  }
  if (values.help) return undefined;
  const lesson = whole("lesson", values.lesson, 1);
  if (lesson !== 1) throw new BenchUsageError(`--lesson ${lesson}: lessons 1, 3 and 4 have benchmarks`);
  return {
    lesson,
    connections: whole("connections", values.connections, 1),
    concurrency: whole("concurrency", values.concurrency, 1),
    warmup: whole("warmup", values.warmup, 0),
    backlog: whole("backlog", values.backlog, 1),
    timeoutMs: whole("timeout", values.timeout, 1),
    timeLimitMs: whole("time-limit", values["time-limit"], 1),
    json: values.json,
  };
}

function whole(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || !Number.isSafeInteger(value)) {
    throw new BenchUsageError(`--${flag} must be a whole number of at least ${min}, got '${text}'`);
  }
  return value;
}

/** Aborted by Ctrl+C; every wait gives up when it is. */
const interrupt = new AbortController();

/**
 * Resolves with `promise`, or rejects with a {@linkcode BenchError} saying
 * `what` after `ms`, or with {@linkcode BenchInterrupted} on Ctrl+C.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${what} took longer than ${ms} ms`)), ms);
    onAbort = () => reject(new BenchInterrupted(`interrupted while ${what}`));
    if (interrupt.signal.aborted) onAbort();
    interrupt.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
    interrupt.signal.removeEventListener("abort", onAbort);
  }
}

/** `promise`'s value, or `"timeout"` after `ms`; leaves no timer behind. For waits that must not throw. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<"timeout">((resolve) => timer = setTimeout(resolve, ms, "timeout")),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number, what: string) =>
  withDeadline(new Promise<void>((resolve) => setTimeout(resolve, ms)), ms + 1000, what);

/** Reads a child's stream line by line until it ends, handing each line to `onLine`. Never throws. */
async function drainLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  let rest = "";
  try {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    }
  } catch { /* the child was killed; the stream just ends */ }
  if (rest) onLine(rest);
}

/** A `deno` child process whose output is always being drained, so it can never block on a full pipe. */
export class Child {
  /** The running process. */
  readonly process: Deno.ChildProcess;
  /** Lines on stdout, unless the creator handles them itself. */
  readonly stdout: string[] = [];
  /** The last lines on stderr, to explain a failure. */
  readonly stderr: string[] = [];
  /** Resolves when both streams have ended. */
  readonly drained: Promise<void>;
  #exited = false;

  /** Spawns `deno args…` in the course root; `handlers` may take lines before they are stored (true: taken). */
  constructor(
    readonly name: string,
    args: string[],
    handlers: { stdout?: (line: string) => void; stderr?: (line: string) => boolean } = {},
  ) {
    try {
      // The grader's environment (no colour, nothing of the shell's LD_LIBRARY_PATH…), not the shell's.
      // A server's console stays open (and empty) while it runs.
      this.process = spawnDeno({ args, cwd: ROOT, stdin: "piped", stdout: "piped", stderr: "piped" });
    } catch (error) {
      throw new BenchError(`cannot start the ${name}: ${error instanceof Error ? error.message : error}`);
    }
    this.process.status.then(() => this.#exited = true);
    this.drained = Promise.all([
      drainLines(this.process.stdout, handlers.stdout ?? ((line) => this.stdout.push(line))),
      drainLines(this.process.stderr, (line) => {
        if (handlers.stderr?.(line)) return;
        this.stderr.push(line);
        if (this.stderr.length > 20) this.stderr.shift();
      }),
    ]).then(() => {});
  }

  /** Whether the process has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /** The child's last line on stderr, to explain why it failed. */
  lastError(): string {
    return this.stderr.map((line) => line.trim()).filter(Boolean).at(-1) ?? "(nothing on stderr)";
  }

  /** Asks the child to stop with `signal`, kills it if it has not within the deadline, and waits for it. Never throws. */
  async stop(signal: Deno.Signal): Promise<void> {
    if (!this.#exited) {
      try {
        this.process.kill(signal);
      } catch { /* it exited meanwhile */ }
      if (await within(this.process.status, STOP_DEADLINE_MS) === "timeout") {
        try {
          this.process.kill("SIGKILL");
        } catch { /* it exited meanwhile */ }
        await within(this.process.status, STOP_DEADLINE_MS);
      }
    }
    // Its pipes close when it exits; wait for the last lines, but not forever.
    await within(this.drained, STOP_DEADLINE_MS);
  }
}

/**
 * `utime + stime` of process `pid` from `/proc/<pid>/stat`, in clock ticks,
 * after checking that `pid` is the deno process running the reference server.
 * `undefined` when Deno will not let us read `/proc`: it demands `--allow-all`
 * for any path there, and `deno task bench` does not grant it.
 */
export async function procCpuTicks(pid: number, script = SERVER): Promise<number | undefined> {
  let stat: string, cmdline: string;
  try {
    [stat, cmdline] = await Promise.all([
      Deno.readTextFile(`/proc/${pid}/stat`),
      Deno.readTextFile(`/proc/${pid}/cmdline`),
    ]);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) return undefined;
    throw new BenchError(
      `cannot read /proc/${pid}/stat (${error instanceof Error ? error.name : error}): is this Linux?`,
    );
  }
  // Field 2, the command name, is in parentheses and may hold spaces: split after the last ')'.
  const close = stat.lastIndexOf(")");
  const comm = stat.slice(stat.indexOf("(") + 1, close);
  const argv = cmdline.split("\0");
  if (comm !== "deno" || !argv.some((arg) => arg.endsWith(script))) {
    throw new BenchError(
      `/proc/${pid} is '${comm}' (${argv.join(" ").trim()}), not the deno process running ${script}`,
    );
  }
  // After ')': field 3 (state) is index 0, so field 14 (utime) is 11 and field 15 (stime) is 12.
  const fields = stat.slice(close + 2).split(" ");
  const utime = Number(fields[11]), stime = Number(fields[12]);
  if (!Number.isSafeInteger(utime) || !Number.isSafeInteger(stime)) {
    throw new BenchError(`cannot parse utime and stime in /proc/${pid}/stat`);
  }
  return utime + stime;
}

/** One reading of the server's CPU time. */
export interface CpuReading {
  /** User plus system time so far, in µs. */
  us: number;
  /** Where it came from. */
  source: "/proc/<pid>/stat" | "getrusage";
}

/** A time server as a child process (the reference, or the bare loop): its port, its CPU time, its log. */
class ServerUnderTest {
  /** The deno process running the server. */
  readonly child: Child;
  /** What it has logged so far. */
  readonly log = { connected: 0, dropped: 0, other: [] as string[] };
  #listening = Promise.withResolvers<number>();
  #probeWaiting: PromiseWithResolvers<ProbeSample> | undefined;
  #source: CpuReading["source"] | undefined;

  /** Starts `script` (the reference, by default) on a free port of 127.0.0.1 with the given backlog. */
  constructor(backlog: number, readonly script = SERVER) {
    const args = ["run", "--allow-net=127.0.0.1", `--preload=${PROBE}`, script];
    if (script === SERVER) args.push("server", "--host", "127.0.0.1", "--port", "0");
    args.push("--backlog", String(backlog));
    this.child = new Child(script === SERVER ? "server" : "bare loop", args, {
      stdout: (line) => {
        if (line.startsWith("Client ") && line.endsWith(" connected")) this.log.connected++;
        else if (line.startsWith("Client ") && line.endsWith(", dropped")) this.log.dropped++;
        else {
          const port = line.match(/^listening on 127\.0\.0\.1:(\d+)$/)?.[1];
          if (port) this.#listening.resolve(Number(port));
          else if (line !== "server stopped" && this.log.other.length < 5) this.log.other.push(line);
        }
      },
      stderr: (line) => {
        if (!line.startsWith(PROBE_PREFIX)) return false;
        try {
          this.#probeWaiting?.resolve(JSON.parse(line.slice(PROBE_PREFIX.length)));
        } catch {
          this.#probeWaiting?.reject(new BenchError(`the CPU probe printed '${line}'`));
        }
        this.#probeWaiting = undefined;
        return true;
      },
    });
  }

  /** The port from the server's first line; rejects if it exits first or takes too long. */
  port(): Promise<number> {
    const exited = this.child.process.status.then(async (status) => {
      await within(this.child.drained, STOP_DEADLINE_MS);
      throw new BenchError(
        `the ${this.child.name} exited (code ${status.code}) before listening: ${this.child.lastError()}`,
      );
    });
    return withDeadline(
      Promise.race([this.#listening.promise, exited]),
      START_DEADLINE_MS,
      `starting the ${this.child.name}`,
    );
  }

  /**
   * The server's CPU time so far: from `/proc/<pid>/stat` when Deno lets us
   * read it, else from the probe preloaded into the server. The first call
   * picks the source; later calls keep it, so differences compare like with like.
   */
  async cpu(): Promise<CpuReading> {
    const pid = this.child.process.pid;
    if (this.child.exited) {
      throw new BenchError(`the ${this.child.name} exited during the run: ${this.child.lastError()}`);
    }
    if (this.#source !== "getrusage") {
      const ticks = await procCpuTicks(pid, this.script);
      if (ticks !== undefined) {
        this.#source = "/proc/<pid>/stat";
        return { us: ticks / TICKS_PER_SECOND * 1e6, source: this.#source };
      }
      if (this.#source !== undefined) throw new BenchError(`/proc/${pid}/stat became unreadable during the run`);
    }
    this.#source = "getrusage";
    this.#probeWaiting = Promise.withResolvers<ProbeSample>();
    const answer = this.#probeWaiting.promise;
    try {
      this.child.process.kill(PROBE_SIGNAL);
    } catch {
      throw new BenchError(`the ${this.child.name} exited during the run: ${this.child.lastError()}`);
    }
    const sample = await withDeadline(answer, STOP_DEADLINE_MS, "waiting for the server's CPU probe");
    if (sample.pid !== pid) {
      throw new BenchError(`the CPU probe answered from pid ${sample.pid}, not the server's ${pid}`);
    }
    return { us: sample.userUs + sample.systemUs, source: this.#source };
  }
}

/** Runs the load generator once against `port` and returns its result; `started` learns the child, to stop it. */
async function runLoad(port: number, options: BenchOptions, started: (child: Child) => void): Promise<LoadResult> {
  const load = new Child("load generator", [
    "run",
    "--allow-net=127.0.0.1",
    LOAD,
    "--port",
    String(port),
    "--connections",
    String(options.connections),
    "--concurrency",
    String(options.concurrency),
    "--timeout",
    String(options.timeoutMs),
    "--time-limit",
    String(options.timeLimitMs),
  ]);
  started(load);
  // The generator starts nothing new after the time limit, and what is in
  // flight then ends within the timeout; the rest is start-up slack.
  const status = await withDeadline(
    load.process.status,
    options.timeLimitMs + options.timeoutMs + START_DEADLINE_MS,
    "running the load generator",
  );
  await withDeadline(load.drained, STOP_DEADLINE_MS, "reading the load generator's output");
  if (!status.success) throw new BenchError(`the load generator failed (code ${status.code}): ${load.lastError()}`);
  try {
    return JSON.parse(load.stdout.at(-1) ?? "");
  } catch {
    throw new BenchError(`the load generator printed no JSON result: ${load.stdout.at(-1) ?? "(nothing)"}`);
  }
}

/**
 * Why a lesson 1 run fails, from its figures: the reference's CPU per connection
 * over the bare loop's above {@linkcode CPU_RATIO}, or a hung connection; only at
 * the default backlog (another backlog is an experiment). Empty: it passes.
 */
export function judgeLesson1(
  options: Pick<BenchOptions, "backlog" | "timeoutMs">,
  figures: { perConnectionUs: number; barePerConnectionUs: number; hung: number },
): string[] {
  const failures: string[] = [];
  if (options.backlog !== DEFAULT_BACKLOG) return failures;
  const { perConnectionUs, barePerConnectionUs, hung } = figures;
  const ratio = perConnectionUs / barePerConnectionUs;
  if (!(ratio <= CPU_RATIO)) {
    failures.push(
      `the reference server used ${perConnectionUs.toFixed(1)} µs of CPU per connection, ` +
        `${ratio.toFixed(2)} times the bare loop's ${barePerConnectionUs.toFixed(1)} µs (at most ${CPU_RATIO})`,
    );
  }
  if (hung > 0) {
    failures.push(`${hung} connection(s) hung (nothing within ${options.timeoutMs} ms) at backlog ${options.backlog}`);
  }
  return failures;
}

/** Runs lesson 1's benchmark and returns its report. Throws {@linkcode BenchError} when it cannot. */
export async function benchLesson1(options: BenchOptions): Promise<BenchReport> {
  const server = new ServerUnderTest(options.backlog);
  const bare = new ServerUnderTest(options.backlog, BARE);
  let load: Child | undefined;
  try {
    const [port, barePort] = await Promise.all([server.port(), bare.port()]);
    // A short unmeasured round first: V8 compiles the server's hot paths during
    // its first thousand connections or so, which costs 50-60 µs each. The
    // budget is for the server at work, not while it warms up. The bare loop warms up alike.
    if (options.warmup > 0) {
      await runLoad(port, { ...options, connections: options.warmup }, (c) => load = c);
      await runLoad(barePort, { ...options, connections: options.warmup }, (c) => load = c);
    }
    // The baseline, half before the reference and half after: a machine that grows busier (or quieter) during the
    // run weighs on both sides of the ratio alike.
    const bareCpu = { connections: 0, totalUs: 0 };
    const bareHalf = async (connections: number) => {
      await sleep(SETTLE_MS, "letting the bare loop settle");
      const before = await bare.cpu();
      const half = await runLoad(barePort, { ...options, connections }, (c) => load = c);
      await sleep(SETTLE_MS, "letting the bare loop settle");
      bareCpu.totalUs += (await bare.cpu()).us - before.us;
      bareCpu.connections += half.attempted;
    };
    await bareHalf(Math.ceil(options.connections / 2));
    await sleep(SETTLE_MS, "letting the server settle");
    const before = await server.cpu();
    const logBefore = { ...server.log };
    const result = await runLoad(port, options, (c) => load = c);
    await sleep(SETTLE_MS, "letting the server settle");
    const after = await server.cpu();
    await bareHalf(Math.floor(options.connections / 2));
    const cpuUs = after.us - before.us;
    const perConnectionUs = cpuUs / result.attempted;
    const barePerConnectionUs = bareCpu.totalUs / bareCpu.connections;
    const cpuRatio = perConnectionUs / barePerConnectionUs;

    const failures = judgeLesson1(options, {
      perConnectionUs,
      barePerConnectionUs,
      hung: result.hung,
    });
    return {
      lesson: options.lesson,
      server: SERVER,
      connections: options.connections,
      attempted: result.attempted,
      concurrency: options.concurrency,
      warmup: options.warmup,
      backlog: options.backlog,
      timeoutMs: options.timeoutMs,
      wallSeconds: result.wallMs / 1000,
      connectionsPerSecond: result.ok / (result.wallMs / 1000),
      latencyMs: result.latencyMs,
      ok: result.ok,
      hung: result.hung,
      hungConnecting: result.hungConnecting,
      hungConnected: result.hungConnected,
      errors: result.errors,
      errorKinds: result.errorKinds,
      bad: result.bad,
      serverCpu: { source: after.source, totalUs: cpuUs, perConnectionUs },
      bareCpu: { ...bareCpu, perConnectionUs: barePerConnectionUs },
      cpuRatio,
      serverLog: {
        connected: server.log.connected - logBefore.connected,
        dropped: server.log.dropped - logBefore.dropped,
        other: server.log.other,
      },
      failures,
    };
  } finally {
    // SIGINT is the launcher's Ctrl+C: a clean stop. The generator needs no manners.
    await Promise.all([server.child.stop("SIGINT"), bare.child.stop("SIGKILL"), load?.stop("SIGKILL")]);
  }
}

/** The report as a small table for a person, figures formatted with `Intl.NumberFormat`. */
export function formatTable(report: BenchReport): string {
  const format = (digits: number) =>
    new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const [int, one, two, three] = [format(0), format(1), format(2), format(3)];
  const cpu = report.serverCpu;
  const latency = (which: "p50" | "p99" | "max") =>
    report.latencyMs === null ? "–" : two.format(report.latencyMs[which]);
  const cpuSource = cpu.source === "getrusage"
    ? `getrusage in the server, ${one.format(cpu.totalUs / 1000)} ms in all`
    : `/proc, ${int.format(cpu.totalUs / 1e6 * TICKS_PER_SECOND)} ticks at ${TICKS_PER_SECOND}/s`;
  const errorKinds = Object.entries(report.errorKinds).map(([name, n]) => `${name} ${int.format(n)}`).join(", ");
  const hungDetail = report.hung === 0
    ? `nothing within ${int.format(report.timeoutMs)} ms`
    : `nothing within ${int.format(report.timeoutMs)} ms: ${int.format(report.hungConnecting)} still connecting, ` +
      `${int.format(report.hungConnected)} connected`;
  // [label, figure, unit or note]; figures are right-aligned.
  const rows: [string, string, string][] = [
    ["connections", int.format(report.connections), ""],
    ["concurrency", int.format(report.concurrency), ""],
    ["warm-up (not measured)", int.format(report.warmup), ""],
    ["backlog", int.format(report.backlog), ""],
    ["wall time", three.format(report.wallSeconds), "s"],
    ["connections per second", int.format(report.connectionsPerSecond), ""],
    ["connect-to-close p50", latency("p50"), "ms"],
    ["connect-to-close p99", latency("p99"), "ms"],
    ["connect-to-close max", latency("max"), "ms"],
    ["hung", int.format(report.hung), `(${hungDetail})`],
    ["errors", int.format(report.errors), errorKinds ? `(${errorKinds})` : ""],
    ["server CPU per connection", one.format(cpu.perConnectionUs), `µs (${cpuSource})`],
    [
      "bare loop CPU per connection",
      one.format(report.bareCpu.perConnectionUs),
      `µs (${int.format(report.bareCpu.connections)} connections, same run)`,
    ],
    ["server over bare loop", two.format(report.cpuRatio), `× (at most ${CPU_RATIO})`],
  ];
  if (report.attempted < report.connections) {
    rows[0][2] = `(only ${int.format(report.attempted)} started before the time limit)`;
  }
  if (report.bad > 0) {
    rows.splice(10, 0, ["bad replies", int.format(report.bad), "(not one line ending in \\n, or no close in time)"]);
  }
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const figureWidth = Math.max(...rows.map(([, figure]) => figure.length));
  const lines = rows.map(([label, figure, note]) =>
    `  ${label.padEnd(labelWidth)}  ${figure.padStart(figureWidth)} ${note}`.trimEnd()
  );
  const other = report.serverLog.other.map((line) => `  server said: ${line}`);
  return [`lesson ${report.lesson}: ${report.server}`, ...lines, ...other].join("\n");
}

async function main(args: string[]): Promise<number> {
  const onInterrupt = () => interrupt.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    if (args.includes("--lesson") && args[args.indexOf("--lesson") + 1] === "4") {
      const { lines, failures } = await benchTransport();
      console.log(lines.join("\n"));
      if (failures.length > 0) {
        console.error(`bench: FAIL: ${failures.join("; ")}`);
        return 1;
      }
      return 0;
    }
    if (args.includes("--lesson") && args[args.indexOf("--lesson") + 1] === "3") {
      const chat = parseChatOptions(args);
      if (chat === undefined) {
        console.log("Chat fan-out against lesson 3's reference server (see tests/bench/chat.ts).");
        return 0;
      }
      const report = await benchChat(chat);
      console.log(chat.json ? JSON.stringify({ options: chat, ...report }, null, 2) : formatChat(chat, report));
      if (report.failures.length > 0) {
        console.error(`bench: FAIL: ${report.failures.join("; ")}`);
        return 1;
      }
      return 0;
    }
    const options = parseOptions(args);
    if (options === undefined) {
      console.log(`Load a lesson's reference server from a second process and print figures.\n${USAGE}`);
      return 0;
    }
    const report = await benchLesson1(options);
    console.log(options.json ? JSON.stringify(report, null, 2) : formatTable(report));
    if (report.failures.length > 0) {
      console.error(`bench: FAIL: ${report.failures.join("; ")}`);
      return 1;
    }
    if (!options.json && report.backlog !== DEFAULT_BACKLOG && report.hung > 0) {
      console.log(`  (backlog ${report.backlog}: hung connections are what this experiment shows, not a failure)`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BenchInterrupted) {
      console.error(`bench: ${error.message}; the server and load generator were stopped`);
      return 130;
    }
    if (error instanceof BenchUsageError) {
      console.error(`bench: usage error: ${error.message}`);
      if (!error.message.includes("usage: ")) console.error(USAGE);
      return 2;
    }
    if (error instanceof BenchError) {
      console.error(`bench: error: ${error.message}`);
      return 1;
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      console.error(`bench: error: not permitted: ${error.message.split("\n")[0]} (run it as 'deno task bench')`);
      return 1;
    }
    console.error(`bench: error: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
