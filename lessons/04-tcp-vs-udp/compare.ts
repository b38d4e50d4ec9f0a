/**
 * Lesson 4, given: the course material's TCP/UDP table, with a number
 * measured on this machine in every row that can be measured. You do not
 * edit this file; it runs your server, pinger and bulk sender.
 *
 * @module
 */
import { runServer } from "./server.ts";
import { type PingSummary, runPing } from "./ping.ts";
import { type BulkResult, runBulk } from "./bulk.ts";
import { type Boundaries, measureBoundaries } from "./boundaries.ts";
import { type Impairment, startRelay } from "./relay.ts";
import { ms, rate, type Spread, spread } from "./stats.ts";

/** How `runCompare` is configured. */
export interface CompareOptions {
  /** Route UDP through the impairment relay. */
  impair?: Impairment;
  json: boolean;
  log: (line: string) => void;
}

/** Everything `compare --json` prints. */
export interface Comparison {
  impairment: Impairment | null;
  /** TCP connect (three-way handshake) times over 20 connections, ms. */
  tcpConnectMs: Spread;
  ping: { tcp: PingSummary; udp: PingSummary };
  bulk: { tcp: BulkResult; udp: BulkResult };
  boundaries: Boundaries;
  /** Rows that are facts of the protocols, not measurements. */
  facts: { headerBytes: { tcp: number; udp: number }; congestionControl: { tcp: boolean; udp: boolean } };
}

const quiet = () => {};

/** Runs every measurement against your server on a free port and prints the table (or JSON). */
export async function runCompare(options: CompareOptions): Promise<Comparison> {
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const server = runServer({
    host: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    log: (line) => {
      const port = line.match(/^listening on 127\.0\.0\.1:(\d+)/)?.[1];
      if (port) listening.resolve(Number(port));
    },
  });
  const relayStop = new AbortController();
  try {
    const port = await Promise.race([
      listening.promise,
      server.then(() => Promise.reject(new Error("server stopped"))),
    ]);
    const relay = options.impair
      ? startRelay({
        ...options.impair,
        host: "127.0.0.1",
        port: 0,
        target: { host: "127.0.0.1", port },
        log: quiet,
        signal: relayStop.signal,
      })
      : undefined;
    const udpPort = relay?.port ?? port;

    const connects: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      connects.push(performance.now() - started);
      conn.close();
    }
    const pingOptions = { host: "127.0.0.1", count: 200, intervalMs: 2, timeoutMs: 500, size: 64, log: quiet };
    const result: Comparison = {
      impairment: options.impair ?? null,
      tcpConnectMs: spread(connects)!,
      ping: {
        tcp: await runPing({ ...pingOptions, port, protocol: "tcp" }),
        udp: await runPing({ ...pingOptions, port: udpPort, protocol: "udp" }),
      },
      bulk: {
        tcp: await runBulk({
          host: "127.0.0.1",
          port,
          protocol: "tcp",
          bytes: 32 * 1024 * 1024,
          size: 64 * 1024,
          drainMs: 0,
          log: quiet,
        }),
        udp: await runBulk({
          host: "127.0.0.1",
          port: udpPort,
          protocol: "udp",
          bytes: (relay ? 2_000 : 20_000) * 1200,
          size: 1200,
          drainMs: 300,
          log: quiet,
        }),
      },
      boundaries: await measureBoundaries(),
      facts: { headerBytes: { tcp: 20, udp: 8 }, congestionControl: { tcp: true, udp: false } },
    };
    options.log(options.json ? JSON.stringify(result, null, 2) : table(result));
    return result;
  } finally {
    relayStop.abort();
    stop.abort();
    await server;
  }
}

/** The comparison in the shape of the course material's table. */
export function table(c: Comparison): string {
  const udpLoss = c.bulk.udp.datagrams!;
  const rows: [string, string, string][] = [
    ["connection", `handshake first: connect ${ms(c.tcpConnectMs.p50)} ms (p50)`, "none: the first datagram is data"],
    [
      "round trip, p50 / p99",
      `${ms(c.ping.tcp.rtt?.p50 ?? NaN)} / ${ms(c.ping.tcp.rtt?.p99 ?? NaN)} ms`,
      `${ms(c.ping.udp.rtt?.p50 ?? NaN)} / ${ms(c.ping.udp.rtt?.p99 ?? NaN)} ms`,
    ],
    [
      "reliability (ping)",
      `${c.ping.tcp.lost} of ${c.ping.tcp.sent} lost`,
      `${c.ping.udp.lost} of ${c.ping.udp.sent} lost, ${c.ping.udp.duplicates} duplicated`,
    ],
    [
      "delivery (bulk)",
      `${c.bulk.tcp.received} of ${c.bulk.tcp.sent} bytes counted by the server`,
      `${udpLoss.received} of ${udpLoss.sent} datagrams back (${udpLoss.lossPercent.toFixed(1)}% lost)`,
    ],
    [
      "order",
      "kept (a stream)",
      `${c.ping.udp.outOfOrder + udpLoss.reordered} arrived out of order`,
    ],
    [
      "throughput (bulk)",
      `${rate(c.bulk.tcp.received, c.bulk.tcp.seconds)} one way`,
      `${rate(c.bulk.udp.received, c.bulk.udp.seconds)} there and back`,
    ],
    [
      "message boundaries",
      `3 writes → ${c.boundaries.tcp.length} read(s)`,
      `3 datagrams → ${c.boundaries.udp.length} receive(s)`,
    ],
    ["congestion control", "yes (fact: slows down when the network is full)", "no (fact: sends as fast as asked)"],
    [
      "header size",
      `${c.facts.headerBytes.tcp} bytes (fact, without options)`,
      `${c.facts.headerBytes.udp} bytes (fact)`,
    ],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ["", "TCP", "UDP"][i].length));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  const title = c.impairment
    ? `TCP vs UDP, UDP through the relay (loss ${c.impairment.loss}, reorder ${c.impairment.reorder}, duplicate ${c.impairment.duplicate}, seed ${c.impairment.seed})`
    : "TCP vs UDP on loopback";
  return [title, line(["", "TCP", "UDP"]), ...rows.map(line)].join("\n");
}
