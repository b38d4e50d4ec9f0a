/**
 * What checks of every lesson do with the learner's programs: start a server
 * and learn its address, run a client to its end, and judge how a program
 * failed (one clear line and a non-zero code, never a stack trace).
 *
 * @module
 */
import type { Trial } from "./check.ts";
import { CheckFailure } from "./failure.ts";
import { visible } from "./bytes.ts";
import type { Address, Launch, LearnerProcess } from "./process.ts";
import { describe } from "./socket.ts";

/** How {@linkcode startServer} starts the server. */
export interface ServerLaunch extends Pick<Launch, "extraFlags" | "stdin"> {
  /** The server's flags; by default a free port on 127.0.0.1. */
  args?: string[];
}

/** Starts the learner's `server` and waits for the address it announces. */
export async function startServer(
  trial: Trial,
  launch: ServerLaunch = {},
): Promise<{ server: LearnerProcess; address: Address }> {
  const { args = ["--host", "127.0.0.1", "--port", "0"], ...options } = launch;
  const server = trial.start("server", ["server", ...args], options);
  const address = await server.listening();
  if (address.transport === "tcp" && address.port === 0) {
    throw new CheckFailure("the server announced port 0", {
      expected: "the port the system chose (listener.addr.port)",
      actual: server.stdout[0],
    });
  }
  return { server, address };
}

/** The TCP host and port a server announced; fails, saying so, when it announced a Unix socket instead. */
export function tcpAddress(address: Address): { transport: "tcp"; host: string; port: number } {
  if (address.transport === "tcp") return address;
  throw new CheckFailure("the server announced a Unix socket where a TCP address was asked for (--host, --port)", {
    expected: "listening on 127.0.0.1:PORT",
    actual: `listening on ${describe(address)}`,
  });
}

/** Runs the learner's `client` with `args` and waits at most `ms` for it to exit. */
export async function runClient(
  trial: Trial,
  args: string[],
  ms = 8000,
): Promise<[LearnerProcess, Deno.CommandStatus]> {
  const client = trial.start("client", ["client", ...args]);
  const status = await client.exitWithin(ms);
  if (!status) throw new CheckFailure(`the client was still running after ${ms / 1000} s`);
  return [client, status];
}

/** Fails unless `program` ended with a non-zero code and a one-line error (no stack trace) on stderr. */
export function assertCleanError(program: LearnerProcess, status: Deno.CommandStatus, situation: string): void {
  const stderr = program.stderr.filter((line) => line.trim() !== "");
  if (status.code === 0) {
    throw new CheckFailure(`${program.label} exited with code 0 ${situation}; an error must end with a non-zero code`, {
      expected: "exit code 1 (or any non-zero)",
      actual: `exit code 0, stderr: ${visible(stderr.join("\n") || "(empty)")}`,
    });
  }
  if (stderr.length === 0) {
    throw new CheckFailure(`${program.label} printed nothing on stderr ${situation}`, {
      expected: "one line on stderr saying what went wrong",
      actual: "(empty)",
    });
  }
  const trace = stderr.find((line) => /^\s+at\s/.test(line) || /Uncaught/.test(line));
  if (trace) {
    throw new CheckFailure(`${program.label} printed a stack trace ${situation} instead of a one-line error`, {
      expected: "one line, e.g. 'error: address 127.0.0.1:8000 is already in use'",
      actual: visible(stderr.slice(0, 4).join("\n")),
    });
  }
}

/** Fails if the server has exited; `after` says what it had just been through. */
export function assertAlive(server: LearnerProcess, after: string): void {
  const status = server.exited;
  if (status) {
    throw new CheckFailure(`the server exited (code ${status.code}) after ${after}`, {
      expected: "the server keeps serving other clients",
      actual: server.stderr.length ? `stderr: ${server.stderr.slice(-3).join(" | ")}` : "nothing on stderr",
    });
  }
}

/** Removes a socket file a killed process may have left, when the check ends. */
export function removeLater(trial: Trial, path: string): void {
  trial.defer({
    [Symbol.dispose]() {
      try {
        Deno.removeSync(path);
      } catch { /* already gone */ }
    },
  });
}

/** Waits up to `ms` for the client to exit with code 0 after `event`, a normal ending; fails saying how it did not. */
export async function expectClientLeaves(client: LearnerProcess, event: string, ms = 3000): Promise<void> {
  const status = await client.exitWithin(ms);
  if (!status) {
    throw new CheckFailure(`the client was still running ${ms / 1000} s after ${event}`, {
      expected: "the client says what happened and exits with code 0",
      actual: `still running; last output: ${visible(client.stdout.slice(-2).join("\n") || "(none)")}`,
    });
  }
  if (status.code !== 0) {
    throw new CheckFailure(`the client exited with code ${status.code} after ${event}; that is a normal ending`, {
      expected: "exit code 0",
      actual: `code ${status.code}; stderr: ${visible(client.stderr.join("\n") || "(empty)")}`,
    });
  }
}
