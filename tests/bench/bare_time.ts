/**
 * The baseline of lesson 1's benchmark: the barest time server Deno can run,
 * an accept-write-close loop with nothing else (no log, no launcher, no error
 * handling beyond not crashing). `tests/bench.ts` loads it beside the
 * reference, in the same run and with the same load generator, and judges the
 * reference's CPU per connection against this loop's: whatever the machine is
 * doing meanwhile costs both alike, so the ratio holds where a fixed budget in
 * µs does not.
 *
 * `deno run --allow-net=127.0.0.1 tests/bench/bare_time.ts [--backlog N]`
 * prints `listening on 127.0.0.1:PORT` and serves until killed.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ args: Deno.args, options: { backlog: { type: "string", default: "128" } } });
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0, tcpBacklog: Number(values.backlog) });
console.log(`listening on 127.0.0.1:${listener.addr.port}`);
const encoder = new TextEncoder();

async function serve(conn: Deno.Conn): Promise<void> {
  try {
    // 30 bytes: one write takes them all on loopback.
    await conn.write(encoder.encode(new Date().toISOString() + "\n"));
  } catch { /* the client went away */ }
  try {
    conn.close();
  } catch { /* already closed */ }
}

while (true) {
  let conn: Deno.Conn;
  try {
    conn = await listener.accept();
  } catch (error) {
    if (error instanceof Deno.errors.BadResource) break;
    continue;
  }
  serve(conn);
}
