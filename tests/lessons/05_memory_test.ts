/**
 * Lesson 5's reference `fetch` holds memory in proportion to its limits, not
 * to what a server sends within them. Two hostile responses that stay inside
 * every limit: a 64 KiB head of 13,000 repeated `a:b` lines, and a body of
 * 500,000 chunks of 1 byte. Each runs in a process of its own
 * (05_memory_child.ts), which reports its resident set size (RSS) before the
 * fetch and the highest seen until it ends.
 *
 * What is measured is RSS, with generous margins: on this machine the fixed
 * code grows by about 10 MB (head) and 17 MB (chunks), the code before the
 * fix by about 116 MB (joining the repeated values anew at every line) and
 * 304 MB (a list of 500,000 one-byte arrays). The bound, 50 MB, sits between
 * with room on both sides. The amounts are fixed, not a time: a busy machine
 * makes the run slower, not bigger.
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);
const REFERENCE = new URL("../../solutions/05-dns-http/fetch.ts", import.meta.url).href;
const CHILD = new URL("./05_memory_child.ts", import.meta.url).pathname;
/** The most the fetch process may grow, in bytes. */
const BOUND = 50 * 1000 * 1000;

const encoder = new TextEncoder();

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** Serves `respond` to one connection on 127.0.0.1, runs the reference fetch against it, returns what the child saw. */
async function measure(respond: (conn: Deno.Conn) => Promise<void>) {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    const conn = await listener.accept();
    try {
      await conn.read(new Uint8Array(4096)); // the request; its content does not matter here
      await respond(conn);
    } catch {
      /* the fetch gave up and closed: its report says why */
    } finally {
      conn.close();
    }
  })();
  const output = await new Deno.Command("deno", {
    args: [
      "run",
      "-q",
      "--allow-net=127.0.0.1",
      `--allow-read=${ROOT}`,
      CHILD,
      REFERENCE,
      `http://127.0.0.1:${listener.addr.port}/`,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  await serving;
  const stderr = new TextDecoder().decode(output.stderr);
  assert.ok(output.success, `the measuring process failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as { before: number; peak: number; ended: string };
}

function report(what: string, seen: { before: number; peak: number; ended: string }): void {
  const grew = seen.peak - seen.before;
  assert.equal(seen.ended, "ok", `${what}: the fetch did not end well`);
  assert.ok(
    grew < BOUND,
    `${what}: the fetch process grew by ${(grew / 1e6).toFixed(1)} MB (RSS), over the ${BOUND / 1e6} MB bound`,
  );
}

Deno.test("lesson 5 reference fetch: 13,000 repeated header lines in a 64 KiB head cost memory in proportion to the head, not its square", async () => {
  const head = `HTTP/1.1 200 OK\r\n${"a:b\r\n".repeat(13_000)}Content-Length: 3\r\nConnection: close\r\n\r\nok\n`;
  assert.ok(head.length - 5 < 64 * 1024, "the head must stay within fetch's 64 KiB limit");
  report("13,000 header lines", await measure((conn) => writeAll(conn, encoder.encode(head))));
});

Deno.test("lesson 5 reference fetch: 500,000 chunks of 1 byte cost memory in proportion to the body, not to the count", async () => {
  const block = encoder.encode("1\r\nx\r\n".repeat(10_000));
  report(
    "500,000 one-byte chunks",
    await measure(async (conn) => {
      await writeAll(
        conn,
        encoder.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"),
      );
      for (let i = 0; i < 50; i++) await writeAll(conn, block);
      await writeAll(conn, encoder.encode("0\r\n\r\n"));
    }),
  );
});
