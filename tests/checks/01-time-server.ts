/**
 * Lesson 1's checks: the time server and its client, tested over real sockets
 * against real processes. Each check is one promise of the lesson; its hint
 * points at the idea, never at the code.
 *
 * @module
 */
import type { Accepted, Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../harness/failure.ts";
import type { Bilingual } from "../harness/text.ts";
import { firstDifference, visible } from "../harness/bytes.ts";
import { seconds, sleep, within } from "../harness/deadline.ts";
import type { Address, LearnerProcess } from "../harness/process.ts";
import { describe, hasIpv6Loopback, Peer, resetConnection, uniqueSocketPath } from "../harness/socket.ts";
import { assertAlive, assertCleanError, removeLater, runClient, startServer, tcpAddress } from "../harness/programs.ts";
import { clientRefused, portInUse, stopsOnCtrlC } from "./common.ts";
import { DribbleServer } from "../harness/peers.ts";
import { unixFlags, unixRead, unixServe } from "../harness/unix_peer.ts";
import { promises } from "../promises/01-time-server.ts";

/** How far the server's clock may be from the grader's. */
const CLOCK_SLACK_MS = 2000;
/** How long a client may wait for the time line. */
const ANSWER_MS = 2000;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NEWLINE = 0x0a;
/** The sender judged by {@linkcode judgeTimeLine}, as the subject of a sentence. */
const SERVER: Bilingual = { en: "the server", ru: "сервер" };

/**
 * Judges what one client received: exactly one ISO 8601 line with a UTC
 * offset or Z, close to the grader's clock, ending in one "\n".
 */
function judgeTimeLine(data: Uint8Array, eof: boolean, source: Bilingual): void {
  const text = new TextDecoder().decode(data);
  const end = data.indexOf(NEWLINE);
  if (end < 0) {
    throw new CheckFailure(
      eof
        ? {
          en: `${source.en} closed the connection without ending the line with "\\n"`,
          ru: `${source.ru} закрыл соединение, не завершив строку символом "\\n"`,
        }
        : {
          en: `${source.en} sent no "\\n" within ${ANSWER_MS / 1000} s: the line must end with a newline`,
          ru: `${source.ru} не прислал "\\n" за ${ANSWER_MS / 1000} с: строка должна заканчиваться переводом строки`,
        },
      {
        expected: { en: 'an ISO 8601 time followed by "\\n"', ru: 'время в ISO 8601, а за ним "\\n"' },
        actual: visible(data),
      },
    );
  }
  const line = text.slice(0, text.indexOf("\n"));
  if (data.length > end + 1) {
    throw new CheckFailure(
      {
        en: `${source.en} sent more after the time line; exactly one line ending in one "\\n" is expected`,
        ru:
          `${source.ru} прислал ещё что-то после строки со временем; ожидается ровно одна строка, оканчивающаяся одним "\\n"`,
      },
      {
        expected: visible(`${line}\n`),
        actual: {
          en: `${visible(data)}; ${firstDifference(`${line}\n`, data)}`,
          ru: `${visible(data)}; ${firstDifference(`${line}\n`, data, "ru")}`,
        },
      },
    );
  }
  if (line.endsWith("\r")) {
    throw new CheckFailure({
      en: 'the line ends with "\\r\\n"; this protocol ends lines with "\\n" alone',
      ru: 'строка оканчивается на "\\r\\n"; в этом протоколе строки оканчиваются одним "\\n"',
    }, {
      expected: visible(`${line.slice(0, -1)}\n`),
      actual: visible(data),
    });
  }
  const match = line.match(ISO_8601);
  if (!match) {
    const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(line);
    throw new CheckFailure(
      local
        ? {
          en: "the time has no UTC offset or Z, so a reader elsewhere cannot tell which moment it is",
          ru: "у времени нет ни смещения от UTC, ни Z, и читатель в другом часовом поясе не поймёт, какой это момент",
        }
        : { en: "the line is not an ISO 8601 date and time", ru: "строка не является датой и временем в ISO 8601" },
      {
        expected: {
          en: '"2026-11-23T15:04:05.123+03:00\\n" or "2026-11-23T12:04:05.123Z\\n"',
          ru: '"2026-11-23T15:04:05.123+03:00\\n" или "2026-11-23T12:04:05.123Z\\n"',
        },
        actual: visible(data),
      },
    );
  }
  const skew = Math.abs(Date.parse(line) - Date.now());
  if (!(skew <= CLOCK_SLACK_MS)) {
    const now = new Date().toISOString();
    throw new CheckFailure({
      en: `the time is ${Math.round(skew / 1000)} s away from the grader's clock`,
      ru: `время расходится с часами проверки на ${Math.round(skew / 1000)} с`,
    }, {
      expected: {
        en: `within ${CLOCK_SLACK_MS / 1000} s of ${now}`,
        ru: `не дальше ${CLOCK_SLACK_MS / 1000} с от ${now}`,
      },
      actual: visible(data),
    });
  }
}

/** Connects, asks nothing, and judges the answer; returns the peer for more checks. */
async function fetchTimeLine(trial: Trial, address: Address, label = "grader"): Promise<Peer> {
  const peer = await Peer.connect(address, trial.transcript, label);
  trial.defer(peer);
  const gotLine = await peer.readUntil((data) => data.includes(NEWLINE), ANSWER_MS);
  if (!gotLine && peer.received.length === 0 && !peer.done) {
    // Silence. Is the server waiting for us to speak first?
    await peer.write(new TextEncoder().encode("hello\n"));
    const answered = await peer.readUntil((data) => data.length > 0, 1500);
    throw new CheckFailure(
      answered
        ? {
          en:
            "the server answered only after the client sent something: it reads from the client first. Here connecting is the whole request; send the time as soon as the connection is accepted",
          ru:
            "сервер ответил только после того, как клиент что-то прислал: он сначала читает от клиента. Здесь весь запрос — само подключение; отправляйте время сразу, как только соединение принято",
        }
        : {
          en: `no answer within ${ANSWER_MS / 1000} s after connecting`,
          ru: `нет ответа в течение ${ANSWER_MS / 1000} с после подключения`,
        },
      {
        expected: { en: "a time line right after connecting", ru: "строка со временем сразу после подключения" },
        actual: answered ? visible(peer.received) : { en: "nothing", ru: "ничего" },
      },
    );
  }
  // Collect anything that follows the line until the server closes (or a short wait).
  if (gotLine) await peer.readUntil(() => false, 300);
  judgeTimeLine(peer.received, peer.eof, SERVER);
  return peer;
}

/** A time zone far from UTC whose offset is not whole hours: local time labelled "Z" or "+05:00" is caught. */
const ZONE = { TZ: "Asia/Kathmandu" };
/** How far apart two time lines may be from the moments they were asked for, relative to each other. */
const PAIR_SLACK_MS = 400;
/** The backlog the grader asks for when it counts the queue of a stopped server. */
const SMALL_BACKLOG = 3;

/** The moment a time line names, in ms since 1970. */
function instant(data: Uint8Array): number {
  return Date.parse(new TextDecoder().decode(data).trim());
}

/**
 * Plays a server that sends `text` and then closes, to one client; resolves
 * with the grader's listener address and a promise of the moment it closed.
 */
function closingServer(trial: Trial, text: string, hostname = "127.0.0.1") {
  const listener = Deno.listen({ hostname, port: 0 });
  trial.defer({ [Symbol.dispose]: () => listener.close() });
  const closed = (async () => {
    const peer = await Peer.accept(listener, trial.transcript);
    trial.defer(peer);
    await peer.write(new TextEncoder().encode(text));
    await peer[Symbol.asyncDispose]();
    trial.transcript.event("grader server", "closed the connection");
    return performance.now();
  })();
  closed.catch(() => {});
  return { port: listener.addr.port, closed };
}

/** Reads `conn` until EOF, an error or `ms`; never throws. */
async function readAll(conn: Deno.Conn, ms: number): Promise<{ data: Uint8Array; eof: boolean }> {
  const pieces: number[] = [];
  const buffer = new Uint8Array(256);
  const timer = setTimeout(() => conn.close(), ms);
  try {
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      pieces.push(...buffer.subarray(0, n));
    }
    return { data: Uint8Array.from(pieces), eof: true };
  } catch {
    return { data: Uint8Array.from(pieces), eof: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Fails unless the client printed exactly `text` (as lines) and exited 0. */
function assertPrinted(client: LearnerProcess, status: Deno.CommandStatus, text: string, what: Bilingual): void {
  const expected = text.replace(/\n$/, "").split("\n");
  const printed = client.stdout;
  if (status.code === 0 && printed.length === expected.length && printed.every((line, i) => line === expected[i])) {
    return;
  }
  const got = printed.length ? `${printed.join("\n")}\n` : "";
  const stderr = client.stderr.length ? `; stderr: ${client.stderr.join(" | ")}` : "";
  const extra = status.code === 0 && printed.length > expected.length &&
    expected.every((line, i) => printed[i] === line);
  throw new CheckFailure(
    extra
      ? {
        en: `the client printed more than the server sent (${
          printed.length - expected.length
        } extra line(s)); print what arrived, nothing else`,
        ru: `клиент вывел больше, чем прислал сервер (лишних строк: ${
          printed.length - expected.length
        }); выводите то, что пришло, и ничего больше`,
      }
      : status.code !== 0
      ? {
        en: `the client exited with code ${status.code} after ${what.en}`,
        ru: `клиент завершился с кодом ${status.code} после того, как ${what.ru}`,
      }
      : {
        en: `the client did not print what the server sent after ${what.en}`,
        ru: `клиент вывел не то, что прислал сервер, после того как ${what.ru}`,
      },
    {
      expected: visible(text),
      actual: {
        en: `${visible(got)}${got ? `; ${firstDifference(text, got)}` : ""}${stderr}`,
        ru: `${visible(got)}${got ? `; ${firstDifference(text, got, "ru")}` : ""}${stderr}`,
      },
    },
  );
}

const checks: Check[] = [
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
        "Print everything that arrived before the close, not just the first line. Decode with one TextDecoder and { stream: true }: a character's bytes can be split between two reads.",
      ru:
        "Выводите всё, что пришло до закрытия, а не только первую строку. Декодируйте одним TextDecoder с { stream: true }: байты одного символа могут разойтись по двум чтениям.",
    },
    async run(trial) {
      const text = `${new Date().toISOString()} — время сервера\nвторая строка ✓\n`;
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
        en: "the server sent two lines of Cyrillic text one byte at a time",
        ru: "сервер прислал две строки кириллицы по одному байту",
      });
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

/** Known mistakes, each patched into a copy of the reference and breaking one promise; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "silent",
    mistake: "the server never announces its address",
    file: "server.ts",
    patch: [["  options.log(`listening on ${formatAddr(listener.addr)}`);\n", ""]],
    breaks: "first-line",
    rejectedBy: "announces-address",
    message: /the server did not print its first line, 'listening on HOST:PORT' within 8 s/,
  },
  {
    id: "no-newline",
    mistake: "the server sends the time without the final newline",
    file: "server.ts",
    patch: [['encoder.encode(timestamp(new Date()) + "\\n")', "encoder.encode(timestamp(new Date()))"]],
    breaks: "time-line",
    rejectedBy: "time-line",
    message: /without ending the line with "\\n"/,
  },
  {
    id: "reads-first",
    mistake: "the server waits to read from the client before answering",
    file: "server.ts",
    patch: [[
      "    log(`Client ${peer} connected`);\n",
      "    log(`Client ${peer} connected`);\n    await conn.read(new Uint8Array(1024));\n",
    ]],
    breaks: "no-request",
    rejectedBy: "time-line",
    message: /answered only after the client sent something/,
  },
  {
    id: "time-at-start",
    mistake: "the server reads the clock once, when it starts, and sends that time to every client",
    file: "server.ts",
    patch: [
      [
        "const encoder = new TextEncoder();",
        "const encoder = new TextEncoder();\nconst STARTED = timestamp(new Date());",
      ],
      ['encoder.encode(timestamp(new Date()) + "\\n")', 'encoder.encode(STARTED + "\\n")'],
    ],
    breaks: "current-time",
    rejectedBy: "time-per-client",
    message: /the time is not read when each client is served/,
  },
  {
    id: "local-time-as-utc",
    mistake: "the server writes its local time and labels it Z (UTC)",
    file: "server.ts",
    patch: [['const zone = offset === 0 ? "Z" :', 'const zone = true ? "Z" :']],
    breaks: "offset",
    rejectedBy: "time-zone",
    message: /s away from the grader's clock/,
  },
  {
    id: "never-closes",
    mistake: "the server never closes the connection",
    file: "server.ts",
    patch: [["      conn.close();\n    } catch { /* already closed */ }", "    } catch { /* forgot to close */ }"]],
    breaks: "hangs-up",
    rejectedBy: "closes",
    message: /did not close the connection/,
  },
  {
    id: "shared-conn",
    mistake: "the server keeps the connection being served in one variable shared by every client",
    file: "server.ts",
    patch: [
      ["const encoder = new TextEncoder();", "const encoder = new TextEncoder();\nlet current: Deno.Conn;"],
      [
        "    const job = serveOne(conn, options.log);",
        "    current = conn;\n    const job = serveOne(conn, options.log);",
      ],
      [
        "      conn.close();\n    } catch { /* already closed */ }",
        "      current.close();\n    } catch { /* already closed */ }",
      ],
    ],
    breaks: "every-client",
    rejectedBy: "many-clients",
    message: /of 100 parallel clients were not served properly/,
  },
  {
    id: "logs-own-address",
    mistake: "the server logs its own address for each client instead of the client's",
    file: "server.ts",
    patch: [["const peer = formatAddr(conn.remoteAddr);", "const peer = formatAddr(conn.localAddr);"]],
    breaks: "logs-clients",
    rejectedBy: "logs-clients",
    message: /no line of the server's log names the client/,
  },
  {
    id: "dies-on-reset",
    mistake: "the server lets a client's connection error escape (a failed accept or write after a reset)",
    file: "server.ts",
    patch: [
      [
        "      options.log(`accept failed: ${error instanceof Error ? error.message : error}; still listening`);",
        "      throw error;",
      ],
      ['    log(`Client ${peer}: ${error instanceof Error ? error.name : "error"}, dropped`);', "    throw error;"],
    ],
    breaks: "one-bad-client",
    rejectedBy: "survives-reset",
    message: /server exited \(code 1\) after 50 clients connected and reset/,
  },
  {
    id: "ignores-abort",
    mistake: "the server does not close its listener when asked to stop, so accept() waits forever",
    file: "server.ts",
    patch: [["const stop = () => listener.close();", "const stop = () => {};"]],
    breaks: "ctrl-c",
    rejectedBy: "ctrl-c",
    message: /still running 5 s after Ctrl\+C/,
  },
  {
    id: "swallows-listen-error",
    mistake: "the server catches the error of a taken port, prints it on stdout and ends normally",
    file: "server.ts",
    patch: [[
      "  const listener = options.unix === undefined\n    ? Deno.listen(",
      "  let listener: Deno.Listener;\n  try {\n    listener = Deno.listen(",
    ], [
      "tcpBacklog: options.backlog })\n    : await listenUnix(options.unix);",
      "tcpBacklog: options.backlog });\n  } catch (error) {\n    options.log(`could not listen: ${error}`);\n    return;\n  }",
    ]],
    breaks: "port-in-use",
    rejectedBy: "port-in-use",
    message: /exited with code 0 when port \d+ is taken/,
  },
  {
    id: "tcp-only",
    mistake: "the server ignores --unix and always listens on TCP",
    file: "server.ts",
    patch: [["  const listener = options.unix === undefined\n", "  const listener = true\n"]],
    breaks: "listen-where-told",
    rejectedBy: "unix-socket",
    message: /did not announce the Unix socket path/,
  },
  {
    id: "ipv4-only",
    mistake: "the server listens on 127.0.0.1 whatever --host says",
    file: "server.ts",
    patch: [["Deno.listen({ hostname: options.host,", 'Deno.listen({ hostname: "127.0.0.1",']],
    breaks: "ipv6",
    rejectedBy: "ipv6",
    message: /did not announce an IPv6 address/,
  },
  {
    id: "unix-path-bare",
    mistake: "the server announces a Unix socket as its bare path, without unix:",
    file: "server.ts",
    patch: [[
      "  options.log(`listening on ${formatAddr(listener.addr)}`);",
      '  options.log(`listening on ${listener.addr.transport === "unix" ? listener.addr.path : formatAddr(listener.addr)}`);',
    ]],
    breaks: "unix",
    rejectedBy: "unix-socket",
    message: /first line on stdout must announce its address/,
  },
  {
    id: "backlog-ignored",
    mistake: "the server listens without passing --backlog on (Deno's default, 511, applies)",
    file: "server.ts",
    patch: [[", tcpBacklog: options.backlog })", " })"]],
    breaks: "backlog",
    rejectedBy: "backlog",
    message: /the backlog was not passed to listen/,
  },
  {
    id: "client-reads-once",
    mistake: "the client calls read() once and prints what came",
    file: "client.ts",
    patch: [["n !== null; n = await conn.read(buffer)) {", "n !== null; n = null) {"]],
    breaks: "client-prints",
    rejectedBy: "client-reads-all",
    message: /stopped after the first read/,
  },
  {
    id: "client-decodes-each-read",
    mistake: "the client decodes each read on its own, so a character split between two reads is garbled",
    file: "client.ts",
    patch: [[
      "decoder.decode(buffer.subarray(0, n), { stream: true })",
      "new TextDecoder().decode(buffer.subarray(0, n))",
    ]],
    breaks: "client-utf8",
    rejectedBy: "client-whole-answer",
    message: /did not print what the server sent/,
  },
  {
    id: "client-no-deadline",
    mistake: "the client has no deadline: it waits for the close forever",
    file: "client.ts",
    patch: [["  }, options.timeoutMs);", "  }, 2 ** 31 - 1);"]],
    breaks: "client-deadline",
    rejectedBy: "client-timeout",
    message: /it has no deadline for the whole answer/,
  },
  {
    id: "client-idle-deadline",
    mistake: "the client restarts its deadline on every read, so a server that keeps sending is never given up on",
    file: "client.ts",
    patch: [
      ["  const timer = setTimeout(() => {", "  const expire = () => {"],
      ["  }, options.timeoutMs);", "  };\n  let timer = setTimeout(expire, options.timeoutMs);"],
      [
        "      size += n;",
        "      size += n;\n      clearTimeout(timer);\n      timer = setTimeout(expire, options.timeoutMs);",
      ],
    ],
    breaks: "client-deadline",
    rejectedBy: "client-timeout",
    message: /it has no deadline for the whole answer/,
  },
  {
    id: "client-ignores-port",
    mistake: "the client always connects to port 8000, whatever --port says",
    file: "client.ts",
    patch: [[
      "Deno.connect({ hostname: options.host, port: options.port })",
      "Deno.connect({ hostname: options.host, port: 8000 })",
    ]],
    breaks: "client-connects",
    rejectedBy: "client-reads-all",
    message: /the client did not print the line the server sent/,
  },
  {
    id: "client-ignores-host",
    mistake: "the client always connects to localhost, whatever --host says",
    file: "client.ts",
    patch: [[
      "Deno.connect({ hostname: options.host, port: options.port })",
      'Deno.connect({ hostname: "localhost", port: options.port })',
    ]],
    breaks: "client-ipv6",
    rejectedBy: "client-ipv6",
    message: /the client exited with code 1 after a server on \[::1\] sent the line/,
  },
  {
    id: "client-tcp-only",
    mistake: "the client ignores --unix and always connects over TCP",
    file: "client.ts",
    patch: [["  const conn = options.unix === undefined\n", "  const conn = true\n"]],
    breaks: "client-unix",
    rejectedBy: "client-unix",
    message: /the client did not print the line sent over/,
  },
  {
    id: "client-refused-quietly",
    mistake: "the client catches a refused connection, prints it on stdout and exits 0",
    file: "client.ts",
    patch: [[
      '  const conn = options.unix === undefined\n    ? await Deno.connect({ hostname: options.host, port: options.port })\n    : await Deno.connect({ transport: "unix", path: options.unix });',
      "  let conn: Deno.Conn;\n  try {\n    conn = await Deno.connect({ hostname: options.host, port: options.port });\n  } catch (error) {\n    options.log(`could not connect: ${error}`);\n    return;\n  }",
    ]],
    breaks: "client-refused",
    rejectedBy: "client-refused",
    message: /exited with code 0 when nothing listens on port/,
  },
];

/** Correct solutions written otherwise; each must pass every check. */
const accepted: Accepted[] = [
  {
    id: "utc-two-writes",
    differs: "the server sends toISOString() (UTC, Z) and the newline in two writes",
    file: "server.ts",
    patch: [[
      'await writeAll(conn, encoder.encode(timestamp(new Date()) + "\\n"));',
      'await writeAll(conn, encoder.encode(new Date().toISOString()));\n    await writeAll(conn, encoder.encode("\\n"));',
    ]],
  },
  {
    id: "reworded",
    differs: "every log line and error the text leaves free is worded differently",
    file: "server.ts",
    patch: [
      ["    log(`Client ${peer} connected`);", "    log(`new visitor from ${peer}`);"],
      ['  options.log("server stopped");', '  options.log("bye: the listener is closed");'],
      [
        '    log(`Client ${peer}: ${error instanceof Error ? error.name : "error"}, dropped`);',
        "    log(`lost ${peer} half-way`);",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        "`the server did not close the connection within ${options.timeoutMs} ms`",
        "`no end of answer after ${options.timeoutMs} ms; giving up`",
      ]],
    }],
  },
  {
    id: "stream-client",
    differs: "the client reads conn.readable through a TextDecoderStream, with AbortSignal.timeout as its deadline",
    file: "client.ts",
    patch: [[
      '  // A server that never closes would keep us waiting forever: closing the\n  // connection after the deadline makes the pending read() end.\n  let timedOut = false;\n  const timer = setTimeout(() => {\n    timedOut = true;\n    conn.close();\n  }, options.timeoutMs);\n\n  // A streaming decoder keeps a character whose bytes were split between two\n  // reads until the rest of it arrives.\n  const decoder = new TextDecoder();\n  let text = "";\n  let size = 0;\n  try {\n    const buffer = new Uint8Array(1024);\n    // recv() in a loop until it returns nothing: read() resolves null at EOF,\n    // when the server has closed its side.\n    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {\n      size += n;\n      if (size > MAX_BYTES) throw new Error(`the server sent more than ${MAX_BYTES} bytes; a time line is short`);\n      text += decoder.decode(buffer.subarray(0, n), { stream: true });\n    }\n    text += decoder.decode();\n  } catch (error) {\n    if (timedOut) {\n      throw new Deno.errors.TimedOut(`the server did not close the connection within ${options.timeoutMs} ms`);\n    }\n    throw error;\n  } finally {\n    clearTimeout(timer);\n    if (!timedOut) conn.close();\n  }\n\n',
      '  // Another style: the connection\'s readable stream, decoded by a TextDecoderStream, with one\n  // AbortSignal as the deadline for the whole answer.\n  const deadline = AbortSignal.timeout(options.timeoutMs);\n  const reader = conn.readable.pipeThrough(new TextDecoderStream()).getReader();\n  const gaveUp = new Promise<never>((_, reject) =>\n    deadline.addEventListener("abort", () => reject(new Error(`gave up after ${options.timeoutMs} ms without an end`)))\n  );\n  gaveUp.catch(() => {});\n  let text = "";\n  try {\n    while (true) {\n      const { value, done } = await Promise.race([reader.read(), gaveUp]);\n      if (done) break;\n      text += value;\n    }\n  } finally {\n    reader.cancel().catch(() => {});\n  }\n',
    ]],
  },
];

/** Lesson 1 as the grader knows it. */
export const lesson: Lesson = {
  number: 1,
  slug: "01-time-server",
  title: { en: "TCP time server", ru: "TCP-сервер времени" },
  checks,
  variants,
  accepted,
  promises,
};
