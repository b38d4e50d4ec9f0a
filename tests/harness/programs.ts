/**
 * What checks of every lesson do with the learner's programs: start a server
 * and learn its address, run a client to its end, and judge how a program
 * failed (one clear line and a non-zero code, never a stack trace).
 *
 * @module
 */
import type { Bilingual } from "./text.ts";
import type { Trial } from "./check.ts";
import { CheckFailure } from "./failure.ts";
import { visible } from "./bytes.ts";
import type { Address, Launch, LearnerProcess } from "./process.ts";
import { describe } from "./socket.ts";

/** How {@linkcode startServer} starts the server. */
export interface ServerLaunch extends Pick<Launch, "extraFlags" | "stdin" | "env"> {
  /** The server's flags; by default a free port on 127.0.0.1. */
  args?: string[];
  /** The command that starts it (default `server`); also its label in transcripts. */
  command?: string;
}

/** Starts the learner's `server` (or `launch.command`) and waits for the address it announces. */
export async function startServer(
  trial: Trial,
  launch: ServerLaunch = {},
): Promise<{ server: LearnerProcess; address: Address }> {
  const { args = ["--host", "127.0.0.1", "--port", "0"], command = "server", ...options } = launch;
  const server = trial.start(command, [command, ...args], options);
  const address = await server.listening();
  if (address.transport === "tcp" && address.port === 0) {
    throw new CheckFailure({ en: "the server announced port 0", ru: "сервер сообщил порт 0" }, {
      expected: {
        en: "the port the system chose (listener.addr.port)",
        ru: "порт, который выбрала система (listener.addr.port)",
      },
      actual: server.stdout[0],
    });
  }
  return { server, address };
}

/** The TCP host and port a server announced; fails, saying so, when it announced a Unix socket instead. */
export function tcpAddress(address: Address): { transport: "tcp"; host: string; port: number } {
  if (address.transport === "tcp") return address;
  throw new CheckFailure({
    en: "the server announced a Unix socket where a TCP address was asked for (--host, --port)",
    ru: "сервер сообщил Unix-сокет, хотя просили TCP-адрес (--host, --port)",
  }, {
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
  if (!status) {
    throw new CheckFailure({
      en: `the client was still running after ${ms / 1000} s`,
      ru: `клиент всё ещё работал через ${ms / 1000} с`,
    });
  }
  return [client, status];
}

/** Fails unless `program` ended with a non-zero code and a one-line error (no stack trace) on stderr. */
export function assertCleanError(program: LearnerProcess, status: Deno.CommandStatus, situation: Bilingual): void {
  const stderr = program.stderr.filter((line) => line.trim() !== "");
  if (status.code === 0) {
    throw new CheckFailure({
      en: `${program.label} exited with code 0 ${situation.en}; an error must end with a non-zero code`,
      ru: `${program.label} завершился с кодом 0 ${situation.ru}; ошибка должна заканчиваться ненулевым кодом`,
    }, {
      expected: { en: "exit code 1 (or any non-zero)", ru: "код выхода 1 (или любой ненулевой)" },
      actual: `exit code 0, stderr: ${visible(stderr.join("\n") || "(empty)")}`,
    });
  }
  if (stderr.some((line) => line.startsWith("not done yet: "))) {
    // runCheck puts the TODO line first in the report; this says why it is not the error asked for.
    throw new CheckFailure({
      en: `${program.label} stopped at an unfinished step ${situation.en}, not at the error itself`,
      ru: `${program.label} остановился на незаконченном шаге ${situation.ru}, а не на самой ошибке`,
    });
  }
  if (stderr.length === 0) {
    throw new CheckFailure({
      en: `${program.label} printed nothing on stderr ${situation.en}`,
      ru: `${program.label} ничего не напечатал в stderr ${situation.ru}`,
    }, {
      expected: { en: "one line on stderr saying what went wrong", ru: "одна строка в stderr о том, что пошло не так" },
      actual: { en: "(empty)", ru: "(пусто)" },
    });
  }
  const trace = stderr.find((line) => /^\s+at\s/.test(line) || /Uncaught/.test(line));
  if (trace) {
    throw new CheckFailure({
      en: `${program.label} printed a stack trace ${situation.en} instead of a one-line error`,
      ru: `${program.label} напечатал трассировку стека ${situation.ru} вместо ошибки в одну строку`,
    }, {
      expected: {
        en: "one line, e.g. 'error: address 127.0.0.1:8000 is already in use'",
        ru: "одна строка, например 'error: address 127.0.0.1:8000 is already in use'",
      },
      actual: visible(stderr.slice(0, 4).join("\n")),
    });
  }
  if (stderr.length > 1) {
    throw new CheckFailure({
      en: `${program.label} printed ${stderr.length} lines on stderr ${situation.en}; an error is one line`,
      ru: `${program.label} напечатал в stderr строк: ${stderr.length} ${situation.ru}; ошибка — это одна строка`,
    }, {
      expected: { en: "one line on stderr saying what went wrong", ru: "одна строка в stderr о том, что пошло не так" },
      actual: visible(stderr.slice(0, 4).join("\n")),
    });
  }
}

/** Fails if the server has exited; `after` says what it had just been through. */
export function assertAlive(server: LearnerProcess, after: Bilingual): void {
  const status = server.exited;
  if (status) {
    throw new CheckFailure({
      en: `the server exited (code ${status.code}) after ${after.en}`,
      ru: `сервер завершился (код ${status.code}) после того, как ${after.ru}`,
    }, {
      expected: { en: "the server keeps serving other clients", ru: "сервер продолжает обслуживать других клиентов" },
      actual: server.stderr.length
        ? `stderr: ${server.stderr.slice(-3).join(" | ")}`
        : { en: "nothing on stderr", ru: "в stderr ничего" },
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
export async function expectClientLeaves(client: LearnerProcess, event: Bilingual, ms = 3000): Promise<void> {
  const status = await client.exitWithin(ms);
  if (!status) {
    const last = visible(client.stdout.slice(-2).join("\n") || "(none)");
    throw new CheckFailure({
      en: `the client was still running ${ms / 1000} s after ${event.en}`,
      ru: `клиент всё ещё работал через ${ms / 1000} с после того, как ${event.ru}`,
    }, {
      expected: {
        en: "the client says what happened and exits with code 0",
        ru: "клиент сообщает, что случилось, и завершается с кодом 0",
      },
      actual: { en: `still running; last output: ${last}`, ru: `всё ещё работает; последний вывод: ${last}` },
    });
  }
  if (status.code !== 0) {
    throw new CheckFailure({
      en: `the client exited with code ${status.code} after ${event.en}; that is a normal ending`,
      ru: `клиент завершился с кодом ${status.code} после того, как ${event.ru}; а это обычное завершение`,
    }, {
      expected: { en: "exit code 0", ru: "код выхода 0" },
      actual: `code ${status.code}; stderr: ${visible(client.stderr.join("\n") || "(empty)")}`,
    });
  }
}
