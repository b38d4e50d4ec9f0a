/**
 * Lesson 1's checks of the learner's time server.
 *
 * @module
 */
import type { Check } from "../../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { sleep, within } from "../../harness/deadline.ts";
import { describe, hasIpv6Loopback, Peer, resetConnection, uniqueSocketPath } from "../../harness/socket.ts";
import { assertAlive, assertCleanError, removeLater, startServer, tcpAddress } from "../../harness/programs.ts";
import { portInUse, stopsOnCtrlC } from "../common.ts";
import { unixAbandonThenRead, unixFlags } from "../../harness/unix_peer.ts";
import {
  ANSWER_MS,
  fetchTimeLine,
  judgeTimeLine,
  readAll,
  released,
  SERVER,
  SMALL_BACKLOG,
  SPREAD_CLIENTS,
  SPREAD_MS,
  zones,
} from "./support.ts";

/** The server's checks, in the order a learner meets them. */
export const serverChecks: Check[] = [
  {
    id: "announces-address",
    title: {
      en: "the server prints 'listening on HOST:PORT' with the real port",
      ru: "сервер выводит 'listening on HOST:PORT' с настоящим портом",
    },
    hint: {
      en:
        "Listen first, then log `listening on ${formatAddr(listener.addr)}`: with --port 0 only listener.addr knows the port.",
      ru:
        "Сначала откройте слушающий сокет, затем выведите `listening on ${formatAddr(listener.addr)}`: при --port 0 порт знает только listener.addr.",
    },
    async run(trial) {
      await startServer(trial);
    },
  },
  {
    id: "time-line",
    title: {
      en: "a client that connects gets the time: ISO 8601 with offset or Z, one '\\n'",
      ru: "подключившийся клиент получает время: ISO 8601 со смещением или Z, один '\\n'",
    },
    hint: {
      en:
        "Write as soon as the connection is accepted, without reading first. ISO 8601 with an offset or Z (toISOString() gives Z), then exactly one \\n.",
      ru:
        "Пишите сразу после accept, ничего не читая. ISO 8601 со смещением или Z (toISOString() даёт Z), затем ровно один \\n.",
    },
    async run(trial) {
      const { address } = await startServer(trial);
      await fetchTimeLine(trial, address);
    },
  },
  {
    id: "closes",
    title: {
      en: "the server closes the connection after the line",
      ru: "сервер закрывает соединение после строки",
    },
    hint: {
      en:
        "The client reads until the connection closes: close it (conn.close(), not just closeWrite()) once the line is written, on every path.",
      ru:
        "Клиент читает, пока соединение не закроется: закройте его (conn.close(), а не только closeWrite()), когда строка отправлена, на любом пути выполнения.",
    },
    async run(trial) {
      const { address } = await startServer(trial);
      const peer = await fetchTimeLine(trial, address);
      if (!await peer.waitForEof(ANSWER_MS)) {
        throw new CheckFailure(
          {
            en: `the server did not close the connection within ${ANSWER_MS / 1000} s after the time line`,
            ru: `сервер не закрыл соединение в течение ${ANSWER_MS / 1000} с после строки со временем`,
          },
          {
            expected: { en: "EOF after the line", ru: "EOF после строки" },
            actual: {
              en: `${visible(peer.received)} and then nothing`,
              ru: `${visible(peer.received)}, а затем ничего`,
            },
          },
        );
      }
      if (!await released(peer)) {
        throw new CheckFailure({
          en: `the server only half-closed the connection (closeWrite): ${
            ANSWER_MS / 1000
          } s after its EOF it still took bytes in, so it holds the socket, one more per client, for ever`,
          ru: `сервер лишь наполовину закрыл соединение (closeWrite): через ${
            ANSWER_MS / 1000
          } с после его EOF оно всё ещё принимало байты, то есть сервер держит сокет, и так по одному на каждого клиента, навсегда`,
        }, {
          expected: {
            en: "a reset (RST) in answer to bytes sent after the EOF: the socket is closed",
            ru: "сброс (RST) в ответ на байты, посланные после EOF: сокет закрыт",
          },
          actual: {
            en: "every byte accepted, no reset",
            ru: "все байты приняты, сброса нет",
          },
        });
      }
    },
  },
  {
    id: "time-zone",
    title: {
      en: "in other time zones (UTC+05:45, and UTC-03:30 or UTC-09:30) the line still names the right instant",
      ru: "в других часовых поясах (UTC+05:45, и UTC-03:30 или UTC-09:30) строка по-прежнему называет верный момент",
    },
    hint: {
      en:
        "Local time needs the local offset (getTimezoneOffset(), minutes too, its sign reversed, and west of UTC -03:30 is -3 h -30 min), every field in two digits; or send UTC with Z, as toISOString() does.",
      ru:
        "Местному времени нужно местное смещение (getTimezoneOffset(), с минутами, знак у него обратный, а к западу от UTC -03:30 — это -3 ч -30 мин), каждое поле двумя цифрами; или отправляйте UTC с Z, как toISOString().",
    },
    async run(trial) {
      // Both at once: one east of UTC, one west, and one of them before 10 in the morning (an hour of one digit).
      await Promise.all(
        zones().map(async (zone) => {
          const { address } = await startServer(trial, { env: { TZ: zone.TZ } });
          try {
            await fetchTimeLine(trial, address, `grader (${zone.TZ})`);
          } catch (error) {
            if (!(error instanceof CheckFailure)) throw error;
            throw new CheckFailure({
              en: `with TZ=${zone.TZ} (${zone.offset}), ${error.text.en}`,
              ru: `при TZ=${zone.TZ} (${zone.offset}) ${error.text.ru}`,
            }, { expected: error.expected, actual: error.actual });
          }
        }),
      );
    },
  },
  {
    id: "time-per-client",
    slow: true,
    title: {
      en: `each client gets the time of its own connection (${SPREAD_CLIENTS} clients over a second)`,
      ru: `каждый клиент получает время своего подключения (${SPREAD_CLIENTS} клиент за секунду)`,
    },
    hint: {
      en:
        "Read the clock when the client is served, not once when the server starts nor now and then; write the milliseconds as three digits.",
      ru:
        "Читайте часы, когда обслуживаете клиента, а не один раз при запуске сервера и не время от времени; миллисекунды пишите тремя цифрами.",
    },
    async run(trial) {
      const { address } = await startServer(trial);
      // A client every SPREAD_MS for a second, each on its own schedule: every line must name a moment between
      // its own connect and its arrival, and together they meet every tenth of a second (a time read once, or
      // now and then, shows anywhere; milliseconds written as .5 for .005 show only early in a second).
      await Promise.all(Array.from({ length: SPREAD_CLIENTS }, async (_, i) => {
        await sleep(i * SPREAD_MS);
        await fetchTimeLine(trial, address, `grader (${i + 1}, at ${i * SPREAD_MS} ms)`);
      }));
    },
  },
  {
    id: "logs-clients",
    title: {
      en: "the server logs each client with its address (host:port)",
      ru: "сервер записывает в журнал каждого клиента с его адресом (host:port)",
    },
    hint: {
      en: "Log a line per client with formatAddr(conn.remoteAddr): the client's address, not the server's.",
      ru: "Пишите строку на каждого клиента с formatAddr(conn.remoteAddr): адрес клиента, а не сервера.",
    },
    async run(trial) {
      const { server, address } = await startServer(trial);
      const peers: Peer[] = [];
      for (let i = 1; i <= 3; i++) peers.push(await fetchTimeLine(trial, address, `grader (${i})`));
      for (const peer of peers) {
        const mark = peer.localAddress;
        await server.waitFor(
          () => server.stdout.slice(1).some((line) => line.includes(mark)) || undefined,
          2000,
          { en: `a log line naming the client ${mark}`, ru: `строку журнала с адресом клиента ${mark}` },
        ).catch(() => {
          throw new CheckFailure({
            en: `no line of the server's log names the client ${mark}`,
            ru: `ни одна строка журнала сервера не называет клиента ${mark}`,
          }, {
            expected: {
              en: `a line per client with its address, e.g. "Client ${mark} connected"`,
              ru: `строка на каждого клиента с его адресом, например "Client ${mark} connected"`,
            },
            actual: visible(server.stdout.slice(1).join("\n") || "(nothing after the first line)"),
          });
        });
      }
    },
  },
  {
    id: "many-clients",
    title: {
      en: "100 clients connecting at once are all served",
      ru: "все 100 клиентов, подключившихся одновременно, обслужены",
    },
    hint: {
      en:
        "Accept the next client without waiting for the previous one to finish; keep the listen backlog large enough.",
      ru:
        "Принимайте следующего клиента, не дожидаясь, пока закончится предыдущий; очередь listen должна быть достаточно большой.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { address } = await startServer(trial);
      // Wait for every connect to settle, and hand each open one to the trial,
      // before judging: one failed connect must not leave the others open.
      const from = Date.now();
      const attempts = await Promise.allSettled(
        Array.from({ length: 100 }, () => Peer.connect(address, trial.transcript, "grader (many)", 5000)),
      );
      const peers = attempts.flatMap((a) => a.status === "fulfilled" ? [a.value] : []);
      peers.forEach((peer) => trial.defer(peer));
      const refused = attempts.find((a) => a.status === "rejected");
      if (refused) {
        throw new CheckFailure({
          en: `only ${peers.length} of 100 parallel clients could connect`,
          ru: `подключиться смогли только ${peers.length} из 100 параллельных клиентов`,
        }, {
          expected: { en: "100 connections accepted", ru: "100 принятых соединений" },
          actual: String((refused as PromiseRejectedResult).reason?.message ?? refused),
        });
      }
      // When each line arrived: the moment it names must lie between the connects and then.
      const arrived = await Promise.all(peers.map(async (peer) => {
        await peer.readUntil((data) => data.includes(0x0a), 5000);
        return Date.now();
      }));
      await Promise.all(peers.map((peer) => peer.waitForEof(5000)));
      const problems: Bilingual[] = [];
      for (const [i, peer] of peers.entries()) {
        try {
          if (!peer.eof) throw new CheckFailure({ en: "no EOF within 5 s", ru: "нет EOF в течение 5 с" });
          judgeTimeLine(peer.received, peer.eof, SERVER, { from, to: arrived[i] });
        } catch (error) {
          const got = visible(peer.received, 60);
          problems.push({
            en: `client ${i + 1}: ${(error as Error).message} (got ${got})`,
            ru: `клиент ${i + 1}: ${
              error instanceof CheckFailure ? error.text.ru : (error as Error).message
            } (получено ${got})`,
          });
        }
      }
      if (problems.length > 0) {
        throw new CheckFailure({
          en: problems.length === 100
            ? "none of the 100 clients connecting at once got a time line and then EOF"
            : `${problems.length} of the 100 clients connecting at once did not get a time line and then EOF`,
          ru: problems.length === 100
            ? "ни один из 100 клиентов, подключившихся разом, не получил строку со временем и затем EOF"
            : `${problems.length} из 100 клиентов, подключившихся разом, не получили строку со временем и затем EOF`,
        }, {
          expected: { en: "100 time lines, each followed by EOF", ru: "100 строк со временем, за каждой — EOF" },
          actual: {
            en: problems.slice(0, 3).map((p) => p.en).join("; "),
            ru: problems.slice(0, 3).map((p) => p.ru).join("; "),
          },
        });
      }
    },
  },
  {
    id: "survives-reset",
    title: {
      en: "clients that reset the connection do not stop the server",
      ru: "клиенты, сбрасывающие соединение (RST), не останавливают сервер",
    },
    hint: {
      en:
        "A write to a client that is gone fails (ConnectionReset, BrokenPipe). Catch errors per connection: one client's trouble must not end the server.",
      ru:
        "Запись клиенту, который уже ушёл, падает с ошибкой (ConnectionReset, BrokenPipe). Ловите ошибки для каждого соединения отдельно: беда одного клиента не должна останавливать сервер.",
    },
    async run(trial) {
      const { server, address: announced } = await startServer(trial);
      const address = tcpAddress(announced);
      // A reset can land before accept() returns (accept fails) or just after
      // (the write fails). Fifty at once, in two rounds, pile up in the listen
      // queue faster than one event loop accepts them, so some always do.
      for (let round = 0; round < 2; round++) {
        await Promise.all(Array.from({ length: 25 }, () => resetConnection(address.host, address.port)));
      }
      await sleep(300);
      assertAlive(server, {
        en: "50 clients connected and reset their connections at once (RST)",
        ru: "50 клиентов одновременно подключились и сбросили свои соединения (RST)",
      });
      await fetchTimeLine(trial, address, "grader (after resets)");
    },
  },
  {
    id: "survives-junk",
    title: {
      en: "a client that sends 1 MiB of junk does not break the server",
      ru: "клиент, присылающий 1 МиБ мусора, не ломает сервер",
    },
    hint: {
      en:
        "The server never needs to read; whatever a client sends must not crash it or stop it serving the next client.",
      ru:
        "Серверу не нужно ничего читать; что бы ни прислал клиент, сервер не должен падать и должен обслужить следующего.",
    },
    async run(trial) {
      const { server, address } = await startServer(trial);
      const junk = new Uint8Array(1024 * 1024);
      for (let at = 0; at < junk.length; at += 65536) crypto.getRandomValues(junk.subarray(at, at + 65536));
      const rude = await Peer.connect(address, trial.transcript, "grader (junk)");
      trial.defer(rude);
      // The server may close (and so reset) while we still write; that is its right.
      await rude.write(junk, 3000).catch(() => {});
      await rude.waitForEof(1000);
      await sleep(200);
      assertAlive(server, { en: "a client sent 1 MiB of junk", ru: "клиент прислал 1 МиБ мусора" });
      await fetchTimeLine(trial, address, "grader (after junk)");
    },
  },
  {
    id: "ipv6",
    title: {
      en: "the server works on IPv6 (--host ::1)",
      ru: "сервер работает по IPv6 (--host ::1)",
    },
    hint: {
      en:
        "Pass the host to Deno.listen as given; print the address with formatAddr, which puts an IPv6 host in brackets: [::1]:PORT.",
      ru:
        "Передайте хост в Deno.listen как есть; адрес выводите через formatAddr: IPv6-адрес пишется в скобках, [::1]:PORT.",
    },
    async run(trial) {
      if (!hasIpv6Loopback()) {
        throw new CheckSkipped({
          en: "this machine has no IPv6 loopback (::1)",
          ru: "на этой машине нет петлевого адреса IPv6 (::1)",
        });
      }
      const { address } = await startServer(trial, { args: ["--host", "::1", "--port", "0"] });
      if (address.transport !== "tcp" || address.host !== "::1") {
        throw new CheckFailure({
          en: "the server did not announce an IPv6 address",
          ru: "сервер не сообщил IPv6-адрес",
        }, {
          expected: "listening on [::1]:PORT",
          actual: describe(address),
        });
      }
      await fetchTimeLine(trial, address);
    },
  },
  {
    id: "unix-socket",
    title: {
      en:
        "the server works on a Unix domain socket (--unix PATH) and outlives rude neighbours there: a second server on the path fails in one line, 20 clients leave before their answer",
      ru:
        "сервер работает на Unix-сокете (--unix PATH) и переживает там грубых соседей: второй сервер на том же пути падает с ошибкой в одну строку, 20 клиентов уходят раньше ответа",
    },
    hint: {
      en:
        'With --unix, listen with transport "unix" at that path, and announce it as listening on unix:PATH. Never delete a socket file a live server listens on (if you clear leftovers, try to connect first). Writing to a client that has gone fails (BrokenPipe, ConnectionReset): in serveOne catch every error of that one connection, close it, return; try/finally alone lets it escape.',
      ru:
        'С --unix слушайте с transport "unix" по этому пути и сообщите адрес как listening on unix:PATH. Не удаляйте файл сокета, который слушает живой сервер (если убираете остатки, сначала попробуйте подключиться). Запись ушедшему клиенту падает с ошибкой (BrokenPipe, ConnectionReset): в serveOne ловите любую ошибку этого соединения, закрывайте его и выходите; одного try/finally мало, ошибка ускользнёт.',
    },
    async run(trial) {
      const path = uniqueSocketPath();
      removeLater(trial, path);
      const { server, address } = await startServer(trial, { args: ["--unix", path], extraFlags: unixFlags(path) });
      if (address.transport !== "unix" || address.path !== path) {
        throw new CheckFailure({
          en: "the server did not announce the Unix socket path",
          ru: "сервер не сообщил путь к Unix-сокету",
        }, {
          expected: `listening on unix:${path}`,
          actual: describe(address),
        });
      }
      // A second server on the same path must fail, whichever comes first: its exit or its claim to listen.
      const second = trial.start("server (second)", ["server", "--unix", path], { extraFlags: unixFlags(path) });
      const outcome = await second.waitFor(
        () => second.stdout.find((line) => line.startsWith("listening on")) ?? (second.exited ? "" : undefined),
        8000,
        { en: "an error and its exit", ru: "ошибку и завершение" },
      ).catch(() => undefined);
      if (outcome !== "") {
        throw new CheckFailure({
          en: outcome
            ? `a second server took over unix:${path}, where the first was still listening: it must stop with an error instead`
            : `the second server was still running 8 s after being told to use unix:${path}, where a server listens`,
          ru: outcome
            ? `второй сервер забрал себе unix:${path}, где всё ещё слушал первый: вместо этого он должен остановиться с ошибкой`
            : `второй сервер всё ещё работал через 8 с после того, как ему указали unix:${path}, где уже слушает сервер`,
        }, {
          expected: {
            en: "exit with a non-zero code and one line on stderr",
            ru: "завершение с ненулевым кодом и одна строка в stderr",
          },
          actual: visible(second.stdout.join("\n") || "(nothing)"),
        });
      }
      assertCleanError(second, second.exited!, {
        en: `when a server already listens on unix:${path}`,
        ru: `когда на unix:${path} уже слушает сервер`,
      });
      // A second server that checks whether the path is alive connects and leaves at once: a client that left
      // before its answer, too.
      assertAlive(server, {
        en:
          "a second server tried its Unix socket path (if it connected to see who listens, it left before its answer)",
        ru:
          "второй сервер попробовал его путь Unix-сокета (если он подключался проверить, кто слушает, то ушёл, не дождавшись ответа)",
      });
      // Clients that leave before their answer, while the server is stopped: over a Unix socket accept() then
      // succeeds and the server's own write fails (EPIPE), every time. (Over TCP a client that resets so early
      // fails the given accept() instead.)
      const { data, eof, error } = await unixAbandonThenRead(trial, path, 20, server);
      if (error !== undefined) await server.exitWithin(500);
      assertAlive(server, {
        en: "20 clients connected over a Unix socket and left before their answer",
        ru: "20 клиентов подключились через Unix-сокет и ушли, не дождавшись ответа",
      });
      if (error !== undefined || (data.length === 0 && !eof)) {
        throw new CheckFailure({
          en:
            `the first server no longer answered on unix:${path} after a second server tried the path and 20 clients left early${
              error ? `: ${error}` : ""
            }`,
          ru:
            `первый сервер больше не отвечал на unix:${path} после того, как второй попробовал этот путь, а 20 клиентов ушли раньше времени${
              error ? `: ${error}` : ""
            }`,
        });
      }
      judgeTimeLine(data, eof, SERVER);
    },
  },
  {
    id: "unix-not-socket",
    title: {
      en:
        "--unix PATH where a regular file or a directory stands: the server stops with a one-line error naming PATH and leaves it as it was",
      ru:
        "--unix PATH, где стоит обычный файл или каталог: сервер останавливается с ошибкой в одну строку, где назван PATH, и оставляет их как были",
    },
    hint: {
      en:
        "Only a socket file can be a leftover of a crashed server. Before deleting anything at the path, Deno.lstat it: not a socket (isSocket false) is an error naming the path. A connect to a regular file is refused just like one to a dead socket, so a refused connect alone does not prove a leftover.",
      ru:
        "Остатком упавшего сервера может быть только файл сокета. Прежде чем что-то удалять по этому пути, вызовите Deno.lstat: не сокет (isSocket false) — это ошибка, где назван путь. Подключение к обычному файлу получает отказ точно так же, как к мёртвому сокету, поэтому один отказ ещё не доказывает, что перед вами остаток.",
    },
    async run(trial) {
      const content = "precious: not a socket\n";
      for (const kind of ["file", "directory"] as const) {
        const path = uniqueSocketPath();
        removeLater(trial, path);
        if (kind === "file") await Deno.writeTextFile(path, content);
        else await Deno.mkdir(path);
        const noun: Bilingual = kind === "file"
          ? { en: "a regular file", ru: "обычный файл" }
          : { en: "an empty directory", ru: "пустой каталог" };
        const what: Bilingual = { en: `${noun.en} stands at ${path}`, ru: `по пути ${path} стоит ${noun.ru}` };
        const server = trial.start(`server (${kind})`, ["server", "--unix", path], { extraFlags: unixFlags(path) });
        const status = await server.exitWithin(8000);
        const left = await Deno.lstat(path).catch(() => undefined);
        const intact = kind === "file"
          ? left?.isFile === true && await Deno.readTextFile(path).catch(() => "") === content
          : left?.isDirectory === true;
        if (!intact) {
          const done: Bilingual = left === undefined
            ? { en: "deleted it", ru: "удалил его" }
            : left.isSocket
            ? { en: "deleted it and put its own socket there", ru: "удалил его и положил туда свой сокет" }
            : { en: "changed it", ru: "изменил его" };
          throw new CheckFailure({
            en: `the server was told --unix ${path}, where ${noun.en} stood, and ${done.en}: ` +
              "only a socket nobody answers on may be removed",
            ru: `серверу указали --unix ${path}, где был ${noun.ru}, и он ${done.ru}: ` +
              "удалять можно только сокет, на котором никто не отвечает",
          }, {
            expected: {
              en: `the ${kind} left as it was, and a one-line error`,
              ru: "всё оставлено как было, и ошибка в одну строку",
            },
            actual: { en: `the server ${done.en}`, ru: `сервер ${done.ru}` },
          });
        }
        if (!status) {
          throw new CheckFailure({
            en: `the server was still running 8 s after being told --unix ${path}, where ${noun.en} stands`,
            ru: `сервер всё ещё работал через 8 с после того, как ему указали --unix ${path}, где стоит ${noun.ru}`,
          }, {
            expected: {
              en: "exit with a non-zero code and one line on stderr naming the path",
              ru: "завершение с ненулевым кодом и одна строка в stderr, где назван путь",
            },
            actual: visible(server.stdout.join("\n") || "(nothing)"),
          });
        }
        assertCleanError(server, status, { en: `when ${what.en}`, ru: `когда ${what.ru}` });
        const line = server.stderr.find((l) => l.trim() !== "") ?? "";
        if (!line.includes(path)) {
          throw new CheckFailure({
            en: `the server's error when ${what.en} does not name the path`,
            ru: `ошибка сервера, когда ${what.ru}, не называет путь`,
          }, {
            expected: { en: `one line that names ${path}`, ru: `одна строка, где назван ${path}` },
            actual: visible(line),
          });
        }
      }
    },
  },
  {
    id: "backlog",
    slow: true,
    title: {
      en:
        `--backlog ${SMALL_BACKLOG}: while the server is stopped, only ${SMALL_BACKLOG} (Linux: ${SMALL_BACKLOG} + 1) handshakes wait for accept; then all are served`,
      ru:
        `--backlog ${SMALL_BACKLOG}: пока сервер остановлен, accept ждут лишь ${SMALL_BACKLOG} (в Linux ${SMALL_BACKLOG} + 1) соединения; потом все обслужены`,
    },
    hint: {
      en: "Pass options.backlog to Deno.listen as tcpBacklog: it is listen(n)'s n.",
      ru: "Передайте options.backlog в Deno.listen как tcpBacklog: это n из listen(n).",
    },
    timeoutMs: 25_000,
    async run(trial) {
      const { server, address: announced } = await startServer(trial, {
        args: ["--host", "127.0.0.1", "--port", "0", "--backlog", String(SMALL_BACKLOG)],
      });
      const { host, port } = tcpAddress(announced);
      // Freeze the server (SIGSTOP): the kernel still completes handshakes into the accept queue, until the
      // queue is full (Linux: backlog + 1); then it ignores new SYNs, and those connects wait.
      const clients = SMALL_BACKLOG + 4;
      trial.transcript.event("grader", `stops the server (SIGSTOP), then connects ${clients} clients, one by one`);
      server.signal("SIGSTOP");
      trial.defer({
        [Symbol.dispose]() {
          try {
            server.signal("SIGCONT");
          } catch { /* gone */ }
        },
      });
      const connected: boolean[] = new Array(clients).fill(false);
      const attempts: Promise<{ conn: Deno.Conn; from: number }>[] = [];
      for (let i = 0; i < clients; i++) {
        const from = Date.now();
        const attempt = Deno.connect({ hostname: host, port }).then((conn) => {
          trial.defer({
            [Symbol.dispose]() {
              try {
                conn.close();
              } catch { /* readAll closed it at its deadline */ }
            },
          });
          connected[i] = true;
          return { conn, from };
        });
        // A failure below ends the check while some still wait; once the server is killed they fail, unheard.
        attempt.catch(() => {});
        attempts.push(attempt);
        // The next SYN only once this handshake is done, or plainly ignored (100 ms): handshakes that overlap can
        // complete on the client's side while the full queue drops their last step, and would be miscounted.
        await within(attempt, 100, { en: "handshake", ru: "рукопожатия" }).catch(() => {});
      }
      const queued = connected.filter(Boolean).length;
      trial.transcript.event(
        "grader",
        `${queued} of ${clients} connected while the server was stopped; continues it (SIGCONT)`,
      );
      server.signal("SIGCONT");
      // Linux queues exactly backlog + 1; other systems count a little differently.
      if (queued > SMALL_BACKLOG + (Deno.build.os === "linux" ? 1 : 2)) {
        throw new CheckFailure({
          en:
            `with --backlog ${SMALL_BACKLOG}, ${queued} of ${clients} connections were completed while the server was not accepting: the backlog was not passed to listen as it is`,
          ru:
            `с --backlog ${SMALL_BACKLOG} пока сервер не принимал соединения, установились ${queued} из ${clients}: очередь не передана в listen как есть`,
        }, {
          expected: {
            en: `${SMALL_BACKLOG + 1} (Linux queues backlog + 1), the rest waiting`,
            ru: `${SMALL_BACKLOG + 1} (Linux ставит в очередь backlog + 1), остальные ждут`,
          },
          actual: { en: `${queued} connected`, ru: `установлено: ${queued}` },
        });
      }
      // Continued, the server takes the queue; the SYNs it ignored come again (after 1 s) and are served too.
      const settled = await Promise.allSettled(attempts.map((a) =>
        within(a, 8000, {
          en: "connection after the server was continued",
          ru: "соединения после того, как сервер продолжил работу",
        })
      ));
      const conns = settled.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
      // Each line is judged against its own connect and arrival: the last come a second or more after the first.
      const answers = await Promise.all(
        conns.map(async ({ conn, from }) => ({ ...await readAll(conn, 8000), from, to: Date.now() })),
      );
      if (conns.length < clients) {
        throw new CheckFailure({
          en: `only ${conns.length} of ${clients} clients were served after the server was continued`,
          ru: `после того как сервер продолжил работу, обслужены только ${conns.length} из ${clients} клиентов`,
        });
      }
      for (const { data, eof, from, to } of answers) judgeTimeLine(data, eof, SERVER, { from, to });
    },
  },
  portInUse(),
  stopsOnCtrlC(),
];
