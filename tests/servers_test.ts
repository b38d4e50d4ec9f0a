/**
 * The course's own servers and clients under a careless operator and a hostile
 * network (issue 15): a stdout nobody reads, a reset storm, a `--unix` path
 * that is not a stale socket, control bytes from the network. These test the
 * given code and the reference, the code learners read as the model; the
 * learner's own share of each is graded by the lesson's checks.
 *
 * Every wait has a deadline far above what a busy machine needs: the tests
 * judge counts and liveness, not speed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT, taskArgs } from "./harness/course.ts";

/** A reference program started with the permissions of its `solution-N` task; stdout is a pipe the test reads at will. */
class Program implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly #stdout: ReadableStreamDefaultReader<Uint8Array>;
  readonly #stderr: Promise<string>;
  readonly #decoder = new TextDecoder();
  /** What has been read from stdout so far. */
  text = "";

  constructor(lesson: number, args: string[], extraFlags: string[] = []) {
    const [script, ...flags] = taskArgs(`solution-${lesson}`).reverse();
    this.child = new Deno.Command("deno", {
      args: [...flags.reverse(), ...extraFlags, script, ...args],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
    }).spawn();
    this.#stdout = this.child.stdout.getReader();
    this.#stderr = new Response(this.child.stderr).text();
  }

  /** Reads stdout until `found` matches what was read, within `ms`; returns the match. */
  async readUntil(found: RegExp, ms: number, what: string): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = this.text.match(found);
      if (match) return match;
      const left = deadline - Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.#stdout.read(),
        new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), Math.max(left, 0))),
      ]).finally(() => clearTimeout(timer));
      if (chunk === "late" || chunk.done) {
        assert.fail(
          `expected ${what} on stdout within ${ms / 1000} s, got ${
            chunk === "late" ? "nothing more" : "EOF"
          }; stdout ended with: ${JSON.stringify(this.text.slice(-300))}`,
        );
      }
      this.text += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The announced TCP port. */
  async port(): Promise<number> {
    return Number((await this.readUntil(/^listening on \S+:(\d+)$/m, 20_000, "'listening on HOST:PORT'"))[1]);
  }

  /** Kills the program (if it still runs) and returns its stderr. */
  async stop(): Promise<string> {
    try {
      this.child.kill("SIGKILL");
    } catch { /* already ended */ }
    await this.child.status;
    await this.#stdout.cancel();
    return await this.#stderr;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Connects to the time server and reads its answer to the end, within `ms`. */
async function timeLine(port: number, ms: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), ms);
  try {
    return await new Response(conn.readable).text();
  } catch {
    return "";
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `count` jobs, `parallel` at a time; stops at the first failure. */
async function inParallel(count: number, parallel: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await job(next++);
  }));
}

Deno.test("the shared log: a server whose stdout nobody reads keeps serving, and counts the lines it dropped", async () => {
  // Lesson 1's time server logs a line of some 34 bytes per client. The kernel holds about 64 KiB for a pipe and
  // the log queue 64 KiB more, so past some 4,000 clients lines must be dropped. A log that blocks stops the whole
  // server when the pipe is full, after some 2,000.
  const clients = 6000;
  await using server = new Program(1, ["server", "--host", "127.0.0.1", "--port", "0"]);
  const port = await server.port();
  // From here on nobody reads the server's stdout.
  await inParallel(clients, 8, async (i) => {
    const line = await timeLine(port, 10_000);
    assert.match(
      line,
      /^\d{4}-\d\d-\d\dT.*\n$/,
      `client ${i + 1} of ${clients} got ${
        JSON.stringify(line)
      } within 10 s: the server stopped serving while nobody read its stdout`,
    );
  });
  // Now read: the queue drains, and the log says how many lines it dropped, where they are missing.
  const note = await server.readUntil(/^\(log: (\d+) lines? dropped here.*\)$/m, 20_000, "the count of dropped lines");
  const dropped = Number(note[1]);
  const logged = server.text.match(/^Client 127\.0\.0\.1:\d+ connected$/gm)?.length ?? 0;
  assert.equal(
    logged + dropped,
    clients,
    `${logged} client lines written and ${dropped} counted as dropped: every line is either written or counted`,
  );
  assert.ok(dropped > 0, "6,000 clients' lines cannot all wait in 128 KiB");
  // And it is written again once read: one more client is logged after the note.
  assert.match(await timeLine(port, 10_000), /^\d{4}-/);
  await server.readUntil(
    /dropped here[^\n]*\n(?:.*\n)*Client 127\.0\.0\.1:\d+ connected\n/,
    10_000,
    "a line after the note",
  );
});
