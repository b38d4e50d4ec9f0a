/**
 * Lesson 4 launcher: `server`, `ping`, `bulk`, `boundaries`, `relay`,
 * `compare`, and with no command the comparison twice, on clean loopback and
 * through an impairing relay. The same file stands in lessons/ and
 * solutions/; you write server.ts, ping.ts and bulk.ts.
 *
 * @module
 */
import { hostPort, labelled, log, parsePort, parsePositive, runProgram, UsageError } from "@course/program.ts";
import { runServer } from "./server.ts";
import { MIN_PROBE, runPing } from "./ping.ts";
import { runBulk } from "./bulk.ts";
import { runBoundaries } from "./boundaries.ts";
import { type Impairment, parseImpairment, startRelay } from "./relay.ts";
import { runCompare } from "./compare.ts";
import { MAX_DATAGRAM } from "./server.ts";

/** `--udp` or `--tcp`, exactly one. */
function protocol(v: { udp?: boolean; tcp?: boolean }): "udp" | "tcp" {
  if (v.udp === v.tcp) throw new UsageError("say which transport: --udp or --tcp");
  return v.udp ? "udp" : "tcp";
}

function impairment(text: string | undefined): Impairment | undefined {
  if (text === undefined) return undefined;
  try {
    return parseImpairment(text);
  } catch (error) {
    throw new UsageError(`--impair: ${(error as Error).message}`);
  }
}

const target = {
  host: { type: "string" as const, default: "127.0.0.1", help: "the echo server's address (127.0.0.1 or ::1)" },
  port: { type: "string" as const, default: "8000", help: "the echo server's port" },
  udp: { type: "boolean" as const, help: "use UDP" },
  tcp: { type: "boolean" as const, help: "use TCP" },
};
const IMPAIR_HELP = "send UDP through a relay that impairs it: loss=P,reorder=P,duplicate=P,delay=MS,jitter=MS,seed=N";

/**
 * Runs `work` with UDP going through an in-process relay toward `port` when
 * `spec` is given; `work` gets the port to use.
 */
async function maybeRelayed<T>(spec: Impairment | undefined, port: number, work: (port: number) => Promise<T>) {
  if (!spec) return await work(port);
  const stop = new AbortController();
  const relay = startRelay({
    ...spec,
    host: "127.0.0.1",
    port: 0,
    target: { host: "127.0.0.1", port },
    log: labelled("relay", "yellow"),
    signal: stop.signal,
  });
  try {
    return await work(relay.port);
  } finally {
    stop.abort();
    await relay.done;
  }
}

const code = await runProgram({
  name: "deno task lesson-4",
  about: "Lesson 4: TCP and UDP, measured side by side on your machine.",
  commands: {
    server: {
      summary: "echo server: TCP (bytes back) and UDP (datagrams back) on the same port",
      options: {
        host: { type: "string", default: "127.0.0.1", help: "address to listen on (::1 for IPv6)" },
        port: { type: "string", default: "8000", help: "port for both; 0 picks a free one" },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: (v, signal) => runServer({ host: v.host, port: parsePort(v.port), log, signal }),
    },
    ping: {
      summary: "send numbered probes, match the echoes, report loss, order and round-trip times",
      options: {
        ...target,
        count: { type: "string", default: "10", help: "probes to send" },
        interval: { type: "string", default: "200", help: "ms between probes" },
        timeout: { type: "string", default: "1000", help: "ms to wait for each reply" },
        size: { type: "string", default: "64", help: `bytes per probe (${MIN_PROBE} or more)` },
        impair: { type: "string", help: IMPAIR_HELP },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      async run(v) {
        const size = parsePositive("size", v.size);
        if (size < MIN_PROBE || size > MAX_DATAGRAM) {
          throw new UsageError(`--size must be from ${MIN_PROBE} to ${MAX_DATAGRAM}, got ${size}`);
        }
        const spec = impairment(v.impair);
        const chosen = protocol(v);
        if (spec && chosen === "tcp") throw new UsageError("--impair works on UDP; TCP hides loss from you");
        await maybeRelayed(spec, parsePort(v.port), (port) =>
          runPing({
            host: v.host,
            port,
            protocol: chosen,
            count: parsePositive("count", v.count),
            intervalMs: parsePositive("interval", v.interval),
            timeoutMs: parsePositive("timeout", v.timeout),
            size,
            // Printed at once, not gathered: a write gathered for later would
            // land in the middle of a later probe's round trip and lengthen it.
            log: console.log,
          }));
      },
    },
    bulk: {
      summary: "send many bytes; count what comes back and how fast",
      options: {
        ...target,
        bytes: { type: "string", default: String(64 * 1024 * 1024), help: "bytes to send" },
        size: { type: "string", help: "bytes per write (TCP, default 65536) or per datagram (UDP, default 1200)" },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      async run(v) {
        const chosen = protocol(v);
        const size = parsePositive("size", v.size ?? (chosen === "tcp" ? "65536" : "1200"));
        if (chosen === "udp" && (size < 4 || size > MAX_DATAGRAM)) {
          throw new UsageError(`--size for UDP must be from 4 to ${MAX_DATAGRAM}, got ${size}`);
        }
        await runBulk({
          host: v.host,
          port: parsePort(v.port),
          protocol: chosen,
          bytes: parsePositive("bytes", v.bytes),
          size,
          drainMs: 300,
          log,
        });
      },
    },
    boundaries: {
      summary: "three writes over TCP, three datagrams over UDP: count the reads",
      options: {},
      run: async () => {
        await runBoundaries(log);
      },
    },
    relay: {
      summary: "a UDP relay that drops, duplicates, reorders and delays, deterministically",
      options: {
        port: { type: "string", default: "8001", help: "port the relay listens on; 0 picks one" },
        to: { type: "string", default: "8000", help: "the UDP echo server's port (on 127.0.0.1)" },
        loss: { type: "string", default: "0.1", help: "probability of dropping a datagram (0 to 1)" },
        reorder: { type: "string", default: "0", help: "probability of holding one back until the next has passed" },
        duplicate: { type: "string", default: "0", help: "probability of sending one twice" },
        delay: { type: "string", default: "0", help: "ms added to every datagram" },
        jitter: { type: "string", default: "0", help: "up to this many ms more or less, at random" },
        seed: { type: "string", default: "1", help: "the same seed and traffic give the same fate" },
      },
      address: (v) => hostPort("127.0.0.1", Number(v.port)),
      async run(v, signal) {
        const spec = impairment(
          `loss=${v.loss},reorder=${v.reorder},duplicate=${v.duplicate},delay=${v.delay},jitter=${v.jitter},seed=${v.seed}`,
        )!;
        const relay = startRelay({
          ...spec,
          host: "127.0.0.1",
          port: parsePort(v.port),
          target: { host: "127.0.0.1", port: parsePort(v.to) },
          log,
          signal,
        });
        log(`listening on 127.0.0.1:${relay.port} (udp), relaying to 127.0.0.1:${v.to}`);
        await relay.done;
      },
    },
    compare: {
      summary: "measure every row of the TCP/UDP table on this machine",
      options: {
        json: { type: "boolean", help: "print the figures as JSON" },
        impair: { type: "string", help: IMPAIR_HELP },
      },
      run: async (v) => {
        await runCompare({ impair: impairment(v.impair), json: v.json ?? false, log });
      },
    },
  },
  async demo() {
    await runCompare({ json: false, log: labelled("compare", "cyan") });
    log("");
    await runCompare({
      impair: parseImpairment("loss=0.05,reorder=0.05,duplicate=0.02,seed=7"),
      json: false,
      log: labelled("compare", "cyan"),
    });
  },
}, Deno.args);
Deno.exit(code);
