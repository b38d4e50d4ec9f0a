/**
 * Checks every lesson with a server and a client shares: the launcher's
 * promises about errors, made per lesson so each lesson's list stays whole.
 *
 * @module
 */
import type { Check, Trial } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import { visible } from "../harness/bytes.ts";
import { sleep } from "../harness/deadline.ts";
import type { Address } from "../harness/process.ts";
import { closedPort, Peer } from "../harness/socket.ts";
import { assertCleanError, runClient, startServer } from "../harness/programs.ts";

/** How long a server may take to stop after Ctrl+C (a lingering close waits up to 2 s for a client). */
const STOP_MS = 5000;

/** What {@linkcode stopsOnCtrlC} does before the Ctrl+C. */
export interface CtrlCOptions {
  /** The command that starts the server (default `server`) and its flags (default: a free port on 127.0.0.1). */
  args?: string[];
  /**
   * Puts the server in the middle of its work before the Ctrl+C: by default
   * one client connects and says nothing. Whatever it opens, it hands to
   * `trial.defer`.
   */
  engage?(trial: Trial, address: Address): Promise<void>;
  /** What `engage` did, for the messages: "a client is connected and silent". */
  situation?: { en: string; ru: string };
}

/**
 * What every server owes: Ctrl+C stops it cleanly while clients are still
 * connected. It exits within 5 s with code 0 and nothing on stderr. A
 * server that does not close a connection, the listener, or a timer it made
 * keeps running, because each of them keeps Deno's event loop alive: so this
 * check also proves that the server releases what it holds.
 */
export function stopsOnCtrlC(options: CtrlCOptions = {}): Check {
  const situation = options.situation ?? {
    en: "a client is connected and silent",
    ru: "подключён клиент, который молчит",
  };
  return {
    id: "ctrl-c",
    title: {
      en: `Ctrl+C stops the server within ${STOP_MS / 1000} s, exit code 0, while ${situation.en}`,
      ru: `Ctrl+C останавливает сервер за ${STOP_MS / 1000} с с кодом 0, даже когда ${situation.ru}`,
    },
    hint: {
      en:
        "On the abort signal close the listener and every connection you still hold, clear your timers, and let runServer return: anything left open keeps the program running.",
      ru:
        "По сигналу abort закройте слушающий сокет и все соединения, которые ещё держите, остановите свои таймеры и дайте runServer вернуться: всё, что осталось открытым, не даёт программе завершиться.",
    },
    async run(trial) {
      const { server, address } = await startServer(trial, {
        args: options.args ?? ["--host", "127.0.0.1", "--port", "0"],
        // A console that stays open, as at a terminal (from lesson 3 on, its end alone stops a server).
        stdin: "piped",
      });
      if (options.engage) {
        await options.engage(trial, address);
      } else {
        const peer = await Peer.connect(address, trial.transcript, "grader (silent)");
        trial.defer(peer);
        await sleep(200);
      }
      trial.transcript.event("grader", "presses Ctrl+C (SIGINT) at the server");
      server.signal("SIGINT");
      const status = await server.exitWithin(STOP_MS);
      if (!status) {
        throw new CheckFailure({
          en: `the server was still running ${
            STOP_MS / 1000
          } s after Ctrl+C while ${situation.en}: something it made is still open (a connection, the listener, a timer)`,
          ru: `сервер всё ещё работал через ${
            STOP_MS / 1000
          } с после Ctrl+C, когда ${situation.ru}: что-то из созданного им осталось открытым (соединение, слушающий сокет, таймер)`,
        }, {
          expected: { en: "exit with code 0", ru: "завершение с кодом 0" },
          actual: {
            en: `still running; last output: ${visible(server.stdout.slice(-2).join("\n") || "(none)")}`,
            ru: `всё ещё работает; последний вывод: ${visible(server.stdout.slice(-2).join("\n") || "(нет)")}`,
          },
        });
      }
      const stderr = server.stderr.filter((line) => line.trim() !== "");
      if (status.code !== 0 || stderr.length > 0) {
        throw new CheckFailure({
          en: `Ctrl+C is the normal way to stop a server, yet it ended with code ${status.code}${
            stderr.length ? " and an error" : ""
          }`,
          ru: `Ctrl+C — обычный способ остановить сервер, а он завершился с кодом ${status.code}${
            stderr.length ? " и ошибкой" : ""
          }`,
        }, {
          expected: { en: "exit code 0, nothing on stderr", ru: "код выхода 0, в stderr ничего" },
          actual: `code ${status.code}; stderr: ${visible(stderr.join("\n") || "(empty)")}`,
        });
      }
    },
  };
}

/**
 * The server, told to use a port that is taken, says so in one line and exits
 * non-zero. `covers: "given"` when the starter's own listen code is given.
 */
export function portInUse(covers?: "given"): Check {
  return {
    covers,
    id: "port-in-use",
    title: {
      en: "a port already in use gives a one-line error and a non-zero exit",
      ru: "занятый порт даёт ошибку в одну строку и ненулевой код возврата",
    },
    hint: {
      en:
        "Let Deno.listen's AddrInUse error reach main.ts (it prints one line), or print one line yourself and exit non-zero; don't keep running.",
      ru:
        "Пусть ошибка AddrInUse из Deno.listen дойдёт до main.ts (он напечатает одну строку), или напечатайте строку сами и завершитесь с ненулевым кодом; не продолжайте работу.",
    },
    async run(trial) {
      const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      trial.defer({ [Symbol.dispose]: () => holder.close() });
      const port = String(holder.addr.port);
      const server = trial.start("server", ["server", "--host", "127.0.0.1", "--port", port]);
      const status = await server.exitWithin(8000);
      if (!status) {
        const stdout = server.stdout.join("\n");
        throw new CheckFailure(
          {
            en: `the server was still running 8 s after being told to use port ${port}, which is taken`,
            ru: `сервер всё ещё работал через 8 с после того, как ему указали уже занятый порт ${port}`,
          },
          {
            expected: {
              en: "exit with a non-zero code and one line on stderr",
              ru: "завершение с ненулевым кодом и одна строка в stderr",
            },
            actual: {
              en: `stdout: ${visible(stdout || "(empty)")}`,
              ru: `stdout: ${visible(stdout || "(пусто)")}`,
            },
          },
        );
      }
      assertCleanError(server, status, { en: `when port ${port} is taken`, ru: `когда порт ${port} занят` });
      const said = server.stderr.join(" ");
      if (!/in use|AddrInUse|EADDRINUSE/i.test(said)) {
        throw new CheckFailure({
          en: "the error does not say the address is in use",
          ru: "в сообщении об ошибке не сказано, что адрес уже занят",
        }, {
          expected: {
            en: "a line mentioning that the address/port is already in use",
            ru: "строка о том, что адрес или порт уже занят",
          },
          actual: visible(said),
        });
      }
    },
  };
}

/**
 * The client, pointed at a port where nothing listens, says so in one line and
 * exits non-zero. `covers: "given"` when the starter's own connect code is given.
 */
export function clientRefused(covers?: "given"): Check {
  return {
    covers,
    id: "client-refused",
    title: {
      en: "the client reports a refused connection in one line and exits non-zero",
      ru: "клиент сообщает об отказе в соединении одной строкой и завершается с ненулевым кодом",
    },
    hint: {
      en: "Let Deno.connect's ConnectionRefused error reach main.ts, or print one line yourself and exit non-zero.",
      ru:
        "Пусть ошибка ConnectionRefused из Deno.connect дойдёт до main.ts, или напечатайте одну строку сами и завершитесь с ненулевым кодом.",
    },
    async run(trial) {
      const port = closedPort();
      const [client, status] = await runClient(trial, ["--host", "127.0.0.1", "--port", String(port)]);
      assertCleanError(client, status, {
        en: `when nothing listens on port ${port}`,
        ru: `когда порт ${port} никто не слушает`,
      });
      const said = client.stderr.join(" ");
      if (!/refused|ECONNREFUSED/i.test(said) && !said.includes(String(port))) {
        throw new CheckFailure({
          en: "the error does not say that the connection was refused",
          ru: "в сообщении об ошибке не сказано, что в соединении отказано",
        }, {
          expected: {
            en: `a line saying the connection to 127.0.0.1:${port} was refused (nothing listens there)`,
            ru: `строка о том, что в соединении с 127.0.0.1:${port} отказано (там никто не слушает)`,
          },
          actual: visible(said),
        });
      }
    },
  };
}
