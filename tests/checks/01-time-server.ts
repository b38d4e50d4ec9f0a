/**
 * Lesson 1's checks: the time server and its client, tested over real sockets
 * against real processes. Each check is one promise of the lesson; its hint
 * points at the idea, never at the code.
 *
 * @module
 */
import type { Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../harness/failure.ts";
import type { Bilingual } from "../harness/text.ts";
import { firstDifference, visible } from "../harness/bytes.ts";
import { sleep } from "../harness/deadline.ts";
import type { Address } from "../harness/process.ts";
import { describe, hasIpv6Loopback, Peer, resetConnection, uniqueSocketPath } from "../harness/socket.ts";
import { assertAlive, removeLater, runClient, startServer, tcpAddress } from "../harness/programs.ts";
import { clientRefused, portInUse } from "./common.ts";
import { DribbleServer } from "../harness/peers.ts";
import { unixFlags, unixRead, unixServe } from "../harness/unix_peer.ts";

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
      await Promise.all(peers.map((peer) => peer.waitForEof(10_000)));
      const problems: Bilingual[] = [];
      for (const [i, peer] of peers.entries()) {
        try {
          if (!peer.eof) throw new CheckFailure({ en: "no EOF within 10 s", ru: "нет EOF в течение 10 с" });
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
  portInUse(),
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
        { message: new TextEncoder().encode(`${line}\n`), chunk: 1, pauseMs: 40 },
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

/** Known mistakes, each patched into a copy of the reference; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "no-newline",
    mistake: "the server sends the time without the final newline",
    file: "server.ts",
    patch: [['encoder.encode(timestamp(new Date()) + "\\n")', "encoder.encode(timestamp(new Date()))"]],
    rejectedBy: "time-line",
    message: /without ending the line with "\\n"/,
  },
  {
    id: "never-closes",
    mistake: "the server never closes the connection",
    file: "server.ts",
    patch: [["      conn.close();\n    } catch { /* already closed */ }", "    } catch { /* forgot to close */ }"]],
    rejectedBy: "closes",
    message: /did not close the connection/,
  },
  {
    id: "reads-first",
    mistake: "the server waits to read from the client before answering",
    file: "server.ts",
    patch: [[
      "    log(`Client ${peer} connected`);\n",
      "    log(`Client ${peer} connected`);\n    await conn.read(new Uint8Array(1024));\n",
    ]],
    rejectedBy: "time-line",
    message: /answered only after the client sent something/,
  },
  {
    id: "silent",
    mistake: "the server never announces its address",
    file: "server.ts",
    patch: [["  options.log(`listening on ${formatAddr(listener.addr)}`);\n", ""]],
    rejectedBy: "announces-address",
    message: /the server did not print its first line, 'listening on HOST:PORT' within 8 s/,
  },
  {
    id: "client-reads-once",
    mistake: "the client calls read() once and prints what came",
    file: "client.ts",
    patch: [["n !== null; n = await conn.read(buffer)) {", "n !== null; n = null) {"]],
    rejectedBy: "client-reads-all",
    message: /stopped after the first read/,
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
    rejectedBy: "survives-reset",
    message: /server exited \(code 1\) after 50 clients connected and reset/,
  },
];

/** Lesson 1 as the grader knows it. */
export const lesson: Lesson = {
  number: 1,
  slug: "01-time-server",
  title: { en: "TCP time server", ru: "TCP-сервер времени" },
  checks,
  variants,
};
