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
    title: "a port already in use gives a one-line error and a non-zero exit",
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
        throw new CheckFailure(
          `the server was still running 8 s after being told to use port ${port}, which is taken`,
          {
            expected: "exit with a non-zero code and one line on stderr",
            actual: `stdout: ${visible(server.stdout.join("\n") || "(empty)")}`,
          },
        );
      }
      assertCleanError(server, status, `when port ${port} is taken`);
      const said = server.stderr.join(" ");
      if (!/in use|AddrInUse|EADDRINUSE/i.test(said)) {
        throw new CheckFailure("the error does not say the address is in use", {
          expected: "a line mentioning that the address/port is already in use",
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
    title: "the client reports a refused connection in one line and exits non-zero",
    hint: {
      en: "Let Deno.connect's ConnectionRefused error reach main.ts, or print one line yourself and exit non-zero.",
      ru:
        "Пусть ошибка ConnectionRefused из Deno.connect дойдёт до main.ts, или напечатайте одну строку сами и завершитесь с ненулевым кодом.",
    },
    async run(trial) {
      const port = closedPort();
      const [client, status] = await runClient(trial, ["--host", "127.0.0.1", "--port", String(port)]);
      assertCleanError(client, status, `when nothing listens on port ${port}`);
      const said = client.stderr.join(" ");
      if (!/refused|ECONNREFUSED/i.test(said) && !said.includes(String(port))) {
        throw new CheckFailure("the error does not say that the connection was refused", {
          expected: `a line saying the connection to 127.0.0.1:${port} was refused (nothing listens there)`,
          actual: visible(said),
        });
      }
    },
  };
}
