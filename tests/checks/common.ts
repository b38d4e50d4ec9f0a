/**
 * Checks every lesson with a server and a client shares: the launcher's
 * promises about errors, made per lesson so each lesson's list stays whole.
 *
 * @module
 */
import type { Check } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import { visible } from "../harness/bytes.ts";
import { closedPort } from "../harness/socket.ts";
import { assertCleanError, runClient } from "../harness/programs.ts";

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
