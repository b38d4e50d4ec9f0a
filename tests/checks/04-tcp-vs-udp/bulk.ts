/**
 * Lesson 4's checks of the bulk sender (against the learner's server, and
 * against the grader playing the counting server or a scripted UDP echo),
 * and of `compare --json`, which runs all three of the learner's programs.
 *
 * @module
 */
import type { Check } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { sleep } from "../../harness/deadline.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { Peer } from "../../harness/socket.ts";
import { type Script, ScriptedEcho } from "../../harness/udp.ts";
import { allOf, bytesRu, encoder, exitsCleanly, lastLines, SLACK_MS, startEcho } from "./shared.ts";

/** The line that asks the lesson's server to count instead of echo (see server.ts). */
export const COUNT_HELLO = encoder.encode("COUNT\n");

const TCP_LINE = /^tcp bulk to (\S+): (\d+) bytes sent, (\d+) counted by the server$/;
const UDP_LINE =
  /^udp bulk to (\S+): (\d+) datagrams of (\d+) B sent, (\d+) echoed, (\d+) lost \(([\d.]+)%\), (\d+) reordered$/;
const GOODPUT = /^goodput ([\d.]+) (Gbit|Mbit)\/s in ([\d.]+) s$/;

/** How long the grader, playing the counting server, keeps the connection open after the answer's newline. */
const HOLD_MS = 250;

/** How long `bulk --udp` waits for stragglers after the last echo (main.ts gives drainMs: 300). */
const DRAIN_MS = 300;

/** The `goodput R in S s` line: its seconds, after checking that the rate is `bytes` over them. */
function goodput(program: LearnerProcess, bytes: number): number {
  const line = program.stdout.find((l) => GOODPUT.test(l));
  if (!line) {
    throw new CheckFailure({ en: "bulk printed no goodput line", ru: "bulk не напечатал строку goodput" }, {
      expected: '"goodput R Mbit/s in S s"',
      actual: lastLines(program),
    });
  }
  const [, rate, unit, secondsText] = line.match(GOODPUT)!;
  const seconds = Number(secondsText);
  const scale = unit === "Gbit" ? 1e9 : 1e6;
  const low = bytes * 8 / (seconds + 0.0005) / scale;
  const high = seconds > 0.0005 ? bytes * 8 / (seconds - 0.0005) / scale : Infinity;
  const digits = unit === "Gbit" ? 0.005 : 0.05;
  if (!(Number(rate) >= low - digits && Number(rate) <= high + digits)) {
    throw new CheckFailure({
      en: `bulk's goodput ${rate} ${unit}/s is not ${bytes} bytes over ${seconds} s`,
      ru: `goodput ${rate} ${unit}/s у bulk — это не ${bytesRu(bytes)} за ${seconds} с`,
    }, { expected: `${(bytes * 8 / seconds / scale).toFixed(2)} ${unit}/s`, actual: visible(line) });
  }
  return seconds;
}

/** Fails unless `seconds` covers at least `span` ms (the clock ran until the end), and at most `span` + slack. */
function judgeDuration(seconds: number, span: number, upTo: Bilingual, tooLong: Bilingual): void {
  const low = span / 1000 - 0.0015;
  const high = (span + SLACK_MS) / 1000;
  if (seconds < low) {
    throw new CheckFailure({
      en: `bulk says it took ${seconds} s, but ${upTo.en} took ${(span / 1000).toFixed(3)} s by the grader's clock`,
      ru: `bulk пишет, что ушло ${seconds} с, но ${upTo.ru} заняло ${(span / 1000).toFixed(3)} с по часам проверки`,
    }, { expected: `≥ ${(span / 1000).toFixed(3)} s`, actual: `${seconds} s` });
  }
  if (seconds > high) {
    throw new CheckFailure({
      en: `bulk says it took ${seconds} s, but ${upTo.en} took ${
        (span / 1000).toFixed(3)
      } s by the grader's clock: ${tooLong.en}`,
      ru: `bulk пишет, что ушло ${seconds} с, но ${upTo.ru} заняло ${
        (span / 1000).toFixed(3)
      } с по часам проверки: ${tooLong.ru}`,
    }, { expected: `${(span / 1000).toFixed(3)} to ${high.toFixed(3)} s`, actual: `${seconds} s` });
  }
}

/** Plays the counting server for one `bulk --tcp`: takes the bytes to EOF and returns them and when they began. */
async function takeCount(peer: Peer, bytes: number, limit: number): Promise<number> {
  const wanted = COUNT_HELLO.length + bytes;
  const started = performance.now();
  let firstByte: number | undefined;
  void peer.readUntil((data) => {
    if (data.length > 0) firstByte ??= performance.now();
    return false;
  }, limit);
  if (!await peer.waitForEof(limit)) {
    throw new CheckFailure({
      en: "bulk --tcp never half-closed, so a counting server would wait for more forever",
      ru: "bulk --tcp так и не сделал half-close, и считающий сервер вечно ждал бы продолжения",
    }, {
      expected: {
        en: `${COUNT_HELLO.length} bytes of "COUNT\\n", ${bytes} bytes, then EOF (conn.closeWrite())`,
        ru: `${bytesRu(COUNT_HELLO.length)} "COUNT\\n", затем ${bytesRu(bytes)}, затем EOF (conn.closeWrite())`,
      },
      actual: {
        en: `${peer.received.length} bytes and no EOF within ${limit / 1000} s`,
        ru: `${bytesRu(peer.received.length)}, а EOF за ${limit / 1000} с так и не пришёл`,
      },
    });
  }
  const hello = firstDifference(COUNT_HELLO, peer.received.subarray(0, COUNT_HELLO.length));
  if (hello || peer.received.length !== wanted) {
    throw new CheckFailure({
      en: "bulk --tcp did not send the COUNT line and then exactly the --bytes asked for",
      ru: "bulk --tcp не отправил строку COUNT, а за ней ровно столько байтов, сколько просили через --bytes",
    }, {
      expected: {
        en: `${wanted} bytes: "COUNT\\n" and ${bytes} more`,
        ru: `${bytesRu(wanted)}: "COUNT\\n" и ещё ${bytesRu(bytes)}`,
      },
      actual: {
        en: `${peer.received.length} bytes${hello ? `; the opening line differs: ${hello}` : ""}`,
        ru: `${bytesRu(peer.received.length)}${
          hello
            ? `; первая строка отличается: ${
              firstDifference(COUNT_HELLO, peer.received.subarray(0, COUNT_HELLO.length), "ru")
            }`
            : ""
        }`,
      },
    });
  }
  return firstByte ?? started;
}

/** Writes `text` a byte at a time, `gap` ms apart; stops quietly if the client is gone. */
async function dribble(peer: Peer, text: string, gap: number): Promise<void> {
  for (const byte of encoder.encode(text)) {
    const sent = await peer.write(new Uint8Array([byte])).then(() => true, () => false);
    if (!sent) return;
    await sleep(gap);
  }
}

/** The numbers the bulk echo answers, the echoes that count, and the last of them, by the TODO's rules. */
function expectBulk(echo: ScriptedEcho, count: number): { received: number; reordered: number; last: number } {
  const seen = new Set<number>();
  let highest = -1;
  let reordered = 0;
  let last = echo.arrivals[0]?.at ?? 0;
  for (const answer of echo.answers) {
    if (answer.number >= count || seen.has(answer.number)) continue;
    // Past the drain, the bulk sender no longer listens.
    if (seen.size > 0 && answer.at - last > DRAIN_MS) break;
    seen.add(answer.number);
    if (answer.number < highest) reordered++;
    highest = Math.max(highest, answer.number);
    last = answer.at;
  }
  return { received: seen.size, reordered, last };
}

/** A JSON value for a message: `missing` where there is none. */
function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

/** Everything `compare --json` says about one pinger run that must hang together. */
function pingProblems(name: string, p: Record<string, unknown> | undefined, sent: number, tcp: boolean): string[] {
  if (!p) return [`${name}: missing`];
  const problems: string[] = [];
  const n = (key: string) => typeof p[key] === "number" ? p[key] as number : NaN;
  for (const key of ["sent", "received", "lost", "lossPercent", "duplicates", "outOfOrder", "late"]) {
    if (!Number.isFinite(n(key))) problems.push(`${name}.${key} is ${show(p[key])}, not a number`);
  }
  if (p.protocol !== (tcp ? "tcp" : "udp")) problems.push(`${name}.protocol is ${show(p.protocol)}`);
  if (n("sent") !== sent) problems.push(`${name}.sent is ${show(p.sent)}, not ${sent}`);
  if (n("received") + n("lost") !== n("sent")) problems.push(`${name}: received + lost is not sent`);
  if (!Array.isArray(p.lostSeqs) || p.lostSeqs.length !== n("lost")) {
    problems.push(`${name}.lostSeqs does not list the ${show(p.lost)} lost probes`);
  }
  if (Math.abs(n("lossPercent") - n("lost") / n("sent") * 100) > 1e-9) {
    problems.push(`${name}.lossPercent is not lost / sent × 100`);
  }
  if (n("late") > n("lost")) problems.push(`${name}: more late replies than lost probes`);
  const rtt = p.rtt as Record<string, number> | null | undefined;
  if (n("received") > 0) {
    const r = rtt ?? {};
    const ok = [r.min, r.avg, r.p50, r.p99, r.max].every((v) => typeof v === "number" && v > 0) &&
      r.min <= r.p50 && r.p50 <= r.p99 && r.p99 <= r.max && r.min <= r.avg && r.avg <= r.max;
    if (!ok) problems.push(`${name}.rtt is not a spread of round trips: ${show(rtt)}`);
  } else if (rtt) problems.push(`${name}.rtt is given though nothing was received`);
  if (tcp) {
    if (!(n("connectMs") > 0)) problems.push(`${name}.connectMs (the TCP handshake) is ${show(p.connectMs)}`);
    // A reply may come after compare's 500 ms deadline on a very busy machine, but TCP never doubles or reorders.
    if (n("duplicates") !== 0 || n("outOfOrder") !== 0) problems.push(`${name}: TCP doubled or reordered a probe`);
  } else if (p.connectMs !== undefined) problems.push(`${name}.connectMs is given for UDP, which has no handshake`);
  return problems;
}

export const bulkChecks: Check[] = [
  {
    id: "bulk-tcp",
    title: {
      en: "bulk --tcp against your server: 3,000,000 bytes sent, 3,000,000 counted, a goodput, exit 0",
      ru: "bulk --tcp против вашего сервера: 3 000 000 байтов отправлено, 3 000 000 подсчитано, goodput, код выхода 0",
    },
    hint: {
      en:
        "After the last write, half-close (closeWrite): the server counts until EOF. Then read its answer until read() gives null.",
      ru:
        "После последней записи сделайте half-close (closeWrite): сервер считает до EOF. Затем читайте его ответ, пока read() не вернёт null.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      const bulk = trial.start("bulk", ["bulk", "--tcp", "--port", String(port), "--bytes", "3000000"]);
      await exitsCleanly(bulk, 10_000, { en: "it started", ru: "она запустилась" }, {
        en: '"tcp bulk to …: 3000000 bytes sent, 3000000 counted by the server" and exit code 0',
        ru: '"tcp bulk to …: 3000000 bytes sent, 3000000 counted by the server" и код выхода 0',
      });
      const said = bulk.stdout.find((l) => TCP_LINE.test(l));
      const m = said?.match(TCP_LINE);
      if (!m || m[2] !== "3000000" || m[3] !== "3000000") {
        throw new CheckFailure({
          en: "bulk --tcp did not report 3000000 bytes sent and 3000000 counted by your server",
          ru: "bulk --tcp не сообщил, что 3000000 байтов отправлено и 3000000 подсчитано вашим сервером",
        }, {
          expected: '"tcp bulk to …: 3000000 bytes sent, 3000000 counted by the server"',
          actual: visible(said ?? lastLines(bulk)),
        });
      }
      goodput(bulk, 3_000_000);
    },
  },
  {
    id: "bulk-tcp-answer",
    title: {
      en:
        "bulk --tcp: half-closes after exactly COUNT\\n and --bytes, reads the count to EOF though it comes a byte per 30 ms after a pause and EOF 250 ms after the newline, and times until EOF",
      ru:
        "bulk --tcp: делает half-close после ровно COUNT\\n и --bytes, читает число до EOF, хотя оно идёт по байту раз в 30 мс после паузы, а EOF — через 250 мс после перевода строки, и засекает время до EOF",
    },
    hint: {
      en:
        "The answer is a short line, but TCP may hand it over a byte at a time: keep reading until read() gives null, then parse. The clock stops at the answer, not at the last write.",
      ru:
        "Ответ — короткая строка, но TCP может отдать и её по байту: читайте, пока read() не вернёт null, и только потом разбирайте. Часы останавливаются на ответе, а не на последней записи.",
    },
    async run(trial) {
      const bytes = 300_000;
      using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const bulk = trial.start("bulk", [
        "bulk",
        "--tcp",
        "--port",
        String(listener.addr.port),
        "--bytes",
        String(bytes),
      ]);
      await using peer = await Peer.accept(listener, trial.transcript);
      const firstByte = await takeCount(peer, bytes, 5000);
      trial.transcript.event(
        "grader server",
        `pauses 200 ms, answers a byte every 30 ms, then keeps the connection open ${HOLD_MS} ms before closing`,
      );
      await sleep(200);
      await dribble(peer, `${bytes}\n`, 30);
      // The answer is over only at EOF: a sender that stopped at the newline would stop its clock too soon.
      await sleep(HOLD_MS);
      const closing = performance.now();
      await peer[Symbol.asyncDispose]();
      const status = await bulk.exitWithin(5000);
      const said = bulk.stdout.find((l) => TCP_LINE.test(l));
      const m = said?.match(TCP_LINE);
      if (status?.code !== 0 || !m || m[2] !== String(bytes) || m[3] !== String(bytes)) {
        const how = status
          ? `code ${status.code}${bulk.stderr.length ? `; stderr: ${visible(bulk.stderr.join("\n"))}` : ""}`
          : "still running 5 s after the answer ended";
        throw new CheckFailure({
          en: "bulk --tcp misread the answer, sent one byte at a time: read until read() gives null, then parse",
          ru:
            "bulk --tcp неверно прочитал ответ, присланный по одному байту: читайте, пока read() не вернёт null, затем разбирайте",
        }, {
          expected: `"tcp bulk to …: ${bytes} bytes sent, ${bytes} counted by the server", exit code 0`,
          actual: `${visible(said ?? lastLines(bulk))}; ${how}`,
        });
      }
      judgeDuration(
        goodput(bulk, bytes),
        closing - firstByte,
        {
          en: `from its first byte to the end of the server's answer (its EOF, ${HOLD_MS} ms after the newline)`,
          ru: `от его первого байта до конца ответа сервера (его EOF, через ${HOLD_MS} мс после перевода строки)`,
        },
        { en: "the clock runs from the first write to the answer", ru: "часы идут от первой записи до ответа" },
      );
    },
  },
  {
    id: "bulk-udp",
    title: {
      en:
        "bulk --udp: echoes dropped, doubled, held back, stray numbers, a late last one: each number counted once, reordered by the highest so far, timed to the last echo that counts",
      ru:
        "bulk --udp: эхо выброшено, удвоено, придержано, чужие номера, последнее с задержкой: каждый номер считается один раз, перестановки — от наибольшего номера, время — до последнего засчитанного эха",
    },
    hint: {
      en:
        "Count a number the first time its echo comes, ignore numbers >= the count, count it reordered if below the highest seen so far, and note lastArrival only then.",
      ru:
        "Засчитывайте номер, когда его эхо пришло впервые, номера >= count пропускайте, считайте эхо переставленным, если номер меньше наибольшего уже виденного, и только тогда запоминайте lastArrival.",
    },
    async run(trial) {
      const size = 300;
      const count = 40;
      // After the last echo, copies of it and strays keep coming, each within the drain of the one before: only
      // a sender that took them for echoes would wait for them, and its clock would run on.
      const trail = [200, 400, 600, 800].flatMap((delay) => [
        { after: count - 1, delay },
        { after: count - 1, delay, renumber: 1000 },
      ]);
      const script: Script = (seq) => {
        if (seq === 7 || seq === 23 || seq === 31) return [];
        if (seq === 5) return [{}, {}];
        if (seq === 12) return [{}, { after: 30 }];
        if (seq === 10) return [{ after: 14 }];
        if (seq === 16) return [{ after: 18 }];
        if (seq === 17) return [{ after: 18 }];
        if (seq === 20) return [{}, { renumber: count }, { renumber: 1000 }];
        if (seq === count - 1) return [{ delay: 60 }, ...trail];
        return [{}];
      };
      const echo = new ScriptedEcho(script, trial.transcript);
      trial.defer(echo);
      const bulk = trial.start("bulk", [
        "bulk",
        "--udp",
        "--port",
        String(echo.port),
        "--bytes",
        String(size * count - 50),
        "--size",
        String(size),
      ]);
      await exitsCleanly(bulk, 8000, { en: "it started", ru: "она запустилась" }, {
        en: "a report of the datagrams sent, echoed and lost, then exit",
        ru: "отчёт об отправленных, вернувшихся и потерянных датаграммах, затем завершение",
      });
      if (echo.arrivals.length === 0) {
        throw new CheckFailure({
          en: `no datagram reached the grader's echo at 127.0.0.1:${echo.port}: send to --host and --port`,
          ru: `ни одна датаграмма не дошла до эха проверки на 127.0.0.1:${echo.port}: отправляйте на --host и --port`,
        });
      }
      const wrongSize = echo.arrivals.find((a) => a.size !== size);
      if (wrongSize) {
        throw new CheckFailure({
          en: `a datagram was ${wrongSize.size} bytes, not the ${size} asked for with --size`,
          ru: `датаграмма была размером ${bytesRu(wrongSize.size)}, а не ${bytesRu(size)}, как просили через --size`,
        }, { expected: `${size}`, actual: `${wrongSize.size}` });
      }
      // A sender that stopped listening early misses echoes still to come (the last is held 60 ms): they count.
      await echo.quiet(Math.max(...echo.arrivals.map((a) => a.at)) + 100);
      const want = expectBulk(echo, count);
      const did = {
        en:
          `the grader's echo answered ${want.received} of the ${count} numbers (it dropped 7, 23 and 31), doubled 5, 12 and the last, held 10 until after 14 and 16 and 17 until after 18, and sent strays numbered ${count} and 1000`,
        ru:
          `эхо проверки ответило на ${want.received} номеров из ${count} (выбросило 7, 23 и 31), удвоило 5, 12 и последний, придержало 10 до ответа 14, а 16 и 17 — до ответа 18, и прислало чужие номера ${count} и 1000`,
      };
      const lost = count - want.received;
      const line = `${count} datagrams of ${size} B sent, ${want.received} echoed, ${lost} lost (${
        (lost / count * 100).toFixed(1)
      }%), ${want.reordered} reordered`;
      const said = bulk.stdout.find((l) => UDP_LINE.test(l));
      const m = said?.match(UDP_LINE);
      if (!m) {
        throw new CheckFailure({ en: "bulk --udp printed no report", ru: "bulk --udp не напечатал отчёт" }, {
          expected: `udp bulk to …: ${line}`,
          actual: lastLines(bulk),
        });
      }
      const figures = [
        [Number(m[2]), count, "datagrams sent", "отправленные датаграммы", "--bytes / --size of them"],
        [Number(m[4]), want.received, "echoed", "вернувшиеся", "each number below the count once, the first time"],
        [Number(m[5]), lost, "lost", "потерянные", "sent minus echoed"],
        [Number(m[7]), want.reordered, "reordered", "переставленные", "below the highest number seen so far"],
      ] as const;
      for (const [got, wanted, name, nameRu, rule] of figures) {
        if (got !== wanted) {
          throw new CheckFailure({
            en: `bulk --udp counted ${name} wrong: ${got}, but ${wanted} (${did.en}): ${rule}`,
            ru: `bulk --udp неверно посчитал ${nameRu}: ${got}, а должно быть ${wanted} (${did.ru})`,
          }, { expected: `udp bulk to …: ${line}`, actual: visible(said!) });
        }
      }
      if (Math.abs(Number(m[6]) - lost / count * 100) > 0.05) {
        throw new CheckFailure({
          en: `bulk --udp says ${m[6]}% lost, but ${lost} of ${count} is ${(lost / count * 100).toFixed(1)}%`,
          ru: `bulk --udp пишет, что потеряно ${m[6]}%, но ${lost} из ${count} — это ${
            (lost / count * 100).toFixed(1)
          }%`,
        }, { expected: line, actual: visible(said!) });
      }
      judgeDuration(
        goodput(bulk, want.received * size),
        want.last - echo.arrivals[0].at,
        {
          en: "from the first datagram to the last echo that counts",
          ru: "от первой датаграммы до последнего засчитанного эха",
        },
        {
          en:
            "note lastArrival only for an echo that counts, not for a duplicate or a stray, and stop the clock there, not after the wait for stragglers",
          ru:
            "запоминайте lastArrival только для засчитанного эха, не для дубликата или чужого номера, и останавливайте часы там, а не после ожидания отставших",
        },
      );
    },
  },
  {
    id: "compare-json",
    title: {
      en:
        "compare --json runs your three programs and every figure hangs together: counts, loss shares, round trips, the TCP handshake, bytes and datagrams",
      ru:
        "compare --json запускает ваши три программы, и все цифры сходятся: счётчики, доли потерь, время пути, рукопожатие TCP, байты и датаграммы",
    },
    hint: {
      en:
        "compare calls runServer, runPing and runBulk and prints what they return: the summary object of TODO 3 in ping.ts must hold every field (connectMs for TCP).",
      ru:
        "compare вызывает runServer, runPing и runBulk и печатает то, что они возвращают: объект итога из TODO 3 в ping.ts должен содержать каждое поле (connectMs для TCP).",
    },
    timeoutMs: 40_000,
    // Two seconds and more, mostly waiting on compare's own pings: it starts first and the others run beside it.
    slow: true,
    async run(trial) {
      const compare = trial.start("compare", ["compare", "--json"]);
      await exitsCleanly(compare, 30_000, { en: "it started", ru: "она запустилась" }, {
        en: "the figures as JSON, then exit",
        ru: "цифры в виде JSON, затем завершение",
      });
      let c;
      try {
        c = JSON.parse(compare.stdout.join("\n"));
      } catch {
        throw new CheckFailure({ en: "compare --json did not print JSON", ru: "compare --json не напечатал JSON" }, {
          actual: visible(compare.stdout.slice(0, 3).join("\n")),
        });
      }
      const problems: string[] = [
        ...pingProblems("ping.tcp", c.ping?.tcp, 200, true),
        ...pingProblems("ping.udp", c.ping?.udp, 200, false),
      ];
      const tcp = c.bulk?.tcp;
      if (tcp?.sent !== 32 * 1024 * 1024 || tcp?.received !== tcp?.sent) {
        problems.push(`bulk.tcp: ${show(tcp?.received)} of ${show(tcp?.sent)} bytes counted, not all of 33554432`);
      }
      if (!(tcp?.seconds > 0) || Math.abs(tcp.bytesPerSecond - tcp.received / tcp.seconds) > 1) {
        problems.push("bulk.tcp: bytesPerSecond is not received / seconds");
      }
      const udp = c.bulk?.udp;
      const d = udp?.datagrams;
      if (!d || d.sent !== 20_000 || d.received + d.lost !== d.sent) {
        problems.push(
          `bulk.udp: ${show(d?.received)} echoed + ${show(d?.lost)} lost is not ${show(d?.sent)} sent, or not 20000`,
        );
      } else {
        if (Math.abs(d.lossPercent - d.lost / d.sent * 100) > 1e-9) {
          problems.push("bulk.udp: lossPercent is not lost / sent");
        }
        if (udp.received !== d.received * 1200 || udp.sent !== d.sent * 1200) {
          problems.push("bulk.udp: the bytes are not the datagrams × 1200");
        }
        if (!(d.reordered >= 0 && d.reordered <= d.received)) problems.push(`bulk.udp: ${d.reordered} reordered`);
        if (!(udp.seconds > 0)) problems.push("bulk.udp: no duration");
      }
      if (!(c.tcpConnectMs?.p50 > 0)) problems.push("tcpConnectMs: no TCP connect time");
      if (problems.length > 0) {
        throw new CheckFailure({
          en: `compare's figures do not hang together: ${problems[0]}`,
          ru: `цифры compare не сходятся между собой: ${problems[0]}`,
        }, { actual: problems.join("; ") });
      }
    },
  },
];

/** Hardening: what bulk --tcp does with a server whose answer is wrong. */
export const bulkHardening: Check[] = [
  {
    id: "bulk-tcp-bad-answer",
    section: "hardening",
    title: {
      en:
        "bulk --tcp: a server that counts fewer bytes than were sent, or answers with an endless line, gets a one-line error and a non-zero exit",
      ru:
        "bulk --tcp: если сервер насчитал меньше отправленного или отвечает бесконечной строкой, — ошибка в одну строку и ненулевой код выхода",
    },
    hint: {
      en:
        "Keep at most 64 bytes of the answer: a byte count is never longer. Compare the server's number with what you sent; a shortfall is an error, not a result.",
      ru:
        "Храните не больше 64 байтов ответа: число байтов никогда не бывает длиннее. Сравните число сервера с отправленным; недостача — ошибка, а не результат.",
    },
    async run(trial) {
      const bytes = 20_000;
      const cases = [
        { name: "short count", answer: `${bytes - 1}\n`, endless: false },
        { name: "endless line", answer: "9".repeat(256 * 1024), endless: true },
      ];
      await allOf(cases.map(async ({ name, answer, endless }) => {
        using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const bulk = trial.start(`bulk (${name})`, [
          "bulk",
          "--tcp",
          "--port",
          String(listener.addr.port),
          "--bytes",
          String(bytes),
        ]);
        await using peer = await Peer.accept(listener, trial.transcript, `grader server (${name})`);
        await takeCount(peer, bytes, 5000);
        await sleep(50);
        if (bulk.exited) {
          throw new CheckFailure({
            en:
              `bulk --tcp ended (code ${bulk.exited.code}) before the server's answer came: after the half-close, read the answer`,
            ru:
              `bulk --tcp завершился (код ${bulk.exited.code}) раньше, чем пришёл ответ сервера: после half-close прочитайте ответ`,
          }, { actual: visible(bulk.stderr.join("\n") || "(nothing on stderr)") });
        }
        // The endless answer never ends: it stays open after its 256 KiB.
        await peer.write(encoder.encode(answer), 3000).catch(() => {});
        if (!endless) await peer[Symbol.asyncDispose]();
        const status = await bulk.exitWithin(5000);
        const situation = endless
          ? {
            en: `when the server answered ${answer.length} digits and no end`,
            ru: `когда сервер ответил ${answer.length} цифрами без конца`,
          }
          : {
            en: `when the server counted ${bytes - 1} of the ${bytes} bytes sent`,
            ru: `когда сервер насчитал ${bytes - 1} из ${bytes} отправленных байтов`,
          };
        if (!status) {
          throw new CheckFailure({
            en:
              `bulk --tcp was still running 5 s ${situation.en}: keep at most 64 bytes of the answer, and give up past that`,
            ru:
              `bulk --tcp всё ещё работал через 5 с, ${situation.ru}: храните не больше 64 байтов ответа и бросайте чтение, если их больше`,
          }, {
            expected: { en: "a one-line error and a non-zero exit", ru: "ошибка в одну строку и ненулевой код выхода" },
            actual: { en: `still running; ${lastLines(bulk)}`, ru: `всё ещё работает; ${lastLines(bulk)}` },
          });
        }
        const stderr = bulk.stderr.filter((l) => l.trim() !== "");
        if (status.code === 0 || stderr.length !== 1 || /^\s+at\s|Uncaught/.test(stderr.join("\n"))) {
          throw new CheckFailure({
            en:
              `bulk --tcp ended with code ${status.code} and ${stderr.length} line(s) on stderr ${situation.en}: that is an error, in one line, with a non-zero exit code`,
            ru:
              `bulk --tcp завершился с кодом ${status.code} и строками в stderr: ${stderr.length}, ${situation.ru}: это ошибка, в одну строку и с ненулевым кодом выхода`,
          }, {
            expected: { en: "one line on stderr, exit code 1", ru: "одна строка в stderr, код выхода 1" },
            actual: `code ${status.code}; stderr: ${visible(stderr.join("\n") || "(empty)")}; stdout: ${
              lastLines(bulk, 2)
            }`,
          });
        }
      }));
    },
  },
];
