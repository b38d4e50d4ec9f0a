/**
 * What lesson 1's checks share: judging a time line, fetching one from the
 * learner's server, the grader's own small servers for the client's checks,
 * and the figures they allow.
 *
 * @module
 */
import type { Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import type { Address, LearnerProcess } from "../../harness/process.ts";
import { Peer } from "../../harness/socket.ts";
import { sleep } from "../../harness/deadline.ts";

/** How far the server's clock may be from the grader's. */
const CLOCK_SLACK_MS = 2000;
/** How long a client may wait for the time line. */
export const ANSWER_MS = 2000;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NEWLINE = 0x0a;
/** The sender judged by {@linkcode judgeTimeLine}, as the subject of a sentence. */
export const SERVER: Bilingual = { en: "the server", ru: "сервер" };

/**
 * When a client asked for the time and when its line arrived, by the grader's
 * clock (ms since 1970). The server runs on the same machine and reads the same
 * clock, so the moment its line names must lie between the two.
 */
export interface Asked {
  /** Just before the client connected. */
  from: number;
  /** Once the line had arrived. */
  to: number;
}

/**
 * Judges what one client received: exactly one ISO 8601 line with a UTC
 * offset or Z, close to the grader's clock, ending in one "\n". Given when
 * the client `asked`, the moment the line names must also fall between its
 * connect and the line's arrival, give or take one unit of the line's last
 * digit (a line in whole seconds may be up to a second early).
 */
export function judgeTimeLine(data: Uint8Array, eof: boolean, source: Bilingual, asked?: Asked): void {
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
  // Far off is said in seconds, from the grader's clock now or, when known, from when the client asked.
  const moment = Date.parse(line);
  const reference = asked ? Math.min(Math.max(moment, asked.from), asked.to) : Date.now();
  const skew = Math.abs(moment - reference);
  if (!(skew <= CLOCK_SLACK_MS)) {
    const now = new Date(reference).toISOString();
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
  if (asked) judgeMoment(moment, match[7] ?? "", asked, data);
}

/** How far outside its window a moment may be: two clocks read by two processes may tick a little apart. */
const MOMENT_SLACK_MS = 20;

/**
 * Fails unless `moment` lies within `asked`, widened by one unit of the line's
 * precision (`.123`: 1 ms; none: 1 s) and {@linkcode MOMENT_SLACK_MS}.
 */
function judgeMoment(moment: number, fraction: string, asked: Asked, data: Uint8Array): void {
  const unit = 1000 / 10 ** Math.min(Math.max(fraction.length - 1, 0), 3) + MOMENT_SLACK_MS;
  const window = `${new Date(asked.from).toISOString()} … ${new Date(asked.to).toISOString()}`;
  if (moment < asked.from - unit) {
    const early = Math.round(asked.from - moment);
    throw new CheckFailure({
      en:
        `the time names a moment ${early} ms before this client connected: the time is not read when each client is served`,
      ru:
        `время называет момент за ${early} мс до того, как этот клиент подключился: время читается не тогда, когда обслуживается клиент`,
    }, {
      expected: {
        en: `a moment between the connect and the answer: ${window}`,
        ru: `момент между подключением и ответом: ${window}`,
      },
      actual: visible(data),
    });
  }
  if (moment > asked.to + unit) {
    const late = Math.round(moment - asked.to);
    throw new CheckFailure({
      en:
        `the time names a moment ${late} ms after the line arrived: are the milliseconds written as three digits? (.005 is 5 ms, .5 is 500 ms)`,
      ru:
        `время называет момент через ${late} мс после того, как строка пришла: миллисекунды записаны тремя цифрами? (.005 — это 5 мс, .5 — 500 мс)`,
    }, {
      expected: {
        en: `a moment between the connect and the answer: ${window}`,
        ru: `момент между подключением и ответом: ${window}`,
      },
      actual: visible(data),
    });
  }
}

/** Connects, asks nothing, and judges the answer; returns the peer for more checks. */
export async function fetchTimeLine(trial: Trial, address: Address, label = "grader"): Promise<Peer> {
  const from = Date.now();
  const peer = await Peer.connect(address, trial.transcript, label);
  trial.defer(peer);
  const gotLine = await peer.readUntil((data) => data.includes(NEWLINE), ANSWER_MS);
  const to = Date.now();
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
  judgeTimeLine(peer.received, peer.eof, SERVER, { from, to });
  return peer;
}

/**
 * Two time zones far from UTC whose offsets are not whole hours, one east and
 * one west, so that local time labelled "Z", an offset with its sign reversed,
 * with its minutes dropped or rounded, or west of UTC off by an hour all name
 * the wrong moment; and of the two, one is before 10 in the morning now, so an
 * hour written with one digit shows too. (Asia/Kathmandu is before 10 from
 * 18:15 to 04:15 UTC, America/St_Johns from 03:30 (02:30 in summer) to
 * 13:30 (12:30), Pacific/Marquesas from 09:30 to 19:30.)
 */
export function zones(now = new Date()): { TZ: string; offset: string }[] {
  const hour = (TZ: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", hourCycle: "h23" }).format(now));
  const offset = (TZ: string) =>
    new Intl.DateTimeFormat("en", { timeZone: TZ, timeZoneName: "longOffset" }).formatToParts(now)
      .find((part) => part.type === "timeZoneName")!.value.replace("GMT", "UTC");
  const west = hour("America/St_Johns") < 10 ? "America/St_Johns" : "Pacific/Marquesas";
  return ["Asia/Kathmandu", west].map((TZ) => ({ TZ, offset: offset(TZ) }));
}
/** How many clients {@linkcode SPREAD_MS} apart ask the time over a second, so that they meet every tenth of it. */
export const SPREAD_CLIENTS = 20;
/** How far apart they start: under 100 ms, and (SPREAD_CLIENTS - 1) × SPREAD_MS over a second. */
export const SPREAD_MS = 55;
/** The backlog the grader asks for when it counts the queue of a stopped server. */
export const SMALL_BACKLOG = 3;

/**
 * Whether the server let go of a connection it ended: a socket it closed
 * answers bytes sent after its EOF with a reset (RST), so a later write fails;
 * a socket it only half-closed (closeWrite) takes them in silence. Probes for
 * up to {@linkcode ANSWER_MS}.
 */
export async function released(peer: Peer): Promise<boolean> {
  const probe = new TextEncoder().encode("\n");
  const deadline = performance.now() + ANSWER_MS;
  while (performance.now() < deadline) {
    try {
      await peer.write(probe, 500);
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

/**
 * Plays a server that sends `text` and then closes, to one client; resolves
 * with the grader's listener address and a promise of the moment it closed.
 */
export function closingServer(trial: Trial, text: string, hostname = "127.0.0.1") {
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
export async function readAll(conn: Deno.Conn, ms: number): Promise<{ data: Uint8Array; eof: boolean }> {
  const pieces: number[] = [];
  const buffer = new Uint8Array(256);
  const timer = setTimeout(() => conn.close(), ms);
  try {
    for (let got = await conn.read(buffer); got !== null; got = await conn.read(buffer)) {
      pieces.push(...buffer.subarray(0, got));
    }
    return { data: Uint8Array.from(pieces), eof: true };
  } catch {
    return { data: Uint8Array.from(pieces), eof: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Fails unless the client printed exactly `text` (as lines) and exited 0. */
export function assertPrinted(client: LearnerProcess, status: Deno.CommandStatus, text: string, what: Bilingual): void {
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
