/**
 * Lesson 4's checks of the pinger, against the grader's own echoes: a UDP
 * echo that follows a script per probe (drop, answer twice, answer after N
 * ms, after its deadline, after a later probe's answer, a stray number), and
 * a TCP echo that cuts and glues its answers. Every figure the pinger prints
 * is compared with what the echo did (see shared.ts).
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { type Arrival, type Script, ScriptedEcho } from "../../harness/udp.ts";
import { FramedTcpEcho } from "../../harness/tcp_echo.ts";
import {
  allOf,
  bytesRu,
  type EchoRecord,
  expectPing,
  judgePing,
  lastLines,
  type PingExpected,
  type PingRun,
  probesRu,
} from "./shared.ts";

/** The pinger's flags for `run` against port `port` of `host`. */
function pingArgs(protocol: "udp" | "tcp", host: string, port: number, run: PingRun): string[] {
  return [
    "ping",
    `--${protocol}`,
    "--host",
    host,
    "--port",
    String(port),
    "--count",
    String(run.count),
    "--interval",
    String(run.interval),
    "--timeout",
    String(run.timeout),
    "--size",
    String(run.size),
  ];
}

/** Fails unless the echo got probes numbered 1 to --count, each once, each --size bytes. */
function judgeProbes(numbers: number[], sizes: number[], run: PingRun, where: string): void {
  if (numbers.length === 0) {
    throw new CheckFailure({
      en: `no probe reached the grader's echo at ${where}: send each probe to --host and --port`,
      ru: `ни одна проба не дошла до эха проверки на ${where}: отправляйте каждую пробу на --host и --port`,
    }, {
      expected: { en: `${run.count} probes`, ru: probesRu(run.count) },
      actual: { en: "none", ru: "ни одной" },
    });
  }
  const want = Array.from({ length: run.count }, (_, i) => i + 1);
  if (numbers.join(",") !== want.join(",")) {
    throw new CheckFailure({
      en: `the grader's echo got ${numbers.length} probe(s) numbered ${numbers.slice(0, 12).join(", ")}${
        numbers.length > 12 ? ", …" : ""
      }, not 1 to ${run.count}: send --count probes, numbered from 1, each once`,
      ru: `эхо проверки получило ${probesRu(numbers.length)} с номерами ${numbers.slice(0, 12).join(", ")}${
        numbers.length > 12 ? ", …" : ""
      }, а не от 1 до ${run.count}: отправьте --count проб с номерами от 1, каждую один раз`,
    }, { expected: want.join(", "), actual: numbers.join(", ") });
  }
  const wrong = sizes.find((size) => size !== run.size);
  if (wrong !== undefined) {
    throw new CheckFailure({
      en: `a probe was ${wrong} bytes, not the ${run.size} asked for with --size`,
      ru: `проба была размером ${bytesRu(wrong)}, а не ${bytesRu(run.size)}, как просили через --size`,
    }, { expected: `${run.size}`, actual: `${wrong}` });
  }
}

/** What the scripted echo did, as the model of the pinger's figures takes it. */
function recordOf(echo: ScriptedEcho): EchoRecord {
  const first = echo.firstArrivals();
  return {
    probes: new Map([...first].map(([seq, a]) => [seq, a.at])),
    sent: sendTimes(first),
    answers: echo.answers.map((a) => ({ number: a.number, at: a.at })),
  };
}

/** How far the probes' own send times may stray from their arrivals, once on the grader's clock, and still be used. */
const STAMP_AGREES_MS = 200;

/**
 * When each probe left the pinger, on the grader's clock, as closely as can be
 * told: the send time it carries (bytes 4 to 12, ms on the pinger's clock)
 * moved onto the grader's clock by the smallest gap between a probe's send
 * time and its arrival, which is never earlier than the real send; or, when
 * those times do not agree with the arrivals (a pinger that sends no such time,
 * or seconds), the arrivals. A grader busy for a moment reads several probes
 * at once, late; their send times are not blurred by that.
 */
function sendTimes(first: Map<number, Arrival>): Map<number, number> {
  const arrivals = new Map([...first].map(([seq, a]) => [seq, a.at]));
  const all = [...first.values()];
  if (all.length === 0 || all.some((a) => !Number.isFinite(a.stamp))) return arrivals;
  const offset = Math.min(...all.map((a) => a.at - a.stamp));
  if (all.some((a) => a.at - a.stamp - offset > STAMP_AGREES_MS)) return arrivals;
  return new Map([...first].map(([seq, a]) => [seq, a.stamp + offset]));
}

/** What a UDP ping run gives a check: the program, the echo, and when the program exited (the grader's clock). */
interface PingOutcome {
  program: LearnerProcess;
  echo: ScriptedEcho;
  record: EchoRecord;
  exitedAt: number;
}

/**
 * Runs `ping --udp` against a scripted echo and waits for it to exit cleanly:
 * by the last probe's deadline, plus 6 s for starting and ending on a busy
 * machine.
 */
async function pingUdp(trial: Trial, script: Script, run: PingRun, host = "127.0.0.1"): Promise<PingOutcome> {
  const limit = (run.count - 1) * run.interval + run.timeout + 6000;
  const echo = new ScriptedEcho(script, trial.transcript, { host });
  trial.defer(echo);
  const program = trial.start("ping", pingArgs("udp", host, echo.port, run));
  const status = await program.exitWithin(limit);
  const exitedAt = performance.now();
  const where = host.includes(":") ? `[${host}]:${echo.port}` : `${host}:${echo.port}`;
  if (!status) {
    const distinct = new Set(echo.arrivals.map((a) => a.seq)).size;
    judgeProbes(echo.arrivals.map((a) => a.seq), echo.arrivals.map((a) => a.size), run, where);
    const want = expectPing(recordOf(echo), run);
    // Every probe answered, and still running: it waits for nothing. (With losses, the deadlines are the point.)
    if (Number.isFinite(want.end) && want.lost.length === 0) {
      endsPromptly({ program, echo, record: recordOf(echo), exitedAt: performance.now() }, want, run, {
        en: "it was still running",
        ru: "он всё ещё работал",
      });
    }
    const lastSent = Math.max(...echo.arrivals.map((a) => a.at));
    throw new CheckFailure({
      en: `the pinger was still running ${
        Math.round((performance.now() - lastSent - run.timeout) / 100) / 10
      } s after the last probe's deadline (${distinct} probes sent, --timeout ${run.timeout}): the run is over when every probe is answered or lost, at most --timeout after the last one was sent`,
      ru: `пингер всё ещё работал через ${
        Math.round((performance.now() - lastSent - run.timeout) / 100) / 10
      } с после крайнего срока последней пробы (отправлено проб: ${distinct}, --timeout ${run.timeout}): прогон окончен, когда каждая проба получила ответ или потеряна, — не позже чем через --timeout после отправки последней`,
    }, {
      expected: { en: "a summary, then exit", ru: "итог, затем завершение" },
      actual: { en: `last output: ${lastLines(program)}`, ru: `последний вывод: ${lastLines(program)}` },
    });
  }
  if (status.code !== 0) {
    throw new CheckFailure({
      en: `the pinger exited with code ${status.code}`,
      ru: `пингер завершился с кодом ${status.code}`,
    }, {
      expected: { en: "a summary and exit code 0", ru: "итог и код выхода 0" },
      actual: program.stderr.join("\n") || { en: "(nothing on stderr)", ru: "(в stderr пусто)" },
    });
  }
  judgeProbes(echo.arrivals.map((a) => a.seq), echo.arrivals.map((a) => a.size), run, where);
  // A pinger that stopped early misses answers the echo had still to send: those count as sent.
  await echo.quiet(Math.max(...echo.arrivals.map((a) => a.at)) + run.timeout + 20);
  return { program, echo, record: recordOf(echo), exitedAt };
}

/** Fails when the pinger ran on long after everything was settled. */
function endsPromptly(outcome: PingOutcome, want: PingExpected, run: PingRun, did: Bilingual): void {
  const over = outcome.exitedAt - want.end;
  if (over > 1000) {
    throw new CheckFailure({
      en: `the pinger ran on ${
        Math.round(over)
      } ms after every probe was answered or lost (${did.en}): the run is over then, not --timeout (${run.timeout} ms) later`,
      ru: `пингер работал ещё ${
        Math.round(over)
      } мс после того, как каждая проба получила ответ или потерялась (${did.ru}): прогон окончен в этот момент, а не через --timeout (${run.timeout} мс)`,
    }, {
      expected: {
        en: "exit within a second of the last reply",
        ru: "завершение в пределах секунды после последнего ответа",
      },
      actual: { en: `exit ${Math.round(over)} ms after it`, ru: `завершение через ${Math.round(over)} мс после него` },
    });
  }
}

export const pingChecks: Check[] = [
  {
    id: "ping-clean",
    title: {
      en:
        "ping --udp: six probes 30 ms apart, each answered after 250 to 300 ms: all received, in order, round trips as the echo held them, and the run ends at the last reply",
      ru:
        "ping --udp: шесть проб с шагом 30 мс, ответ на каждую через 250–300 мс: все получены, по порядку, время пути такое, как его задержало эхо, и прогон кончается с последним ответом",
    },
    hint: {
      en:
        "Send a probe every --interval ms without waiting for replies; match each reply by its number; time it from its own probe's send; end as soon as every probe is settled.",
      ru:
        "Отправляйте пробу каждые --interval мс, не дожидаясь ответов; сопоставляйте ответ по номеру; засекайте его от отправки его собственной пробы; заканчивайте, как только каждая проба решена.",
    },
    async run(trial) {
      const run = { count: 6, interval: 30, timeout: 1500, size: 100 };
      const did = {
        en: "the grader's echo answered probe N after 240 + 10·N ms, longer than the 30 ms between probes",
        ru: "эхо проверки отвечало на пробу N через 240 + 10·N мс, дольше 30 мс между пробами",
      };
      const outcome = await pingUdp(trial, (seq) => [{ delay: 240 + 10 * seq }], run);
      // The pace, by the pinger's own clock: each probe carries its send time in bytes 4 to 12.
      const stamps = outcome.echo.arrivals.map((a) => a.stamp);
      const span = stamps.at(-1)! - stamps[0];
      if (!stamps.every((stamp, i) => Number.isFinite(stamp) && stamp >= 1 && (i === 0 || stamp >= stamps[i - 1]))) {
        throw new CheckFailure({
          en: "the probes do not carry their send times, rising, in bytes 4 to 12 (a float64 of ms: encodeProbe)",
          ru: "пробы не несут в байтах с 4 по 12 своё время отправки по возрастанию (float64 в мс: encodeProbe)",
        }, { expected: { en: "rising send times", ru: "растущее время отправки" }, actual: stamps.join(", ") });
      }
      if (span < (run.count - 1) * (run.interval - 2)) {
        throw new CheckFailure({
          en: `by their own send times, all ${run.count} probes went out within ${
            span.toFixed(1)
          } ms: send one every --interval (${run.interval}) ms`,
          ru: `судя по их собственному времени отправки, все ${run.count} проб ушли за ${
            span.toFixed(1)
          } мс: отправляйте по одной каждые --interval (${run.interval}) мс`,
        }, { expected: `≥ ${(run.count - 1) * run.interval} ms`, actual: `${span.toFixed(1)} ms` });
      }
      // Late timers on a busy machine add up to tens of ms; waiting for the replies (250 ms and more each), or a
      // pause of another length, adds far more.
      const most = (run.count - 1) * run.interval + 400;
      if (span > most) {
        throw new CheckFailure({
          en: `by their own send times, the ${run.count} probes took ${span.toFixed(1)} ms to go out, not about ${
            (run.count - 1) * run.interval
          } (the echo held each reply 250 ms or more): send a probe every --interval (${run.interval}) ms, whether or not the replies are back`,
          ru: `судя по их собственному времени отправки, ${run.count} проб уходили ${span.toFixed(1)} мс, а не около ${
            (run.count - 1) * run.interval
          } (эхо держало каждый ответ 250 мс и дольше): отправляйте пробу каждые --interval (${run.interval}) мс, не дожидаясь ответов`,
        }, { expected: `~${(run.count - 1) * run.interval} ms`, actual: `${span.toFixed(1)} ms` });
      }
      const want = judgePing(outcome.program, outcome.record, run, did);
      endsPromptly(outcome, want, run, did);
    },
  },
  {
    id: "ping-loss",
    title: {
      en:
        "ping --udp: with probes 2 and 5 of 8 dropped, exactly those are lost, and loss is 25% of the probes sent; beside it, 2 probes of 65,507 bytes (the largest) both answered",
      ru:
        "ping --udp: когда выброшены пробы 2 и 5 из 8, потеряны ровно они, а потери — 25% от отправленных проб; рядом 2 пробы по 65 507 байтов (наибольшие), обе с ответом",
    },
    hint: {
      en:
        "Give each probe its own deadline: its send time plus --timeout. A probe with no reply by then is lost; name it, go on with the rest, and count loss against the probes sent. Receive whole datagrams, up to 65,507 bytes.",
      ru:
        "Дайте каждой пробе свой срок: время отправки плюс --timeout. Проба без ответа к этому сроку потеряна; назовите её, продолжайте с остальными и считайте потери от числа отправленных проб. Принимайте датаграммы целиком, до 65 507 байтов.",
    },
    async run(trial) {
      // Two largest probes 50 ms apart, as in the lesson text: more of them at once could overflow a socket's buffer.
      const large = { count: 2, interval: 50, timeout: 1000, size: 65_507 };
      const run = { count: 8, interval: 20, timeout: 400, size: 1400 };
      const [outcome, big] = await allOf([
        pingUdp(trial, (seq) => seq === 2 || seq === 5 ? [] : [{}], run),
        pingUdp(trial, () => [{}], large),
      ]);
      judgePing(outcome.program, outcome.record, run, {
        en: "the grader's echo dropped probes 2 and 5",
        ru: "эхо проверки выбросило пробы 2 и 5",
      });
      // Round trips of 64 KiB datagrams on a busy machine say little: here only their least is held to.
      judgePing(big.program, big.record, large, {
        en: "the grader's echo answered both probes of 65,507 bytes",
        ru: "эхо проверки ответило на обе пробы по 65 507 байтов",
      }, { slack: Infinity });
    },
  },
  {
    id: "ping-gives-up",
    title: {
      en:
        "ping --udp: with no reply at all, each probe is lost at its deadline, and the run ends --timeout after the last probe",
      ru:
        "ping --udp: когда ответов нет вовсе, каждая проба теряется в свой срок, а прогон кончается через --timeout после последней пробы",
    },
    hint: {
      en:
        "Never wait for a reply without a deadline: when every probe is answered or timed out, print the summary and stop.",
      ru:
        "Никогда не ждите ответа без срока: когда каждая проба получила ответ или истекла, напечатайте итог и остановитесь.",
    },
    async run(trial) {
      const run = { count: 3, interval: 50, timeout: 300, size: 64 };
      const did = { en: "the grader's echo answered no probe", ru: "эхо проверки не ответило ни на одну пробу" };
      const outcome = await pingUdp(trial, () => [], run);
      const want = judgePing(outcome.program, outcome.record, run, did);
      const lastDeadline = want.end;
      if (outcome.exitedAt < lastDeadline - run.timeout / 2) {
        throw new CheckFailure({
          en: `the pinger ended ${
            Math.round(lastDeadline - outcome.exitedAt)
          } ms before the last probe's deadline: a probe's deadline is its send time plus --timeout (${run.timeout} ms)`,
          ru: `пингер закончил за ${
            Math.round(lastDeadline - outcome.exitedAt)
          } мс до крайнего срока последней пробы: срок пробы — время её отправки плюс --timeout (${run.timeout} мс)`,
        });
      }
      endsPromptly(outcome, want, run, did);
    },
  },
  {
    id: "ping-order",
    title: {
      en:
        "ping --udp (probes of 12 bytes, the least): replies 3 and 4 held until after 5, replies 2 and 6 doubled, a stray number: matched by number, 2 out of order, 2 duplicates",
      ru:
        "ping --udp (пробы по 12 байтов, наименьшие): ответы 3 и 4 придержаны до ответа 5, ответы 2 и 6 удвоены, чужой номер: сопоставлено по номеру, 2 не по порядку, 2 дубликата",
    },
    hint: {
      en:
        "Match by the number in the reply. A reply to a probe already answered is a duplicate (its time ignored); a first reply whose number is below the highest answered so far came out of order, and still counts; an unknown number is ignored.",
      ru:
        "Сопоставляйте по номеру в ответе. Ответ на уже отвеченную пробу — дубликат (его время не в счёт); первый ответ с номером меньше наибольшего из уже отвеченных пришёл не по порядку и всё равно засчитывается; неизвестный номер пропускается.",
    },
    async run(trial) {
      const run = { count: 8, interval: 20, timeout: 1000, size: 12 };
      const script: Script = (seq) => {
        if (seq === 3) return [{ after: 5 }];
        if (seq === 4) return [{ after: 5 }];
        if (seq === 2) return [{}, { after: 4 }];
        if (seq === 6) return [{}, {}];
        if (seq === 7) return [{}, { renumber: 99 }];
        return [{}];
      };
      const outcome = await pingUdp(trial, script, run);
      judgePing(outcome.program, outcome.record, run, {
        en:
          "the grader's echo answered 1, 2, 5, then 3 and 4, then 2 again, 6 twice, 7 and a stray numbered 99, then 8",
        ru: "эхо проверки ответило 1, 2, 5, затем 3 и 4, затем снова 2, дважды 6, 7 и чужой номер 99, затем 8",
      });
    },
  },
  {
    id: "ping-late",
    title: {
      en:
        "ping --udp: replies after their probe's deadline (two to one probe, while the run goes on) are late and the probe lost, its timeout printed when due; a reply slower than the interval but in time counts; a duplicate's time is left out; 3 of 9 lost is 33.3%",
      ru:
        "ping --udp: ответы после срока своей пробы (два на одну пробу, пока прогон идёт) — опоздания, и проба потеряна, а её timeout напечатан в свой срок; ответ медленнее интервала, но в срок засчитан; время дубликата не в счёт; 3 потерянные из 9 — это 33,3%",
    },
    hint: {
      en:
        "Each probe's deadline is its own send time plus --timeout, not one deadline for the run; print its timeout line then. Every reply to a probe already lost is late: count it, and the probe stays lost; its time is no round trip. Loss is lost / sent × 100, not rounded.",
      ru:
        "Срок каждой пробы — время её собственной отправки плюс --timeout, а не один срок на весь прогон; тогда же печатайте её строку timeout. Каждый ответ на уже потерянную пробу — опоздание: посчитайте его, а проба остаётся потерянной; его время — не время пути. Потери — это lost / sent × 100, без округления.",
    },
    async run(trial) {
      // Every answer is 300 ms or more from the deadline it is judged by, and from the end of the run (the
      // grader's own clock may lag on a busy machine); the reply to 8 comes 300 ms after 2's deadline, so 2's
      // timeout line is printed before it.
      const run = { count: 9, interval: 100, timeout: 600, size: 64 };
      const script: Script = (seq) => {
        if (seq === 1) return [{ delay: 200 }];
        if (seq === 6) return [{ delay: 300 }];
        if (seq === 8) return [{ delay: 300 }];
        if (seq === 2) return [{ delay: 900 }, { delay: 950 }];
        if (seq === 3 || seq === 9) return [];
        if (seq === 4) return [{}, { delay: 800 }];
        return [{}];
      };
      const outcome = await pingUdp(trial, script, run);
      judgePing(outcome.program, outcome.record, run, {
        en:
          "the grader's echo answered probe 1 after 200 ms, probe 6 after 300, probe 8 after 300, probe 2 after 900 and again after 950 (both past its deadline), probe 4 at once and again after 800 ms, dropped 3 and 9, answered the rest at once; --interval 100, --timeout 600",
        ru:
          "эхо проверки ответило на пробу 1 через 200 мс, на пробу 6 — через 300, на пробу 8 — через 300, на пробу 2 — через 900 и ещё раз через 950 (оба раза после её срока), на пробу 4 — сразу и ещё раз через 800 мс, выбросило 3 и 9, на остальные ответило сразу; --interval 100, --timeout 600",
      });
    },
  },
  {
    id: "ping-tcp",
    title: {
      en:
        "ping --tcp: one connection; replies cut and glued at other places than the probes are reassembled; every figure as the echo did it",
      ru:
        "ping --tcp: одно соединение; ответы, разрезанные и склеенные не по границам проб, собираются заново; все цифры такие, как сделало эхо",
    },
    hint: {
      en:
        "Over TCP the probes share one connection; a read may bring part of a reply or parts of two, so cut the stream into --size-byte replies.",
      ru:
        "По TCP пробы идут по одному соединению; чтение может принести часть ответа или части двух, так что режьте поток на ответы по --size байтов.",
    },
    async run(trial) {
      const run = { count: 5, interval: 20, timeout: 1000, size: 40 };
      const echo = new FramedTcpEcho(
        { size: run.size, delay: (seq) => seq === 3 ? 60 : seq === 5 ? 30 : 0, cuts: [1, 5, 30, 90, 7, 100], gap: 8 },
        trial.transcript,
      );
      trial.defer(echo);
      const program = trial.start("ping", pingArgs("tcp", "127.0.0.1", echo.port, run));
      const status = await program.exitWithin(8000);
      if (status?.code !== 0) {
        throw new CheckFailure({ en: "ping --tcp did not finish cleanly", ru: "ping --tcp не завершился штатно" }, {
          expected: { en: "a summary and exit code 0", ru: "итог и код выхода 0" },
          actual: status
            ? {
              en: `code ${status.code}: ${program.stderr.join(" | ")}`,
              ru: `код ${status.code}: ${program.stderr.join(" | ")}`,
            }
            : {
              en: `still running after 8 s; ${lastLines(program)}`,
              ru: `всё ещё работает через 8 с; ${lastLines(program)}`,
            },
        });
      }
      if (echo.connections !== 1) {
        throw new CheckFailure({
          en: `ping --tcp opened ${echo.connections} connections: every probe goes over one`,
          ru: `ping --tcp открыл соединений: ${echo.connections}, а все пробы идут по одному`,
        }, { expected: "1", actual: `${echo.connections}` });
      }
      judgeProbes(echo.frames.map((f) => f.seq), echo.frames.map(() => run.size), run, `127.0.0.1:${echo.port}`);
      const record: EchoRecord = {
        probes: new Map(echo.frames.map((f) => [f.seq, f.at])),
        answers: echo.frames.flatMap((f, i) => {
          const at = echo.answeredAt(i);
          return at === undefined ? [] : [{ number: f.seq, at }];
        }),
      };
      judgePing(program, record, run, {
        en:
          "the grader's TCP echo held replies 3 and 5 a little and wrote all of them in pieces of 1, 5, 30, 90, 7 and 100 bytes",
        ru:
          "TCP-эхо проверки немного придержало ответы 3 и 5 и писало все ответы кусками по 1, 5, 30, 90, 7 и 100 байтов",
      });
    },
  },
];
