/**
 * The grader's end of a Unix domain socket, run as its own small process.
 *
 * Deno grants a Unix socket by its exact path and has no wildcard, so the
 * grader (whose permissions are fixed in deno.json) cannot open the fresh
 * path each check uses. It starts this script instead, with a permission for
 * just that path. Run as a script:
 *
 * - `connect PATH`: connects, reads until EOF (5 s at most), prints one JSON
 *   line `{"data": "<base64>", "eof": true}` or `{"error": "…"}`;
 * - `serve PATH BASE64`: listens, sends BASE64's bytes to each client in
 *   8-byte pieces, closes; runs until killed;
 * - `abandon PATH N`: connects N times at once and closes each connection
 *   unread (clients that leave before their answer, so the server's write
 *   fails), prints `abandoned`, waits 300 ms, then does what `connect` does.
 *
 * @module
 */
import { LearnerProcess } from "./process.ts";
import type { Trial } from "./check.ts";

const SCRIPT = decodeURIComponent(new URL(import.meta.url).pathname);

/** The `deno run` arguments that grant exactly one Unix socket path. */
export function unixFlags(path: string): string[] {
  return [`--allow-net=unix:${path}`, `--allow-read=${path}`, `--allow-write=${path}`];
}

function startPeer(trial: Trial, label: string, args: string[]): LearnerProcess {
  const peer = new LearnerProcess({ label, command: ["run", ...unixFlags(args[1]), SCRIPT], args }, trial.transcript);
  trial.defer(peer);
  return peer;
}

/**
 * Makes `count` connections to the Unix socket at `path` and closes each at
 * once, unread; 300 ms later connects again and returns what the server sent
 * before closing. With `server`, the server is stopped
 * (SIGSTOP) until all `count` have left, so that it accepts them only then and
 * its write to each fails (broken pipe), every time.
 */
export async function unixAbandonThenRead(
  trial: Trial,
  path: string,
  count: number,
  server?: LearnerProcess,
): Promise<{ data: Uint8Array; eof: boolean; error?: string }> {
  if (server) {
    trial.transcript.event("grader", `stops the ${server.label} (SIGSTOP) while ${count} clients connect and leave`);
    signal(server, "SIGSTOP");
    trial.defer({ [Symbol.dispose]: () => signal(server, "SIGCONT") });
  }
  const peer = startPeer(trial, "grader (unix, leaving)", ["abandon", path, String(count)]);
  if (server) {
    await peer.waitFor(() => peer.stdout.includes("abandoned") || undefined, 8000, {
      en: "that its clients have left",
      ru: "что её клиенты ушли",
    });
    trial.transcript.event("grader", `continues the ${server.label} (SIGCONT)`);
    signal(server, "SIGCONT");
  }
  const line = await peer.waitFor(() => peer.stdout.find((out) => out.startsWith("{")), 8000, {
    en: "what it read from the Unix socket",
    ru: "то, что она прочитала из Unix-сокета",
  });
  const result = JSON.parse(line) as { data?: string; eof?: boolean; error?: string };
  return {
    data: Uint8Array.from(atob(result.data ?? ""), (c) => c.charCodeAt(0)),
    eof: result.eof ?? false,
    error: result.error,
  };
}

/** Signals `program` unless it has already ended (then what it went through shows in the check). */
function signal(program: LearnerProcess, signal: Deno.Signal): void {
  try {
    program.signal(signal);
  } catch { /* it has exited */ }
}

/** Serves `message` on a new Unix socket at `path`; resolves once it listens. Killed when the check ends. */
export async function unixServe(trial: Trial, path: string, message: Uint8Array): Promise<LearnerProcess> {
  const peer = startPeer(trial, "grader server (unix)", ["serve", path, btoa(String.fromCharCode(...message))]);
  await peer.waitFor(() => peer.stdout.includes("listening") || undefined, 8000, {
    en: "that it is listening",
    ru: "что она слушает",
  });
  return peer;
}

async function connect(path: string): Promise<void> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    const timer = setTimeout(() => conn.close(), 5000);
    const chunks: number[] = [];
    let eof = false;
    try {
      const buffer = new Uint8Array(4096);
      for (let got = await conn.read(buffer); got !== null; got = await conn.read(buffer)) {
        chunks.push(...buffer.subarray(0, got));
      }
      eof = true;
      conn.close();
    } catch { /* closed by the timer: no EOF in time */ }
    clearTimeout(timer);
    console.log(JSON.stringify({ data: btoa(String.fromCharCode(...chunks)), eof }));
  } catch (error) {
    console.log(JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}` }));
  }
}

async function abandon(path: string, count: number): Promise<void> {
  const conns = await Promise.allSettled(
    Array.from({ length: count }, () => Deno.connect({ transport: "unix", path })),
  );
  for (const conn of conns) if (conn.status === "fulfilled") conn.value.close();
  console.log("abandoned");
  await new Promise((resolve) => setTimeout(resolve, 300));
  await connect(path);
}

async function serve(path: string, message: Uint8Array): Promise<void> {
  const listener = Deno.listen({ transport: "unix", path });
  console.log("listening");
  for await (const conn of listener) {
    (async () => {
      for (let at = 0; at < message.length; at += 8) {
        await conn.write(message.subarray(at, at + 8));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log("served");
      conn.close();
    })().catch(() => conn.close());
  }
}

if (import.meta.main) {
  const [verb, path, data] = Deno.args;
  if (verb === "connect") await connect(path);
  else if (verb === "serve") await serve(path, Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  else if (verb === "abandon") await abandon(path, Number(data));
  else throw new Error("usage: unix_peer.ts connect PATH | serve PATH BASE64 | abandon PATH N");
}
