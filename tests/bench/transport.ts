/**
 * `deno task bench --lesson 4`: TCP and UDP on this machine, with the
 * reference programs of lesson 4 as separate processes over loopback, and
 * iperf3's figures beside them when iperf3 is installed
 * (`apt-get install iperf3`).
 *
 * - TCP bulk: `bulk --tcp` (4 GiB in 64 KiB writes, one way, counted by the
 *   server) against `iperf3 -l 64K` (one way), three rounds in turn, medians
 *   compared. Target: at least 0.8 of iperf3.
 * - UDP bulk: `bulk --udp` (20,000 datagrams of 1,200 bytes): goodput and
 *   loss. No target: the loss is the lesson.
 * - Round trips: the reference pinger against a bare ping-pong loop, taking
 *   turns in one process (`ping_vs_bare.ts`: 20 blocks of 200 probes of 32
 *   bytes, 1 ms apart, each), over TCP and UDP. Target: the median of the
 *   pinger's per-block p50 at most 10% over the bare loop's.
 * - `compare`: at most 10 s.
 *
 * @module
 */
import { BenchError, Child, withDeadline } from "../bench.ts";
import { closedPort } from "../harness/socket.ts";

const MAIN = "solutions/04-tcp-vs-udp/main.ts";
/** iperf3 needs nothing from the shell; a LD_LIBRARY_PATH there would stop Deno from starting it. */
const NO_SHELL_ENV = { clearEnv: true, env: { LANG: "C" } };
/** The targets; missing one makes the exit code 1. */
export const TARGETS = { tcpVsIperf: 0.8, pingOverhead: 1.1, compareSeconds: 10 };

/** Runs the reference `main.ts` with `args` to its end and returns its stdout. */
async function reference(args: string[], ms = 60_000): Promise<string[]> {
  const child = new Child(`${args[0]}`, ["run", "--allow-net=127.0.0.1,[::1],localhost", MAIN, ...args]);
  const status = await withDeadline(child.process.status, ms, `running ${args.join(" ")}`);
  await withDeadline(child.drained, 3000, "reading its output");
  if (!status.success) throw new BenchError(`${args.join(" ")} failed: ${child.lastError()}`);
  return child.stdout;
}

/** Gbit/s from a line `goodput 17.57 Gbit/s …` (or Mbit/s). */
function goodput(lines: string[]): number {
  const match = lines.join("\n").match(/goodput ([\d.]+) (G|M)bit\/s/);
  if (!match) throw new BenchError(`no goodput in: ${lines.slice(-2).join(" | ")}`);
  return Number(match[1]) / (match[2] === "M" ? 1000 : 1);
}

/** iperf3's one-way TCP throughput in Gbit/s at `length`-byte writes, or undefined without iperf3. */
async function iperf3(length: string): Promise<number | undefined> {
  // iperf3 takes its port on the command line and cannot announce one it was given as 0: a free one, checked.
  const port = closedPort();
  let server: Deno.ChildProcess;
  try {
    server = new Deno.Command("iperf3", {
      args: ["-s", "-1", "-p", String(port)],
      ...NO_SHELL_ENV,
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    return undefined;
  }
  try {
    // No probe connection first: iperf3 -s -1 takes any connection for its one test. Until the server listens, the
    // client is refused: ask again, 5 s at most.
    const until = Date.now() + 5_000;
    let report;
    do {
      const out = await new Deno.Command("iperf3", {
        args: ["-c", "127.0.0.1", "-p", String(port), "-t", "2", "-l", length, "-J"],
        ...NO_SHELL_ENV,
        stdout: "piped",
        stderr: "null",
        signal: AbortSignal.timeout(30_000),
      }).output();
      report = JSON.parse(new TextDecoder().decode(out.stdout));
      if (!/refused/i.test(report.error ?? "")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < until);
    return report.end.sum_received.bits_per_second / 1e9;
  } catch {
    return undefined;
  } finally {
    try {
      server.kill();
    } catch { /* it ended after one test */ }
    await server.status;
  }
}

/** Each block's p50 in ms, pinger and bare loop taking turns in `ping_vs_bare.ts`, its own process. */
async function pingVsBare(protocol: "tcp" | "udp", port: number): Promise<{ ping: number[]; bare: number[] }> {
  const child = new Child(`ping against a bare loop (${protocol})`, [
    "run",
    "--allow-net=127.0.0.1",
    "--allow-write=/dev/null",
    "tests/bench/ping_vs_bare.ts",
    "--port",
    String(port),
    "--protocol",
    protocol,
    "--blocks",
    "20",
  ]);
  const status = await withDeadline(child.process.status, 120_000, `timing ping against a bare loop (${protocol})`);
  await withDeadline(child.drained, 3000, "reading its output");
  if (!status.success) throw new BenchError(`ping_vs_bare.ts failed: ${child.lastError()}`);
  return JSON.parse(child.stdout.at(-1) ?? "{}");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs every measurement and returns the report and what misses a target. */
export async function benchTransport(): Promise<{ lines: string[]; failures: string[] }> {
  const listening = Promise.withResolvers<number>();
  const server = new Child("echo server", [
    "run",
    "--allow-net=127.0.0.1,[::1],localhost",
    MAIN,
    "server",
    "--port",
    "0",
  ], {
    stdout(line) {
      const port = line.match(/^listening on 127\.0\.0\.1:(\d+)$/)?.[1];
      if (port) listening.resolve(Number(port));
    },
  });
  const failures: string[] = [];
  const lines: string[] = [];
  try {
    const port = String(await withDeadline(listening.promise, 15_000, "starting the echo server"));
    const at = ["--port", port];
    // Loopback throughput swings from run to run as much as round trips do: three rounds in turn, medians.
    const bulkRuns: number[] = [], iperfRuns: number[] = [];
    for (let round = 0; round < 3; round++) {
      bulkRuns.push(goodput(await reference(["bulk", "--tcp", ...at, "--bytes", String(2 ** 32), "--size", "65536"])));
      const one = await iperf3("64K");
      if (one !== undefined) iperfRuns.push(one);
    }
    const tcp = median(bulkRuns);
    const iperf = iperfRuns.length ? median(iperfRuns) : undefined;
    const udpOut = await reference(["bulk", "--udp", ...at, "--bytes", String(20_000 * 1200), "--size", "1200"]);
    const loss = udpOut.join("\n").match(/\(([\d.]+)%\)/)?.[1] ?? "?";
    const rounds = { tcp: await pingVsBare("tcp", Number(port)), udp: await pingVsBare("udp", Number(port)) };
    const [pingTcp, bareTcp] = [median(rounds.tcp.ping), median(rounds.tcp.bare)];
    const [pingUdp, bareUdp] = [median(rounds.udp.ping), median(rounds.udp.bare)];
    const started = performance.now();
    await reference(["compare", "--json"]);
    const compareSeconds = (performance.now() - started) / 1000;

    const f = (n: number, d = 2) => n.toFixed(d);
    lines.push(`lesson 4: ${MAIN}, on ${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`);
    const gbits = (values: number[]) => values.map((v) => f(v, 1)).join(", ");
    lines.push(
      `  TCP bulk, 64 KiB writes     ${f(tcp)} Gbit/s one way (${gbits(bulkRuns)})` +
        (iperf === undefined
          ? "   (iperf3 not installed)"
          : `   iperf3 ${f(iperf)} Gbit/s (${gbits(iperfRuns)}), ratio ${f(tcp / iperf)}`),
    );
    lines.push(`  UDP bulk, 1,200 B          ${f(goodput(udpOut), 3)} Gbit/s goodput, ${loss}% lost`);
    const spreadOf = (values: number[]) => `${f(Math.min(...values), 3)} – ${f(Math.max(...values), 3)}`;
    for (const [name, ping, loop] of [["TCP", pingTcp, bareTcp], ["UDP", pingUdp, bareUdp]] as const) {
      const blocks = rounds[name === "TCP" ? "tcp" : "udp"];
      lines.push(
        `  ${name} round trip p50         ping ${f(ping, 3)} ms, bare loop ${f(loop, 3)} ms, ratio ${
          f(ping / loop)
        } (medians of 20 blocks each; ping ${spreadOf(blocks.ping)}, bare ${spreadOf(blocks.bare)})`,
      );
    }
    lines.push(`  compare                    ${f(compareSeconds, 1)} s`);
    if (iperf !== undefined && tcp < TARGETS.tcpVsIperf * iperf) {
      failures.push(`bulk --tcp ${f(tcp)} Gbit/s is under ${TARGETS.tcpVsIperf}× iperf3's ${f(iperf)} Gbit/s`);
    }
    for (const [name, ping, loop] of [["tcp", pingTcp, bareTcp], ["udp", pingUdp, bareUdp]] as const) {
      if (ping > loop * TARGETS.pingOverhead) {
        failures.push(
          `ping --${name} p50 ${f(ping, 3)} ms is over ${TARGETS.pingOverhead}× the bare loop's ${f(loop, 3)} ms`,
        );
      }
    }
    if (compareSeconds > TARGETS.compareSeconds) failures.push(`compare took ${f(compareSeconds, 1)} s`);
    return { lines, failures };
  } finally {
    await server.stop("SIGINT");
  }
}
