/**
 * A bare ping-pong loop, run as its own process by `tests/bench/transport.ts`:
 * `--count` round trips of 32 bytes, 1 ms apart, over `--protocol` to the echo
 * server on 127.0.0.1:`--port`, with nothing else (no numbering, no timers,
 * no bookkeeping). Prints the p50 in ms. The pinger's overhead is its own p50
 * over this one, measured the same way: a fresh process against the same server.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { port: { type: "string" }, protocol: { type: "string" }, count: { type: "string", default: "2000" } },
});
const port = Number(values.port);
const count = Number(values.count);
const times: number[] = [];
const probe = new Uint8Array(32);
if (values.protocol === "tcp") {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const buffer = new Uint8Array(32);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await conn.write(probe);
    for (let got = 0; got < 32;) got += (await conn.read(buffer.subarray(got))) ?? 32;
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1));
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
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  socket.close();
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(4));
