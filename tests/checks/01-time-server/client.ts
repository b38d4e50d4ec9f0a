/**
 * Lesson 1's checks of the learner's time client, against servers the grader
 * plays: one that dribbles, one that never closes, one on IPv6.
 *
 * @module
 */
import type { Check } from "../../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../../harness/failure.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { seconds, sleep } from "../../harness/deadline.ts";
import { hasIpv6Loopback, Peer, uniqueSocketPath } from "../../harness/socket.ts";
import { assertCleanError, removeLater, runClient } from "../../harness/programs.ts";
import { clientRefused } from "../common.ts";
import { DribbleServer } from "../../harness/peers.ts";
import { unixFlags, unixServe } from "../../harness/unix_peer.ts";
import { assertPrinted, closingServer } from "./support.ts";

/** The client's checks, in the order a learner meets them. */
export const clientChecks: Check[] = [
  {
    id: "client-reads-all",
    title: {
      en: "the client reads until the server closes (the line arrives one byte at a time)",
      ru: "клиент читает, пока сервер не закроет соединение (строка приходит по одному байту)",
    },
    hint: {
      en:
        "One read() returns whatever has arrived so far, maybe one byte. Keep reading until read() returns null (EOF).",
      ru: "Один read() возвращает то, что уже пришло, хоть один байт. Читайте, пока read() не вернёт null (EOF).",
    },
    timeoutMs: 25_000,
    async run(trial) {
      const line = new Date().toISOString();
      await using dribbler = new DribbleServer(
        { message: new TextEncoder().encode(`${line}\n`), chunk: 1, pauseMs: 30 },
        trial.transcript,
      );
      const [client, status] = await runClient(trial, [
        "--host",
        "127.0.0.1",
        "--port",
        String((dribbler.address as { port: number }).port),
      ]);
      const printed = client.stdout.join("\n");
      if (status.code !== 0 || !client.stdout.includes(line)) {
        const partial = printed.length > 0 && line.startsWith(printed.trim());
        throw new CheckFailure(
          partial
            ? {
              en:
                `the client printed only ${printed.trim().length} of ${line.length} characters: it stopped after the first read`,
              ru:
                `клиент вывел только ${printed.trim().length} из ${line.length} символов: он остановился после первого чтения`,
            }
            : {
              en: `the client did not print the line the server sent (exit code ${status.code})`,
              ru: `клиент не вывел строку, которую прислал сервер (код выхода ${status.code})`,
            },
          {
            expected: visible(`${line}\n`),
            actual: {
              en: `${visible(printed ? `${printed}\n` : "")}${
                printed ? `; ${firstDifference(`${line}\n`, `${printed}\n`)}` : ""
              }${client.stderr.length ? `; stderr: ${client.stderr.join(" | ")}` : ""}`,
              ru: `${visible(printed ? `${printed}\n` : "")}${
                printed ? `; ${firstDifference(`${line}\n`, `${printed}\n`, "ru")}` : ""
              }${client.stderr.length ? `; stderr: ${client.stderr.join(" | ")}` : ""}`,
            },
          },
        );
      }
      assertPrinted(client, status, `${line}\n`, {
        en: "the server dribbled the line",
        ru: "сервер прислал строку по байту",
      });
    },
  },
  {
    id: "client-whole-answer",
    title: {
      en: "the client prints the whole answer: every line, and characters split between reads intact",
      ru: "клиент выводит весь ответ: все строки, и символы, разрезанные между чтениями, целыми",
    },
    hint: {
      en:
        "Print everything that arrived before the close, as it came: not just the first line, nothing trimmed. Decode with one TextDecoder and { stream: true }: a character's bytes can be split between two reads.",
      ru:
        "Выводите всё, что пришло до закрытия, как оно пришло: не только первую строку и ничего не обрезая. Декодируйте одним TextDecoder с { stream: true }: байты одного символа могут разойтись по двум чтениям.",
    },
    async run(trial) {
      // Leading spaces, a second line, and characters of two and three bytes: all of it is the answer.
      const text = `  ${new Date().toISOString()} — время сервера\nвторая строка ✓\n`;
      await using dribbler = new DribbleServer(
        { message: new TextEncoder().encode(text), chunk: 1, pauseMs: 5 },
        trial.transcript,
      );
      const [client, status] = await runClient(trial, [
        "--host",
        "127.0.0.1",
        "--port",
        String((dribbler.address as { port: number }).port),
      ]);
      assertPrinted(client, status, text, {
        en: "the server sent two lines of Cyrillic text, the first indented, one byte at a time",
        ru: "сервер прислал две строки кириллицы, первую с отступом, по одному байту",
      });
    },
  },
  {
    id: "client-escapes-control",
    title: {
      en: "control characters in the answer (ESC, BEL, CR, NUL) are printed escaped, not raw",
      ru: "управляющие символы в ответе (ESC, BEL, CR, NUL) выводятся экранированными, а не как есть",
    },
    hint: {
      en:
        "Print the answer through the given showControl(), as the given last line of runClient does: it writes \\x1b instead of ESC. A terminal obeys the bytes it prints; a server must not drive yours.",
      ru:
        "Выводите ответ через данный showControl(), как данная последняя строка runClient: он пишет \\x1b вместо ESC. Терминал выполняет байты, которые печатает; сервер не должен управлять вашим.",
    },
    async run(trial) {
      // A hostile time server: it clears the screen, retitles the window, rings the bell and overwrites its line.
      const controls = "\x1b[2J\x1b]0;owned\x07\x00\rfake time";
      const text = `${new Date().toISOString()}${controls}\n`;
      await using dribbler = new DribbleServer(
        { message: new TextEncoder().encode(text), chunk: 64, pauseMs: 0 },
        trial.transcript,
      );
      const [client, status] = await runClient(trial, [
        "--host",
        "127.0.0.1",
        "--port",
        String((dribbler.address as { port: number }).port),
      ]);
      const printed = client.stdout.join("\n");
      // deno-lint-ignore no-control-regex
      const raw = printed.match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      const kept = ["[2J", "]0;owned", "fake time"].every((part) => printed.includes(part));
      if (status.code !== 0 || raw || !kept) {
        throw new CheckFailure({
          en: raw
            ? `the client printed the server's control characters raw (${
              visible(raw[0])
            } among them): on a terminal they clear the screen, retitle the window and overwrite the line`
            : "the client did not print the answer with its control characters shown escaped",
          ru: raw
            ? `клиент вывел управляющие символы сервера как есть (среди них ${
              visible(raw[0])
            }): в терминале они очищают экран, меняют заголовок окна и затирают строку`
            : "клиент не вывел ответ с экранированными управляющими символами",
        }, {
          expected: {
            en: "the whole answer, each control character escaped (e.g. \\x1b[2J)",
            ru: "весь ответ, каждый управляющий символ экранирован (например, \\x1b[2J)",
          },
          actual: `${visible(printed || "(nothing)")}, exit code ${status.code}`,
        });
      }
    },
  },
  {
    id: "client-timeout",
    title: {
      en:
        "with --timeout MS the client gives up on a server that never closes: after MS, not before, one line on stderr",
      ru:
        "с --timeout MS клиент сдаётся, если сервер не закрывает соединение: через MS, не раньше, одной строкой в stderr",
    },
    hint: {
      en:
        "One deadline for the whole answer, set once from timeoutMs: when it passes, close the connection (the pending read fails) and throw an error. Bytes that keep arriving do not move it.",
      ru:
        "Один срок на весь ответ, заданный один раз из timeoutMs: когда он прошёл, закройте соединение (ожидающий read() упадёт) и выбросьте ошибку. Приходящие байты его не сдвигают.",
    },
    async run(trial) {
      const timeout = 800;
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      trial.defer({ [Symbol.dispose]: () => listener.close() });
      // The grader's server sends a digit every 100 ms and never closes: only a deadline ends this.
      let stop = false;
      let acceptedAt = Infinity;
      const serving = (async () => {
        const peer = await Peer.accept(listener, trial.transcript);
        acceptedAt = performance.now();
        trial.defer(peer);
        for (let i = 0; !stop && !peer.done && i < 100; i++) {
          await peer.write(new TextEncoder().encode(String(i % 10)), 1000);
          await sleep(100);
        }
      })();
      // The client gives up and closes: the next write fails, maybe before the check ends. Handled at once, so
      // that is not an unhandled rejection (which would stop the grader).
      serving.catch(() => {});
      // Ends with the check: the loop is stopped and waited for, so no pause of it outlives the check.
      trial.defer({
        async [Symbol.asyncDispose]() {
          stop = true;
          await serving.catch(() => {});
        },
      });
      const client = trial.start("client", [
        "client",
        "--host",
        "127.0.0.1",
        "--port",
        String(listener.addr.port),
        "--timeout",
        String(timeout),
      ]);
      const status = await client.exitWithin(timeout + 4000);
      // From the moment the client's connection was accepted: its deadline runs from about then.
      if (!status) {
        throw new CheckFailure({
          en: `the client was still running ${
            seconds(timeout + 4000)
          } after it started with --timeout ${timeout}, against a server that sends a byte every 100 ms and never closes: it has no deadline for the whole answer`,
          ru: `клиент всё ещё работал через ${
            seconds(timeout + 4000)
          } после запуска с --timeout ${timeout}, хотя сервер шлёт байт каждые 100 мс и не закрывает соединение: у него нет срока на весь ответ`,
        }, {
          expected: {
            en: `an error and a non-zero exit about ${timeout} ms after connecting`,
            ru: `ошибка и ненулевой код выхода примерно через ${timeout} мс после подключения`,
          },
          actual: { en: "still running", ru: "всё ещё работает" },
        });
      }
      if (acceptedAt === Infinity) {
        throw new CheckFailure({
          en: `the client exited (code ${status.code}) without connecting to the grader's server`,
          ru: `клиент завершился (код ${status.code}), так и не подключившись к серверу проверки`,
        }, { actual: `stderr: ${visible(client.stderr.join("\n") || "(empty)")}` });
      }
      const took = Math.round(performance.now() - acceptedAt);
      if (took < timeout - 100) {
        throw new CheckFailure({
          en: `the client gave up ${Math.max(took, 0)} ms after connecting, before its --timeout of ${timeout} ms`,
          ru: `клиент сдался через ${Math.max(took, 0)} мс после подключения, раньше своего --timeout в ${timeout} мс`,
        }, {
          expected: { en: `no sooner than ${timeout} ms`, ru: `не раньше чем через ${timeout} мс` },
          actual: `${took} ms; stderr: ${visible(client.stderr.join("\n") || "(empty)")}`,
        });
      }
      assertCleanError(client, status, {
        en: `when the server never closed within --timeout ${timeout}`,
        ru: `когда сервер не закрыл соединение за --timeout ${timeout}`,
      });
    },
  },
  {
    id: "client-ipv6",
    title: { en: "the client works over IPv6 (--host ::1)", ru: "клиент работает по IPv6 (--host ::1)" },
    hint: {
      en: "Pass options.host to Deno.connect as given: the address family follows from it.",
      ru: "Передайте options.host в Deno.connect как есть: семейство адресов следует из него.",
    },
    async run(trial) {
      if (!hasIpv6Loopback()) {
        throw new CheckSkipped({
          en: "this machine has no IPv6 loopback (::1)",
          ru: "на этой машине нет петлевого адреса IPv6 (::1)",
        });
      }
      const line = new Date().toISOString();
      const { port } = closingServer(trial, `${line}\n`, "::1");
      const [client, status] = await runClient(trial, ["--host", "::1", "--port", String(port)]);
      assertPrinted(client, status, `${line}\n`, {
        en: "a server on [::1] sent the line",
        ru: "сервер на [::1] прислал строку",
      });
    },
  },
  clientRefused(),
  {
    id: "client-unix",
    title: {
      en: "the client works over a Unix domain socket (--unix PATH)",
      ru: "клиент работает через Unix-сокет (--unix PATH)",
    },
    hint: {
      en: 'With --unix, connect with transport "unix" to that path; the rest is the same as TCP.',
      ru: 'С --unix подключайтесь с transport "unix" по этому пути; остальное как в TCP.',
    },
    async run(trial) {
      const path = uniqueSocketPath();
      removeLater(trial, path);
      const line = new Date().toISOString();
      await unixServe(trial, path, new TextEncoder().encode(`${line}\n`));
      const client = trial.start("client", ["client", "--unix", path], { extraFlags: unixFlags(path) });
      const status = await client.exitWithin(8000);
      if (!status || status.code !== 0 || !client.stdout.includes(line)) {
        const printed = visible(client.stdout.join("\n"));
        const stderr = client.stderr.length ? `; stderr: ${client.stderr.join(" | ")}` : "";
        throw new CheckFailure({
          en: `the client did not print the line sent over ${path}`,
          ru: `клиент не вывел строку, присланную через ${path}`,
        }, {
          expected: visible(`${line}\n`),
          actual: {
            en: `${printed}, ${status ? `exit code ${status.code}` : "still running"}${stderr}`,
            ru: `${printed}, ${status ? `код выхода ${status.code}` : "всё ещё работает"}${stderr}`,
          },
        });
      }
    },
  },
];
