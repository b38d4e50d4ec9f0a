/**
 * Preloaded into the server under test (`deno run --preload
 * tests/bench/cpu_probe.ts solutions/…/main.ts …`): on SIGUSR2 it writes the
 * process's CPU time so far to stderr as one line,
 * `cpu-probe {"pid":…,"userUs":…,"systemUs":…,"maxRssKb":…}` (peak memory too,
 * from the same `getrusage`).
 *
 * Why it exists: the benchmark wants the server's `utime + stime`, which Linux
 * keeps in `/proc/<pid>/stat`. But Deno (since 1.43) refuses to read anything
 * under `/proc` without `--allow-all`, whatever `--allow-read` says
 * (`NotCapable: Requires all access to "/proc/…/stat"`), and the benchmark
 * runs without it. `process.cpuUsage()` is `getrusage(RUSAGE_SELF)`: the same
 * kernel counters as `/proc/<pid>/stat` (every thread of the process, the
 * finished ones included), in microseconds instead of clock ticks, and it needs
 * no permission. The probe does nothing until asked, so the server's own code
 * runs unchanged.
 *
 * @module
 */
import process from "node:process";

/** What the probe reports, after the `cpu-probe ` prefix. */
export interface ProbeSample {
  /** The process that answered, to check it is the one the benchmark started. */
  pid: number;
  /** CPU time in user mode so far, in µs. */
  userUs: number;
  /** CPU time in the kernel on the process's behalf so far, in µs. */
  systemUs: number;
  /** The most memory the process has held at once (peak resident set size), in KiB. */
  maxRssKb: number;
  /** The memory it holds now (resident set size), in KiB. */
  rssKb: number;
}

// The benchmark imports this module for its types only (`import type`), so
// this runs only as a preload, in the server's process.
Deno.addSignalListener("SIGUSR2", () => {
  const { user, system } = process.cpuUsage();
  const sample: ProbeSample = {
    pid: Deno.pid,
    userUs: user,
    systemUs: system,
    maxRssKb: process.resourceUsage().maxRSS,
    rssKb: Math.round(Deno.memoryUsage().rss / 1024),
  };
  console.error(`cpu-probe ${JSON.stringify(sample)}`);
});
