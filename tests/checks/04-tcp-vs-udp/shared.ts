/**
 * What lesson 4's checks share: starting the learner's programs against the
 * grader's peers, reading the figures the programs print, and the model
 * that says what those figures must be, given what the grader's peer did.
 *
 * The pinger and the bulk sender print their figures through given printers
 * (`printSummary`, `runBulk`), whose words the lesson text fixes; the grader
 * reads only those lines, the per-reply lines whose words TODOs 1 and 2 of
 * ping.ts fix, and numbers.
 *
 * @module
 */
import type { Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { startServer, tcpAddress } from "../../harness/programs.ts";

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/**
 * How much a round trip may exceed what the grader's peer held it for: the
 * way there and back on loopback, and the pinger's and the grader's event
 * loops, on a loaded machine. Loopback itself adds well under a millisecond;
 * the rest is scheduling, which on a busy 2-core machine can reach tens of
 * ms; with three graders at once on 2 cores (a load of 18) 350 ms was seen.
 * Every wrong figure the checks are built to catch is off by 600 ms or more.
 */
export const SLACK_MS = 400;

/** `n` bytes in Russian, the noun agreeing with the number: 1 байт, 2 байта, 5 байтов. */
export function bytesRu(n: number): string {
  const tens = n % 100;
  const units = n % 10;
  const noun = tens >= 11 && tens <= 14
    ? "байтов"
    : units === 1
    ? "байт"
    : units >= 2 && units <= 4
    ? "байта"
    : "байтов";
  return `${n} ${noun}`;
}

/** `n` probes in Russian: 1 проба, 2 пробы, 5 проб. */
export function probesRu(n: number): string {
  const tens = n % 100;
  const units = n % 10;
  const noun = tens >= 11 && tens <= 14 ? "проб" : units === 1 ? "проба" : units >= 2 && units <= 4 ? "пробы" : "проб";
  return `${n} ${noun}`;
}

/** Random bytes, `size` of them. */
export function noise(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/** A datagram `size` bytes long whose first 4 bytes say `seq` (random after them). */
export function numbered(seq: number, size: number): Uint8Array {
  const data = noise(Math.max(size, 4));
  new DataView(data.buffer).setUint32(0, seq);
  return data.subarray(0, size);
}

/**
 * Waits for every one of `work` to end, then fails with the first failure,
 * if any: a branch that failed early must not leave the others running past
 * the check (they hold sockets and timers).
 */
export async function allOf<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(work as readonly Promise<unknown>[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Starts the learner's echo server on 127.0.0.1 (or `host`); returns it and its port (TCP and UDP). */
export async function startEcho(trial: Trial, host = "127.0.0.1"): Promise<{ server: LearnerProcess; port: number }> {
  const { server, address } = await startServer(trial, { args: ["--host", host, "--port", "0"] });
  return { server, port: tcpAddress(address).port };
}

/** Waits up to `ms` for a line of the server's log after its first two that holds `number` as a whole number. */
export async function logNames(server: LearnerProcess, number: number, ms: number): Promise<boolean> {
  const pattern = new RegExp(`(^|\\D)${number}(\\D|$)`);
  try {
    await server.waitFor(() => server.stdout.slice(2).find((line) => pattern.test(line)), ms, {
      en: `a log line with ${number}`,
      ru: `строку лога с числом ${number}`,
    });
    return true;
  } catch {
    return false;
  }
}

/** The last `n` lines a program printed, for a failure's "actual". */
export function lastLines(program: LearnerProcess, n = 3): string {
  const lines = program.stdout.slice(-n).join("\n");
  return lines ? visible(lines) : "(none)";
}

/** Fails unless `program` exited with code 0 within `ms`; returns when it exited (the grader's clock). */
export async function exitsCleanly(
  program: LearnerProcess,
  ms: number,
  what: Bilingual,
  expected: Bilingual,
): Promise<number> {
  const status = await program.exitWithin(ms);
  const at = performance.now();
  if (!status) {
    throw new CheckFailure({
      en: `the ${program.label} was still running ${ms / 1000} s after ${what.en}`,
      ru: `программа ${program.label} всё ещё работала через ${ms / 1000} с после того, как ${what.ru}`,
    }, {
      expected,
      actual: { en: `last output: ${lastLines(program)}`, ru: `последний вывод: ${lastLines(program)}` },
    });
  }
  if (status.code !== 0) {
    const stderr = program.stderr.join("\n");
    throw new CheckFailure({
      en: `the ${program.label} exited with code ${status.code} (${what.en})`,
      ru: `программа ${program.label} завершилась с кодом ${status.code} (${what.ru})`,
    }, {
      expected: { en: "exit code 0", ru: "код выхода 0" },
      actual: stderr ? visible(stderr) : { en: visible("(nothing on stderr)"), ru: visible("(в stderr пусто)") },
    });
  }
  return at;
}

// ---------------------------------------------------------------------------------------------------------------
// The pinger: what it must print, given what the grader's echo did.

/** A run of the pinger: its flags. */
export interface PingRun {
  count: number;
  interval: number;
  timeout: number;
  size: number;
}

/** What the echo did: when each probe came, and each answer in the order it left (carrying which number, when). */
export interface EchoRecord {
  /** First arrival of each probe, by number. */
  probes: Map<number, number>;
  /** When each probe was sent, on the grader's clock, where that is known better than by its arrival. */
  sent?: Map<number, number>;
  /** Answers in the order they left: the number each carried, and when (the grader's clock). */
  answers: { number: number; at: number }[];
}

/** What the pinger must report, by the rules of the lesson text, for what the echo did. */
export interface PingExpected {
  /** Probes answered before their deadline, in the order their answers came. */
  answered: number[];
  /** For each answered probe, how long the echo held it: the least its round trip can be. */
  held: Map<number, number>;
  /** Probes lost, in order. */
  lost: number[];
  duplicates: number;
  outOfOrder: number;
  late: number;
  /** When the run was over: every probe answered or past its deadline (the grader's clock). */
  end: number;
  /**
   * Duplicates and late replies that left the echo just after the end, within
   * {@linkcode END_GRACE_MS}: a pinger closes its socket a moment after the
   * last probe is settled, so on a busy machine it may still hear them.
   */
  justAfter: { duplicates: number; late: number };
}

/** How long after the end of a run a reply may still be heard (the pinger's own closing takes a moment). */
export const END_GRACE_MS = 250;

/**
 * The lesson's rules, applied to what the echo did: a probe's deadline is its
 * send time (here: when it reached the echo) plus --timeout; the first answer
 * before it answers the probe, and counts out of order when its number is
 * below the highest answered so far; a later answer to an answered probe is a
 * duplicate; an answer to a lost probe is late; an unknown number is ignored;
 * the run is over when every probe is answered or lost, and what comes after
 * is not heard.
 */
export function expectPing(record: EchoRecord, run: PingRun): PingExpected {
  type Event = { at: number; kind: "answer" | "deadline"; seq: number };
  const events: Event[] = [
    ...record.answers.map((a) => ({ at: a.at, kind: "answer" as const, seq: a.number })),
    ...[...record.probes].map(([seq, at]) => ({ at: at + run.timeout, kind: "deadline" as const, seq })),
  ];
  // Stable: answers keep their order; at the same instant an answer comes before a deadline.
  events.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === "answer" ? -1 : 1));
  const state = new Map<number, "waiting" | "answered" | "lost">();
  for (const seq of record.probes.keys()) state.set(seq, "waiting");
  const expected: PingExpected = {
    answered: [],
    held: new Map(),
    lost: [],
    duplicates: 0,
    outOfOrder: 0,
    late: 0,
    end: Infinity,
    justAfter: { duplicates: 0, late: 0 },
  };
  let highest = 0;
  let settled = 0;
  for (const event of events) {
    if (settled === run.count) {
      // Only a reply to a settled probe can come after the end: a duplicate or a late one.
      if (event.at > expected.end + END_GRACE_MS) break;
      const was = state.get(event.seq);
      if (event.kind === "answer" && was === "answered") expected.justAfter.duplicates++;
      if (event.kind === "answer" && was === "lost") expected.justAfter.late++;
      continue;
    }
    const now = state.get(event.seq);
    if (now === undefined) continue;
    if (event.kind === "deadline") {
      if (now === "waiting") {
        state.set(event.seq, "lost");
        if (++settled === run.count) expected.end = event.at;
      }
      continue;
    }
    if (now === "answered") expected.duplicates++;
    else if (now === "lost") expected.late++;
    else {
      state.set(event.seq, "answered");
      expected.answered.push(event.seq);
      expected.held.set(event.seq, event.at - record.probes.get(event.seq)!);
      if (event.seq < highest) expected.outOfOrder++;
      highest = Math.max(highest, event.seq);
      if (++settled === run.count) expected.end = event.at;
    }
  }
  expected.lost = [...state].filter(([, s]) => s === "lost").map(([seq]) => seq).sort((a, b) => a - b);
  return expected;
}

const SUMMARY =
  /^(\d+) sent, (\d+) received, (\d+) lost \(([\d.]+)%\), (\d+) duplicates, (\d+) out of order, (\d+) late$/;
const RTT = /^rtt min\/avg\/p50\/p99\/max = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms$/;
const REPLY = /^seq=(\d+) bytes=(\d+) time=([\d.]+) ms\b/;
const TIMEOUT = /^seq=(\d+) timeout\b/;

/** The figures of the pinger's summary, as printed. */
interface PingPrinted {
  sent: number;
  received: number;
  lost: number;
  percent: number;
  duplicates: number;
  outOfOrder: number;
  late: number;
  lostList: string;
  rtt?: number[];
}

function printedSummary(program: LearnerProcess): PingPrinted {
  const line = program.stdout.find((l) => SUMMARY.test(l));
  const lost = program.stdout.find((l) => l.startsWith("lost: "));
  if (!line || !lost) {
    throw new CheckFailure({ en: "the pinger printed no summary", ru: "пингер не напечатал итог" }, {
      expected: {
        en: '"N sent, N received, N lost (P%), N duplicates, N out of order, N late" and "lost: …" (printSummary)',
        ru: '"N sent, N received, N lost (P%), N duplicates, N out of order, N late" и "lost: …" (printSummary)',
      },
      actual: { en: `last output: ${lastLines(program, 4)}`, ru: `последний вывод: ${lastLines(program, 4)}` },
    });
  }
  const m = line.match(SUMMARY)!;
  const rtt = program.stdout.find((l) => RTT.test(l))?.match(RTT)?.slice(1).map(Number);
  return {
    sent: Number(m[1]),
    received: Number(m[2]),
    lost: Number(m[3]),
    percent: Number(m[4]),
    duplicates: Number(m[5]),
    outOfOrder: Number(m[6]),
    late: Number(m[7]),
    lostList: lost.slice(6),
    rtt,
  };
}

/** How a figure is named in messages, and the rule that decides it. */
const FIGURES = {
  sent: {
    en: ["sent", "sent is the number of probes that went out (--count)"],
    ru: ["отправленные пробы", "sent — это число отправленных проб (--count)"],
  },
  received: {
    en: [
      "received",
      "received counts the probes answered before their deadline, each once: a duplicate or a late reply adds nothing",
    ],
    ru: [
      "полученные ответы",
      "received — это пробы, ответ на которые пришёл до их крайнего срока, каждая один раз: дубликат и опоздавший ответ к ним ничего не добавляют",
    ],
  },
  lost: {
    en: [
      "lost",
      "a probe with no reply by its own deadline (its send time plus --timeout) is lost, even if one comes later",
    ],
    ru: [
      "потерянные пробы",
      "проба без ответа к её собственному крайнему сроку (время отправки плюс --timeout) потеряна, даже если ответ придёт позже",
    ],
  },
  duplicates: {
    en: [
      "duplicates",
      "a second reply to a probe already answered is a duplicate; every reply to a probe already lost, the second too, is late",
    ],
    ru: [
      "дубликаты",
      "второй ответ на пробу, которая уже получила ответ, — дубликат; каждый ответ на уже потерянную пробу, и второй тоже, — опоздание",
    ],
  },
  outOfOrder: {
    en: [
      "out of order",
      "a reply whose number is below the highest number answered so far came out of order (a duplicate or a late reply answers nothing, so it is not one)",
    ],
    ru: [
      "ответы не по порядку",
      "ответ с номером меньше наибольшего из уже отвеченных пришёл не по порядку (дубликат и опоздавший ответ ни на что не отвечают, так что они не в счёт)",
    ],
  },
  late: {
    en: ["late", "a reply after its probe's deadline is late, and the probe stays lost"],
    ru: ["опоздавшие ответы", "ответ после крайнего срока своей пробы опоздал, и проба остаётся потерянной"],
  },
} as const;

/**
 * Compares everything the pinger printed with what the lesson's rules say
 * about what the echo did: the counts, the loss as a share of the probes
 * sent, the lost probes by number, the round-trip figures against the time
 * the echo held each reply, and a line per answered and per lost probe.
 */
export function judgePing(
  program: LearnerProcess,
  record: EchoRecord,
  run: PingRun,
  did: Bilingual,
  { slack = SLACK_MS }: { slack?: number } = {},
): PingExpected {
  const want = expectPing(record, run);
  const got = printedSummary(program);
  const wanted = {
    sent: run.count,
    received: want.answered.length,
    lost: want.lost.length,
    duplicates: want.duplicates,
    outOfOrder: want.outOfOrder,
    late: want.late,
  };
  const expectedLine = `${wanted.sent} sent, ${wanted.received} received, ${wanted.lost} lost (${
    (wanted.lost / run.count * 100).toFixed(1)
  }%), ${wanted.duplicates} duplicates, ${wanted.outOfOrder} out of order, ${wanted.late} late`;
  const actualLine = program.stdout.find((l) => SUMMARY.test(l))!;
  for (const key of Object.keys(wanted) as (keyof typeof wanted)[]) {
    if (got[key] === wanted[key]) continue;
    // A reply that left just after the end may or may not have been heard.
    if (
      (key === "duplicates" || key === "late") && got[key] > wanted[key] &&
      got[key] <= wanted[key] + want.justAfter[key]
    ) {
      continue;
    }
    const [name, rule] = FIGURES[key].en;
    const [nameRu, ruleRu] = FIGURES[key].ru;
    throw new CheckFailure({
      en: `the pinger counted ${name} wrong: ${got[key]}, but ${wanted[key]} (${did.en}): ${rule}`,
      ru: `пингер неверно посчитал ${nameRu}: ${got[key]}, а должно быть ${wanted[key]} (${did.ru}): ${ruleRu}`,
    }, { expected: expectedLine, actual: actualLine });
  }
  const percent = wanted.lost / run.count * 100;
  if (Math.abs(got.percent - percent) > 0.05 && got.percent === Math.round(percent)) {
    throw new CheckFailure({
      en: `the pinger's loss is ${got.percent.toFixed(1)}%, but ${wanted.lost} of ${run.count} is ${
        percent.toFixed(1)
      }%: lossPercent is rounded to a whole number; keep lost / sent × 100 as it is (printSummary shows one decimal)`,
      ru: `пингер показывает потери ${got.percent.toFixed(1)}%, но ${wanted.lost} из ${run.count} — это ${
        percent.toFixed(1)
      }%: lossPercent округлён до целого; оставьте lost / sent × 100 как есть (printSummary покажет один знак после запятой)`,
    }, { expected: `${percent.toFixed(1)}%`, actual: `${got.percent.toFixed(1)}%` });
  }
  if (Math.abs(got.percent - percent) > 0.05) {
    throw new CheckFailure({
      en: `the pinger's loss is ${got.percent}%, but ${wanted.lost} of ${run.count} is ${
        percent.toFixed(1)
      }%: loss is a share of the probes sent`,
      ru: `пингер показывает потери ${got.percent}%, но ${wanted.lost} из ${run.count} — это ${
        percent.toFixed(1)
      }%: потери считаются как доля отправленных проб`,
    }, { expected: `${percent.toFixed(1)}%`, actual: `${got.percent}%` });
  }
  const lostList = want.lost.length ? want.lost.join(", ") : "none";
  if (got.lostList !== lostList) {
    throw new CheckFailure({
      en:
        `the pinger named the wrong probes as lost (${did.en}): name each probe that had no reply by its deadline, in order`,
      ru:
        `пингер назвал потерянными не те пробы (${did.ru}): назовите по порядку каждую пробу, не получившую ответа к своему сроку`,
    }, { expected: visible(`lost: ${lostList}`), actual: visible(`lost: ${got.lostList}`) });
  }
  judgeRtt(program, got.rtt, want, did, slack);
  judgeReplyLines(program, want, run, did, slack);
  judgeTimeoutOrder(program, record, want, run, did);
  return want;
}

/** The round-trip figures against how long the echo held the replies that count. */
function judgeRtt(
  program: LearnerProcess,
  rtt: number[] | undefined,
  want: PingExpected,
  did: Bilingual,
  slack: number,
): void {
  const held = [...want.held.values()].sort((a, b) => a - b);
  if (held.length === 0) {
    if (rtt && rtt.some((value) => Number.isFinite(value))) {
      throw new CheckFailure({
        en: "the pinger printed round-trip times though no probe was answered: with no replies there are none",
        ru: "пингер напечатал время туда и обратно, хотя ни одна проба не получила ответа: без ответов его нет",
      }, {
        expected: { en: "no rtt line", ru: "нет строки rtt" },
        actual: visible(program.stdout.find((l) => RTT.test(l)) ?? ""),
      });
    }
    return;
  }
  if (!rtt) {
    throw new CheckFailure({
      en: "the pinger printed no round-trip times",
      ru: "пингер не напечатал время туда и обратно",
    }, { expected: '"rtt min/avg/p50/p99/max = …"', actual: lastLines(program, 4) });
  }
  const at = (p: number) => held[Math.min(held.length - 1, Math.floor(held.length * p))];
  const least = [held[0], held.reduce((s, v) => s + v, 0) / held.length, at(0.5), at(0.99), held.at(-1)!];
  const names = ["min", "avg", "p50", "p99", "max"];
  for (const [i, value] of rtt.entries()) {
    const low = least[i] - 0.5;
    const high = least[i] + slack;
    const shown = `${low < 0 ? 0 : low.toFixed(1)} to ${Number.isFinite(high) ? `${high.toFixed(1)} ms` : "any"}`;
    if (value < low) {
      throw new CheckFailure({
        en: `the pinger's rtt ${names[i]} is ${value} ms, less than the ${
          least[i].toFixed(1)
        } ms the grader's echo itself held those replies (${did.en}): time each reply from its own probe's send, in milliseconds`,
        ru: `rtt ${names[i]} у пингера ${value} мс — меньше тех ${
          least[i].toFixed(1)
        } мс, на которые эхо проверки само задержало эти ответы (${did.ru}): засекайте каждый ответ от отправки его собственной пробы, в миллисекундах`,
      }, { expected: shown, actual: `${value} ms` });
    }
    if (value > high) {
      throw new CheckFailure({
        en: `the pinger's rtt ${names[i]} is ${value} ms, but the grader's echo held the replies that count ${
          least[i].toFixed(1)
        } ms, and the way there and back adds far less than ${SLACK_MS} ms (${did.en}): a duplicate's or a late reply's time is not a round trip, and each reply is timed from its own probe`,
        ru: `rtt ${names[i]} у пингера ${value} мс, а эхо проверки задержало засчитанные ответы на ${
          least[i].toFixed(1)
        } мс, и путь туда и обратно добавляет намного меньше ${SLACK_MS} мс (${did.ru}): время дубликата или опоздавшего ответа — не время пути, и каждый ответ засекается от его собственной пробы`,
      }, { expected: shown, actual: `${value} ms` });
    }
  }
}

/**
 * How far apart a deadline and an answer must be before the order of their
 * lines is judged: a timer on a loaded machine may fire late, though not by
 * this much while the grader's own answers still go out in time.
 */
const ORDER_MARGIN_MS = 250;

/**
 * Each `seq=N timeout` line is printed when N's deadline passes: before the
 * `seq=M bytes=…` line of a reply that came well after that deadline, not
 * gathered at the end.
 */
function judgeTimeoutOrder(
  program: LearnerProcess,
  record: EchoRecord,
  want: PingExpected,
  run: PingRun,
  did: Bilingual,
): void {
  const lineOf = (pattern: RegExp, seq: number) => program.stdout.findIndex((l) => l.match(pattern)?.[1] === `${seq}`);
  for (const lost of want.lost) {
    // Never earlier than the real deadline: a send time is never taken before the real send.
    const deadline = (record.sent?.get(lost) ?? record.probes.get(lost)!) + run.timeout;
    const timeoutLine = lineOf(TIMEOUT, lost);
    for (const [seq, held] of want.held) {
      // When the first answer really left (a busy grader sends it later than its script says, never earlier).
      const answered = Math.max(
        record.probes.get(seq)! + held,
        record.answers.find((a) => a.number === seq)?.at ?? -Infinity,
      );
      const replyLine = lineOf(REPLY, seq);
      if (answered - deadline < ORDER_MARGIN_MS || replyLine < 0 || timeoutLine < replyLine) continue;
      throw new CheckFailure({
        en:
          `the pinger printed "seq=${lost} timeout" after the reply line of probe ${seq}, though probe ${lost}'s deadline passed ${
            Math.round(answered - deadline)
          } ms before that reply came (${did.en}): print a probe's timeout line when its deadline passes (in expire()), not at the end`,
        ru:
          `пингер напечатал "seq=${lost} timeout" после строки ответа на пробу ${seq}, хотя срок пробы ${lost} прошёл за ${
            Math.round(answered - deadline)
          } мс до этого ответа (${did.ru}): печатайте строку timeout пробы, когда проходит её срок (в expire()), а не в конце`,
      }, {
        expected: {
          en: `seq=${lost} timeout, then seq=${seq} bytes=…`,
          ru: `seq=${lost} timeout, затем seq=${seq} bytes=…`,
        },
        actual: visible(program.stdout[replyLine] + "\n…\n" + program.stdout[timeoutLine]),
      });
    }
  }
}

/** One `seq=N bytes=B time=T ms` line per answered probe, with its own time, and one `seq=N timeout` per lost one. */
function judgeReplyLines(
  program: LearnerProcess,
  want: PingExpected,
  run: PingRun,
  did: Bilingual,
  slack: number,
): void {
  const times = new Map<number, number[]>();
  for (const line of program.stdout) {
    const m = line.match(REPLY);
    if (!m) continue;
    const seq = Number(m[1]);
    if (Number(m[2]) !== run.size) {
      throw new CheckFailure({
        en: `the pinger says the reply to probe ${seq} had ${
          m[2]
        } bytes, but every reply the grader's echo sent had ${run.size} (--size): receive whole datagrams, and print the reply's length`,
        ru: `пингер пишет, что в ответе на пробу ${seq} было ${
          bytesRu(Number(m[2]))
        }, а каждый ответ эха проверки был размером ${
          bytesRu(run.size)
        } (--size): принимайте датаграммы целиком и печатайте длину ответа`,
      }, { expected: `seq=${seq} bytes=${run.size} time=…`, actual: visible(line) });
    }
    times.set(seq, [...(times.get(seq) ?? []), Number(m[3])]);
  }
  for (const [seq, list] of times) {
    if (!want.held.has(seq) || list.length > 1) {
      throw new CheckFailure({
        en: `the pinger printed ${list.length} "seq=${seq} … time=" line(s), but probe ${seq} ${
          want.held.has(seq) ? "was answered once" : "was not answered before its deadline"
        } (${did.en}): print a round trip only for the first reply that answers a probe`,
        ru: `пингер напечатал строк "seq=${seq} … time=": ${list.length}, а проба ${seq} ${
          want.held.has(seq) ? "получила ответ один раз" : "не получила ответа до своего срока"
        } (${did.ru}): время пути печатается только для первого ответа, отвечающего на пробу`,
      }, {
        expected: want.held.has(seq) ? `one line seq=${seq} bytes=… time=…` : `no seq=${seq} … time= line`,
        actual: `${list.length}`,
      });
    }
  }
  for (const [seq, held] of want.held) {
    const list = times.get(seq);
    if (!list) {
      throw new CheckFailure({
        en:
          `the pinger printed no "seq=${seq} bytes=${run.size} time=T ms" line for probe ${seq}, which was answered (${did.en})`,
        ru:
          `пингер не напечатал строку "seq=${seq} bytes=${run.size} time=T ms" для пробы ${seq}, а ответ на неё был (${did.ru})`,
      }, { expected: `seq=${seq} bytes=${run.size} time=…`, actual: lastLines(program, 4) });
    }
    const [time] = list;
    if (time < held - 0.5 || time > held + slack) {
      throw new CheckFailure({
        en: `the pinger says probe ${seq}'s round trip took ${time} ms, but the grader's echo held that reply ${
          held.toFixed(1)
        } ms, and the way adds far less than ${SLACK_MS} ms: time each reply from its own probe's send, in milliseconds`,
        ru: `пингер пишет, что путь пробы ${seq} занял ${time} мс, а эхо проверки задержало этот ответ на ${
          held.toFixed(1)
        } мс, и дорога добавляет намного меньше ${SLACK_MS} мс: засекайте каждый ответ от отправки его собственной пробы, в миллисекундах`,
      }, { expected: `${held.toFixed(1)} to ${(held + SLACK_MS).toFixed(1)} ms`, actual: `${time} ms` });
    }
  }
  const timedOut = program.stdout.map((l) => l.match(TIMEOUT)?.[1]).filter((s) => s !== undefined).map(Number);
  const wantOut = want.lost.join(", ");
  if (timedOut.slice().sort((a, b) => a - b).join(", ") !== wantOut) {
    throw new CheckFailure({
      en: `the pinger's "seq=N timeout" lines name probes ${
        timedOut.join(", ") || "(none)"
      }, but the probes past their deadline with no reply were ${
        wantOut || "none"
      } (${did.en}): one line per lost probe, when its deadline passes`,
      ru: `строки "seq=N timeout" у пингера называют пробы ${
        timedOut.join(", ") || "(никакие)"
      }, а без ответа к своему сроку остались ${
        wantOut || "никакие"
      } (${did.ru}): по строке на каждую потерянную пробу, когда проходит её срок`,
    }, { expected: wantOut || "(none)", actual: timedOut.join(", ") || "(none)" });
  }
}
