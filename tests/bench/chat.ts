/**
 * `deno task bench --lesson 3`: chat fan-out. The reference chat server runs
 * as one process, the clients (`tests/bench/load_chat.ts`) as another, and
 * they meet over loopback. Two scenarios, each on a fresh server so its peak
 * memory is its own:
 *
 * - `fan-out`: `--clients` receivers, `--senders` senders bursting `--lines`
 *   lines of `--size` bytes each;
 * - `stalled`: the same, plus one client that joins and never reads.
 *
 * For each: lines delivered per second (first write to last arrival),
 * delivery latency p50/p99, and the server's peak memory and CPU time (from
 * the probe preloaded into it, `cpu_probe.ts`). The server runs with
 * `--rate 0`: the flood limit is a policy for people, and this load is a
 * deliberate flood.
 *
 * Targets (on the course's 2-core machine, 200 clients, one sender, 2,000
 * lines of 100 bytes): at least 665,000 lines/s, p99 at most 500 ms, peak
 * memory at most 64 MiB; with a stalled reader, peak memory within the same
 * bound and p99 within twice the fan-out run's (and never under 50 ms of
 * slack, since a run this short is noisy). Missing one makes the exit code 1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BenchError, BenchUsageError, Child, withDeadline } from "../bench.ts";
import type { ChatLoadResult } from "./load_chat.ts";
import type { ProbeSample } from "./cpu_probe.ts";

const SERVER = "solutions/03-chat/main.ts";
const LOAD = "tests/bench/load_chat.ts";
const PROBE = "tests/bench/cpu_probe.ts";

/** The targets a run must meet. */
export const TARGETS = { linesPerSecond: 665_000, p99Ms: 500, peakMiB: 64, stalledP99Factor: 2, slackMs: 50 };

/** The command line for lesson 3. */
export interface ChatOptions {
  clients: number;
  senders: number;
  lines: number;
  size: number;
  json: boolean;
}

/** One scenario's figures. */
export interface ChatScenario {
  /** `fan-out` or `stalled`. */
  name: string;
  /** What the load generator measured. */
  load: ChatLoadResult;
  /** Deliveries per second. */
  linesPerSecond: number;
  /** The server's peak resident memory, in MiB. */
  peakMiB: number;
  /** The server's CPU time during the scenario, in ms. */
  cpuMs: number;
  /** Drops and other notable lines the server logged. */
  serverSaid: string[];
}

const USAGE = "usage: deno task bench --lesson 3 [--clients 200] [--senders 1] [--lines 2000] [--size 100] [--json]";

/** Parses lesson 3's options (after `--lesson 3`); undefined means `--help`. */
export function parseChatOptions(args: string[]): ChatOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        lesson: { type: "string" },
        clients: { type: "string", default: "200" },
        senders: { type: "string", default: "1" },
        lines: { type: "string", default: "2000" },
        size: { type: "string", default: "100" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message.split(". ")[0] : error}; ${USAGE}`);
  }
  if (values.help) return undefined;
  const whole = (flag: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new BenchUsageError(`--${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
    }
    return value;
  };
  return {
    clients: whole("clients", values.clients, 1, 1000),
    senders: whole("senders", values.senders, 1, 10),
    lines: whole("lines", values.lines, 1, 100_000),
    size: whole("size", values.size, 40, 4096),
    json: values.json,
  };
}

/** Runs one scenario on a fresh reference server. */
async function scenario(name: string, options: ChatOptions, stall: boolean): Promise<ChatScenario> {
  const listening = Promise.withResolvers<number>();
  const serverSaid: string[] = [];
  let probe: PromiseWithResolvers<ProbeSample> | undefined;
  const server = new Child("chat server", [
    "run",
    "--allow-net=127.0.0.1",
    `--preload=${PROBE}`,
    SERVER,
    "server",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--rate",
    "0",
    "--max-clients",
    String(options.clients + options.senders + 10),
  ], {
    stdout(line) {
      const port = line.match(/^listening on 127\.0\.0\.1:(\d+)$/)?.[1];
      if (port) listening.resolve(Number(port));
      else if (/dropped|refused|accept failed/.test(line) && serverSaid.length < 5) serverSaid.push(line);
    },
    stderr(line) {
      if (!line.startsWith("cpu-probe ")) return false;
      probe?.resolve(JSON.parse(line.slice("cpu-probe ".length)));
      return true;
    },
  });
  const sample = async () => {
    probe = Promise.withResolvers<ProbeSample>();
    server.process.kill("SIGUSR2");
    return await withDeadline(probe.promise, 3000, "waiting for the server's probe");
  };
  let load: Child | undefined;
  try {
    const exited = server.process.status.then(() => {
      throw new BenchError(`the chat server exited before listening: ${server.lastError()}`);
    });
    const port = await withDeadline(Promise.race([listening.promise, exited]), 15_000, "starting the chat server");
    const before = await sample();
    load = new Child("chat load generator", [
      "run",
      "--allow-net=127.0.0.1",
      LOAD,
      "--port",
      String(port),
      "--clients",
      String(options.clients),
      "--senders",
      String(options.senders),
      "--lines",
      String(options.lines),
      "--size",
      String(options.size),
      ...(stall ? ["--stall"] : []),
    ]);
    const status = await withDeadline(load.process.status, 120_000, `running the ${name} load`);
    await withDeadline(load.drained, 3000, "reading the load generator's output");
    if (!status.success) throw new BenchError(`the chat load generator failed: ${load.lastError()}`);
    const result: ChatLoadResult = JSON.parse(load.stdout.at(-1) ?? "{}");
    const after = await sample();
    return {
      name,
      load: result,
      linesPerSecond: result.delivered / (result.wallMs / 1000),
      peakMiB: after.maxRssKb / 1024,
      cpuMs: (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000,
      serverSaid,
    };
  } finally {
    await Promise.all([server.stop("SIGINT"), load?.stop("SIGKILL")]);
  }
}

/** Both scenarios, and what misses a target. */
export async function benchChat(options: ChatOptions): Promise<{ scenarios: ChatScenario[]; failures: string[] }> {
  const fanOut = await scenario("fan-out", options, false);
  const stalled = await scenario("stalled", options, true);
  const failures: string[] = [];
  for (const run of [fanOut, stalled]) {
    if (run.load.delivered < run.load.expected) {
      failures.push(`${run.name}: ${run.load.expected - run.load.delivered} lines never arrived`);
    }
    if (run.load.corrupt > 0) failures.push(`${run.name}: ${run.load.corrupt} receivers got lines out of order`);
    if (run.peakMiB > TARGETS.peakMiB) {
      failures.push(`${run.name}: peak memory ${run.peakMiB.toFixed(1)} MiB, over ${TARGETS.peakMiB}`);
    }
  }
  if (fanOut.linesPerSecond < TARGETS.linesPerSecond) {
    failures.push(`fan-out: ${Math.round(fanOut.linesPerSecond)} lines/s, under ${TARGETS.linesPerSecond}`);
  }
  if (fanOut.load.latencyMs.p99 > TARGETS.p99Ms) {
    failures.push(`fan-out: p99 ${fanOut.load.latencyMs.p99.toFixed(0)} ms, over ${TARGETS.p99Ms}`);
  }
  const stalledLimit = Math.max(
    fanOut.load.latencyMs.p99 * TARGETS.stalledP99Factor,
    fanOut.load.latencyMs.p99 + TARGETS.slackMs,
  );
  if (stalled.load.latencyMs.p99 > stalledLimit) {
    failures.push(`stalled: p99 ${stalled.load.latencyMs.p99.toFixed(0)} ms, over ${stalledLimit.toFixed(0)} ms`);
  }
  return { scenarios: [fanOut, stalled], failures };
}

/** The figures as a table for a person. */
export function formatChat(options: ChatOptions, scenarios: ChatScenario[]): string {
  const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const rows: string[][] = [["", ...scenarios.map((s) => s.name)]];
  const add = (label: string, value: (s: ChatScenario) => string) => rows.push([label, ...scenarios.map(value)]);
  add("lines delivered", (s) => `${int.format(s.load.delivered)} of ${int.format(s.load.expected)}`);
  add("first write to last arrival", (s) => `${one.format(s.load.wallMs)} ms`);
  add("lines per second", (s) => int.format(s.linesPerSecond));
  add("latency p50", (s) => `${one.format(s.load.latencyMs.p50)} ms`);
  add("latency p99", (s) => `${one.format(s.load.latencyMs.p99)} ms`);
  add("latency max", (s) => `${one.format(s.load.latencyMs.max)} ms`);
  add("server peak memory", (s) => `${one.format(s.peakMiB)} MiB`);
  add("server CPU", (s) => `${int.format(s.cpuMs)} ms`);
  add("stalled client closed", (s) => s.load.stalledClosed === null ? "–" : s.load.stalledClosed ? "yes" : "no");
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const header = `lesson 3: ${SERVER}, ${options.clients} clients, ${options.senders} sender(s) × ` +
    `${int.format(options.lines)} lines of ${options.size} B`;
  const said = scenarios.flatMap((s) => s.serverSaid.map((line) => `  ${s.name}: server said: ${line}`));
  return [
    header,
    ...rows.map((row) =>
      "  " + row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ")
    ),
    ...said,
  ]
    .join("\n");
}
