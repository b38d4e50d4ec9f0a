/**
 * Lesson 1's checks of the learner's time server.
 *
 * @module
 */
import type { Check } from "../../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { seconds, sleep, within } from "../../harness/deadline.ts";
import { describe, hasIpv6Loopback, Peer, resetConnection, uniqueSocketPath } from "../../harness/socket.ts";
import { assertAlive, removeLater, startServer, tcpAddress } from "../../harness/programs.ts";
import { portInUse, stopsOnCtrlC } from "../common.ts";
import { unixFlags, unixRead } from "../../harness/unix_peer.ts";
import {
  ANSWER_MS,
  fetchTimeLine,
  instant,
  judgeTimeLine,
  PAIR_SLACK_MS,
  readAll,
  SERVER,
  SMALL_BACKLOG,
  ZONE,
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
      en: "The client reads until the connection closes: close it once the line is written, on every path.",
      ru:
        "Клиент читает, пока соединение не закроется: закройте его, когда строка отправлена, на любом пути выполнения.",
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
    },
  },
  {
    id: "time-zone",
    title: {
      en: "in another time zone (UTC+05:45) the line still names the right instant",
      ru: "в другом часовом поясе (UTC+05:45) строка по-прежнему называет верный момент",
    },
    hint: {
      en:
        "Local time needs the local offset (getTimezoneOffset(), minutes too, and its sign is reversed); or send UTC with Z, as toISOString() does.",
      ru:
        "Местному времени нужно местное смещение (getTimezoneOffset(), с минутами, и знак у него обратный); или отправляйте UTC с Z, как toISOString().",
    },
    async run(trial) {
      const { address } = await startServer(trial, { env: ZONE });
      await fetchTimeLine(trial, address);
    },
  },
  {
    id: "time-per-client",
    slow: true,
    title: {
      en: "each client gets the time of its own connection",
      ru: "каждый клиент получает время своего подключения",
    },
    hint: {
      en: "Read the clock when the client is served, not once when the server starts.",
      ru: "Читайте часы, когда обслуживаете клиента, а не один раз при запуске сервера.",
    },
    async run(trial) {
      const { address } = await startServer(trial);
      const first = await fetchTimeLine(trial, address, "grader (first)");
      const firstAt = Date.now();
      await sleep(1000);
      const second = await fetchTimeLine(trial, address, "grader (1 s later)");
      const gap = instant(second.received) - instant(first.received);
      const waited = Date.now() - firstAt;
      if (Math.abs(gap - waited) > PAIR_SLACK_MS) {
        throw new CheckFailure({
          en: `two clients ${seconds(waited)} apart got times ${
            seconds(Math.max(gap, 0))
          } apart: the time is not read when each client is served`,
          ru: `два клиента с разницей ${seconds(waited)} получили время с разницей ${
            seconds(Math.max(gap, 0))
          }: время читается не тогда, когда обслуживается клиент`,
        }, {
          expected: {
            en: `times about ${seconds(waited)} apart`,
            ru: `время с разницей около ${seconds(waited)}`,
          },
          actual: `${visible(first.received)}, ${visible(second.received)}`,
        });
      }
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
      await Promise.all(peers.map((peer) => peer.waitForEof(5000)));
      const problems: Bilingual[] = [];
      for (const [i, peer] of peers.entries()) {
        try {
          if (!peer.eof) throw new CheckFailure({ en: "no EOF within 5 s", ru: "нет EOF в течение 5 с" });
          judgeTimeLine(peer.received, peer.eof, SERVER);
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
          en: `${problems.length} of 100 parallel clients were not served properly`,
          ru: `${problems.length} из 100 параллельных клиентов обслужены неправильно`,
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
      en: "the server works on a Unix domain socket (--unix PATH)",
      ru: "сервер работает на Unix-сокете (--unix PATH)",
    },
    hint: {
      en: 'With --unix, listen with transport "unix" at that path, and announce it as listening on unix:PATH.',
      ru: 'С --unix слушайте с transport "unix" по этому пути и сообщите адрес как listening on unix:PATH.',
    },
    async run(trial) {
      const path = uniqueSocketPath();
      removeLater(trial, path);
      const { address } = await startServer(trial, { args: ["--unix", path], extraFlags: unixFlags(path) });
      if (address.transport !== "unix" || address.path !== path) {
        throw new CheckFailure({
          en: "the server did not announce the Unix socket path",
          ru: "сервер не сообщил путь к Unix-сокету",
        }, {
          expected: `listening on unix:${path}`,
          actual: describe(address),
        });
      }
      const { data, eof } = await unixRead(trial, path);
      if (data.length === 0 && !eof) {
        throw new CheckFailure({
          en: `no answer within 5 s on unix:${path}`,
          ru: `нет ответа в течение 5 с на unix:${path}`,
        });
      }
      judgeTimeLine(data, eof, SERVER);
    },
  },
  {
    id: "backlog",
    slow: true,
    title: {
      en:
        `--backlog ${SMALL_BACKLOG}: while the server is stopped, only about ${SMALL_BACKLOG} handshakes wait for accept; then all are served`,
      ru:
        `--backlog ${SMALL_BACKLOG}: пока сервер остановлен, accept ждут лишь около ${SMALL_BACKLOG} соединений; потом все обслужены`,
    },
    hint: {
      en: "Pass options.backlog to Deno.listen as tcpBacklog: it is listen(n)'s n.",
      ru: "Передайте options.backlog в Deno.listen как tcpBacklog: это n из listen(n).",
    },
    timeoutMs: 15_000,
    async run(trial) {
      const { server, address: announced } = await startServer(trial, {
        args: ["--host", "127.0.0.1", "--port", "0", "--backlog", String(SMALL_BACKLOG)],
      });
      const { host, port } = tcpAddress(announced);
      // Freeze the server (SIGSTOP): the kernel still completes handshakes into the accept queue, until the
      // queue is full (Linux: backlog + 1); then it ignores new SYNs, and those connects wait.
      trial.transcript.event("grader", "stops the server (SIGSTOP), then connects 10 clients, 20 ms apart");
      server.signal("SIGSTOP");
      trial.defer({
        [Symbol.dispose]() {
          try {
            server.signal("SIGCONT");
          } catch { /* gone */ }
        },
      });
      const connected: (Deno.Conn | undefined)[] = new Array(10).fill(undefined);
      const attempts = Array.from({ length: 10 }, async (_, i) => {
        await sleep(i * 20);
        const conn = await Deno.connect({ hostname: host, port });
        trial.defer({ [Symbol.dispose]: () => conn.close() });
        connected[i] = conn;
        return conn;
      });
      await sleep(600);
      const queued = connected.filter(Boolean).length;
      trial.transcript.event(
        "grader",
        `${queued} of 10 connected while the server was stopped; continues it (SIGCONT)`,
      );
      server.signal("SIGCONT");
      if (queued > SMALL_BACKLOG + 2) {
        throw new CheckFailure({
          en:
            `with --backlog ${SMALL_BACKLOG}, ${queued} of 10 connections were completed while the server was not accepting: the backlog was not passed to listen`,
          ru:
            `с --backlog ${SMALL_BACKLOG} пока сервер не принимал соединения, установились ${queued} из 10: очередь не передана в listen`,
        }, {
          expected: {
            en: `about ${SMALL_BACKLOG + 1} (Linux queues backlog + 1), the rest waiting`,
            ru: `около ${SMALL_BACKLOG + 1} (Linux ставит в очередь backlog + 1), остальные ждут`,
          },
          actual: { en: `${queued} connected`, ru: `установлено: ${queued}` },
        });
      }
      // Continued, the server takes the queue; the SYNs it ignored come again (after 1 s) and are served too.
      const settled = await Promise.allSettled(attempts.map((a) =>
        within(a, 5000, {
          en: "connection after the server was continued",
          ru: "соединения после того, как сервер продолжил работу",
        })
      ));
      const conns = settled.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
      const answers = await Promise.all(conns.map((conn) => readAll(conn, 5000)));
      if (conns.length < 10) {
        throw new CheckFailure({
          en: `only ${conns.length} of 10 clients were served after the server was continued`,
          ru: `после того как сервер продолжил работу, обслужены только ${conns.length} из 10 клиентов`,
        });
      }
      for (const { data, eof } of answers) judgeTimeLine(data, eof, SERVER);
    },
  },
  portInUse(),
  stopsOnCtrlC(),
];
