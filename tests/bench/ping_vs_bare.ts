/**
 * The pinger against a bare ping-pong loop, in one process, run by
 * `tests/bench/transport.ts`. Round trips on a shared machine drift by more
 * than the 10% at stake from one process to the next, so the two take turns
 * in blocks of `--block` probes (32 bytes, 1 ms apart) against the same echo
 * server on 127.0.0.1:`--port`, `--blocks` times each: whatever the machine
 * does meets both alike. The bare loop has nothing else: no numbering, no
 * deadlines, no lines printed. The pinger is the reference's `runPing`,
 * printing a line per reply as `deno task solution-4 ping` does, but to
 * /dev/null: the write is the pinger's cost, the reader waking for every line
 * (a terminal, or the bench) is not.
 *
 * The last line printed is JSON: each block's p50 in ms, `{ ping: [...], bare: [...] }`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runPing } from "../../solutions/04-tcp-vs-udp/ping.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string" },
    protocol: { type: "string" },
    block: { type: "string", default: "200" },
    blocks: { type: "string", default: "10" },
  },
});
const port = Number(values.port);
const protocol = values.protocol === "tcp" ? "tcp" : "udp";
const block = Number(values.block);
const SIZE = 32;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const p50 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/** `count` round trips with nothing around them; returns their p50 in ms. */
async function bare(count: number): Promise<number> {
  const times: number[] = [];
  const probe = new Uint8Array(SIZE);
  if (protocol === "tcp") {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const buffer = new Uint8Array(SIZE);
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await conn.write(probe);
      for (let got = 0; got < SIZE;) got += (await conn.read(buffer.subarray(got))) ?? SIZE;
      times.push(performance.now() - started);
      await sleep(1);
    }
    conn.close();
  } else {
    const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const server = { transport: "udp" as const, hostname: "127.0.0.1", port };
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await socket.send(probe, server);
      await socket.receive();
      times.push(performance.now() - started);
      await sleep(1);
    }
    socket.close();
  }
  return p50(times);
}

const sink = Deno.openSync("/dev/null", { write: true });
const encoder = new TextEncoder();
const result = { ping: [] as number[], bare: [] as number[] };
for (let round = 0; round < Number(values.blocks); round++) {
  const summary = await runPing({
    host: "127.0.0.1",
    port,
    protocol,
    count: block,
    intervalMs: 1,
    timeoutMs: 1000,
    size: SIZE,
    log: (line) => sink.writeSync(encoder.encode(line + "\n")),
  });
  result.ping.push(summary.rtt!.p50);
  result.bare.push(await bare(block));
}
sink.close();
console.log(JSON.stringify(result));
