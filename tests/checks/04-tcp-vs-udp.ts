/**
 * Lesson 4's checks: the echo server over both transports, then the pinger
 * and the bulk sender against the grader's own UDP echo, which drops,
 * doubles and holds back chosen probes by their numbers, so every run of a
 * check meets exactly the same losses.
 *
 * @module
 */
import type { Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import type { Bilingual } from "../harness/text.ts";
import { firstDifference, visible } from "../harness/bytes.ts";
import { sleep } from "../harness/deadline.ts";
import type { LearnerProcess } from "../harness/process.ts";
import { Peer } from "../harness/socket.ts";
import { startServer, tcpAddress } from "../harness/programs.ts";
import { type EchoPlan, ImpairingEcho, UdpPeer } from "../harness/udp.ts";
import { portInUse } from "./common.ts";

const encoder = new TextEncoder();
/** The line that asks the lesson's server to count instead of echo (see server.ts). */
const COUNT_HELLO = encoder.encode("COUNT\n");

/** Starts the learner's echo server; returns its port (TCP and UDP). */
async function startEcho(trial: Trial): Promise<{ server: LearnerProcess; port: number }> {
  const { server, address } = await startServer(trial);
  return { server, port: tcpAddress(address).port };
}

/** `n` bytes in Russian, the noun agreeing with the number: 1 байт, 2 байта, 5 байтов. */
function bytesRu(n: number): string {
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

/** Random bytes, `size` of them. */
function noise(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/** A datagram `size` bytes long whose first 4 bytes say `seq`. */
function numbered(seq: number, size: number): Uint8Array {
  const data = noise(size);
  new DataView(data.buffer).setUint32(0, seq);
  return data;
}

/** Runs the learner's program with `args` against the grader's impairing echo; returns it once it exited. */
async function runAgainst(
  trial: Trial,
  plan: EchoPlan,
  args: (port: number) => string[],
  ms: number,
): Promise<{ program: LearnerProcess; status: Deno.CommandStatus; echo: ImpairingEcho; ms: number }> {
  const echo = new ImpairingEcho(plan, trial.transcript);
  trial.defer(echo);
  const started = performance.now();
  const program = trial.start(args(echo.port)[0], args(echo.port));
  const status = await program.exitWithin(ms);
  const name = args(echo.port)[0];
  if (!status) {
    const last = program.stdout.slice(-3).join("\n");
    throw new CheckFailure({
      en: `the ${name} was still running after ${ms / 1000} s`,
      ru: `программа ${name} всё ещё работала через ${ms / 1000} с`,
    }, {
      expected: {
        en: "every probe answered or timed out, a summary, exit",
        ru: "ответ или тайм-аут для каждой пробы, итог, завершение",
      },
      actual: {
        en: `last output: ${visible(last || "(none)")}`,
        ru: `последний вывод: ${visible(last || "(ничего)")}`,
      },
    });
  }
  if (status.code !== 0) {
    const stderr = program.stderr.join("\n");
    throw new CheckFailure({
      en: `the ${name} exited with code ${status.code}`,
      ru: `программа ${name} завершилась с кодом ${status.code}`,
    }, {
      actual: stderr ? visible(stderr) : { en: visible("(nothing on stderr)"), ru: visible("(в stderr пусто)") },
    });
  }
  return { program, status, echo, ms: performance.now() - started };
}

const SUMMARY =
  /^(\d+) sent, (\d+) received, (\d+) lost \(([\d.]+)%\), (\d+) duplicates, (\d+) out of order, (\d+) late$/;

/** The pinger's summary: counts and the `lost:` line. */
function summary(program: LearnerProcess): { counts: number[]; percent: number; lost: string } {
  const line = program.stdout.find((l) => SUMMARY.test(l));
  const lost = program.stdout.find((l) => l.startsWith("lost: "));
  if (!line || !lost) {
    const last = program.stdout.slice(-4).join("\n");
    throw new CheckFailure({ en: "the pinger printed no summary", ru: "пингер не напечатал итог" }, {
      expected: {
        en: '"N sent, N received, N lost (P%), N duplicates, N out of order, N late" and "lost: …"',
        ru: '"N sent, N received, N lost (P%), N duplicates, N out of order, N late" и "lost: …"',
      },
      actual: last ? visible(last) : { en: visible("(nothing)"), ru: visible("(ничего)") },
    });
  }
  const m = line.match(SUMMARY)!;
  return { counts: [1, 2, 3, 5, 6, 7].map((i) => Number(m[i])), percent: Number(m[4]), lost: lost.slice(6) };
}

/** Compares the pinger's summary with what the grader's echo did. */
function expectSummary(
  program: LearnerProcess,
  want: { sent: number; received: number; lost: number; duplicates: number; outOfOrder: number; lostSeqs: string },
  situation: Bilingual,
): void {
  const got = summary(program);
  const names = ["sent", "received", "lost", "duplicates", "out of order", "late"];
  const namesRu = [
    "отправленные пробы",
    "полученные ответы",
    "потерянные пробы",
    "дубликаты",
    "ответы не по порядку",
    "опоздавшие ответы",
  ];
  const expected = [want.sent, want.received, want.lost, want.duplicates, want.outOfOrder, 0];
  const wrong = expected.findIndex((value, i) => got.counts[i] !== value);
  if (wrong >= 0) {
    throw new CheckFailure(
      {
        en: `the pinger counted ${names[wrong]} wrong: ${got.counts[wrong]}, but ${
          expected[wrong]
        } (${situation.en}). Match each reply to its probe by the number inside it`,
        ru: `пингер неверно посчитал ${namesRu[wrong]}: ${got.counts[wrong]}, а должно быть ${
          expected[wrong]
        } (${situation.ru}). Сопоставляйте каждый ответ с его пробой по номеру внутри ответа`,
      },
      {
        expected:
          `${want.sent} sent, ${want.received} received, ${want.lost} lost, ${want.duplicates} duplicates, ${want.outOfOrder} out of order, 0 late`,
        actual: names.map((n, i) => `${got.counts[i]} ${n}`).join(", "),
      },
    );
  }
  const percent = want.lost / want.sent * 100;
  if (Math.abs(got.percent - percent) > 0.05) {
    throw new CheckFailure(
      {
        en: `the pinger's loss is ${got.percent}%, but ${want.lost} of ${want.sent} is ${
          percent.toFixed(1)
        }%: loss is a share of the probes sent`,
        ru: `пингер показывает потери ${got.percent}%, но ${want.lost} из ${want.sent} — это ${
          percent.toFixed(1)
        }%: потери считаются как доля отправленных проб`,
      },
      {
        expected: `${percent.toFixed(1)}%`,
        actual: `${got.percent}%`,
      },
    );
  }
  if (got.lost !== want.lostSeqs) {
    throw new CheckFailure({
      en: `the pinger named the wrong probes as lost (${situation.en})`,
      ru: `пингер назвал потерянными не те пробы (${situation.ru})`,
    }, {
      expected: visible(`lost: ${want.lostSeqs}`),
      actual: visible(`lost: ${got.lost}`),
    });
  }
}

const checks: Check[] = [
  {
    id: "announces-address",
    title: {
      en: "the server prints 'listening on HOST:PORT' with the real port",
      ru: "сервер печатает 'listening on HOST:PORT' с настоящим номером порта",
    },
    covers: "given",
    hint: {
      en: "Given: bind TCP, then UDP on the same port number, and announce the address.",
      ru: "Дано: откройте TCP, затем UDP на том же номере порта, и сообщите адрес.",
    },
    async run(trial) {
      await startEcho(trial);
    },
  },
  {
    id: "tcp-echo",
    title: {
      en: "TCP: 1 MiB of random bytes comes back exactly, and the server closes after the client half-closes",
      ru:
        "TCP: 1 МиБ случайных байтов возвращается в точности, а после half-close (полузакрытия) со стороны клиента сервер закрывает соединение",
    },
    hint: {
      en:
        "Read in a loop and write back every byte read (all of it: write() may take only part). When read() gives null, close.",
      ru:
        "Читайте в цикле и отправляйте назад каждый прочитанный байт (весь: write() может взять только часть). Когда read() вернул null, закройте.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      const peer = await Peer.connect({ transport: "tcp", host: "127.0.0.1", port }, trial.transcript);
      trial.defer(peer);
      const data = noise(1024 * 1024);
      await peer.write(data, 10_000);
      await peer.closeWrite();
      const closed = await peer.waitForEof(5000);
      const difference = firstDifference(data, peer.received);
      if (difference) {
        throw new CheckFailure({
          en: `the echo differs from what was sent: ${difference}`,
          ru: `эхо отличается от отправленного: ${firstDifference(data, peer.received, "ru")}`,
        }, {
          expected: { en: `${data.length} bytes, the same ones`, ru: `${bytesRu(data.length)}, те же самые` },
          actual: { en: `${peer.received.length} bytes`, ru: bytesRu(peer.received.length) },
        });
      }
      if (!closed) {
        throw new CheckFailure({
          en: "the server did not close the connection after the client half-closed",
          ru: "сервер не закрыл соединение после half-close (полузакрытия) со стороны клиента",
        }, {
          expected: { en: "EOF once everything was echoed", ru: "EOF, как только всё отправлено обратно" },
          actual: { en: "the connection still open", ru: "соединение всё ещё открыто" },
        });
      }
    },
  },
  {
    id: "udp-echo",
    title: {
      en: "UDP: datagrams of 1 to 8,000 bytes come back unchanged, one for one",
      ru: "UDP: датаграммы от 1 до 8000 байтов возвращаются без изменений, по одной на каждую",
    },
    hint: {
      en:
        "receive() gives one whole datagram and who sent it; send exactly those bytes back to that address. One datagram in, one out.",
      ru:
        "receive() отдаёт одну целую датаграмму и адрес отправителя; отправьте ровно эти байты обратно по этому адресу. Одна пришла — одна ушла.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      using peer = new UdpPeer(trial.transcript);
      for (const size of [1, 100, 1400, 8000]) {
        const data = numbered(size, Math.max(size, 4)).subarray(0, size);
        await peer.send(data, port);
        const back = await peer.receive(2000);
        if (!back) {
          throw new CheckFailure({
            en: `no echo of a ${size}-byte datagram within 2 s`,
            ru: `за 2 с не пришло эхо датаграммы в ${bytesRu(size)}`,
          }, {
            expected: {
              en: `the same ${size} bytes back, to the address they came from`,
              ru: `те же ${bytesRu(size)} обратно, на адрес, с которого они пришли`,
            },
            actual: { en: "nothing", ru: "ничего" },
          });
        }
        const difference = firstDifference(data, back);
        if (difference) {
          throw new CheckFailure({
            en: `the echo of a ${size}-byte datagram differs: ${difference}`,
            ru: `эхо датаграммы в ${bytesRu(size)} отличается: ${firstDifference(data, back, "ru")}`,
          }, {
            expected: { en: `${size} bytes, the same ones`, ru: `${bytesRu(size)}, те же самые` },
            actual: { en: `${back.length} bytes`, ru: bytesRu(back.length) },
          });
        }
      }
    },
  },
  {
    id: "udp-peers",
    title: {
      en: "UDP: three peers at once each get their own datagrams back",
      ru: "UDP: каждый из трёх одновременных собеседников получает обратно свои датаграммы",
    },
    hint: {
      en: "Answer each datagram to the address receive() returned with it, not to the first peer you saw.",
      ru:
        "Отвечайте на каждую датаграмму по адресу, который receive() вернул вместе с ней, а не первому увиденному клиенту.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      const peers = [0, 1, 2].map((i) => new UdpPeer(trial.transcript, `grader udp ${i}`));
      peers.forEach((peer) => trial.defer(peer));
      for (const round of [0, 1]) {
        await Promise.all(peers.map((peer, i) => peer.send(encoder.encode(`peer ${i} round ${round}`), port)));
        for (const [i, peer] of peers.entries()) {
          const back = await peer.receive(2000);
          const text = back ? new TextDecoder().decode(back) : undefined;
          if (text !== `peer ${i} round ${round}`) {
            throw new CheckFailure({
              en: `peer ${i} did not get its own datagram back`,
              ru: `собеседник ${i} не получил обратно свою датаграмму`,
            }, {
              expected: visible(`peer ${i} round ${round}`),
              actual: text === undefined ? { en: "nothing within 2 s", ru: "ничего за 2 с" } : visible(text),
            });
          }
        }
      }
    },
  },
  portInUse("given"),
  {
    id: "ping-clean",
    title: {
      en: "ping --udp: every probe answered, a summary with the counts and round-trip times",
      ru: "ping --udp: ответ на каждую пробу, итог со счётчиками и временем туда и обратно",
    },
    hint: {
      en:
        "Number each probe, send one every --interval ms, match each reply by its number, then print the summary (given: printSummary).",
      ru:
        "Нумеруйте пробы, отправляйте по одной каждые --interval мс, сопоставляйте ответы по номеру, затем напечатайте итог (дано: printSummary).",
    },
    async run(trial) {
      const { program } = await runAgainst(
        trial,
        {},
        (port) => ["ping", "--udp", "--port", String(port), "--count", "6", "--interval", "20", "--timeout", "500"],
        8000,
      );
      expectSummary(
        program,
        { sent: 6, received: 6, lost: 0, duplicates: 0, outOfOrder: 0, lostSeqs: "none" },
        { en: "nothing was lost", ru: "ничего не потерялось" },
      );
      if (!program.stdout.some((l) => l.startsWith("rtt min/avg/p50/p99/max = "))) {
        throw new CheckFailure({
          en: "the pinger printed no round-trip times",
          ru: "пингер не напечатал время туда и обратно",
        }, {
          expected: '"rtt min/avg/p50/p99/max = …"',
          actual: visible(program.stdout.slice(-3).join("\n")),
        });
      }
    },
  },
  {
    id: "ping-loss",
    title: {
      en: "ping --udp: exactly the probes the network dropped are reported lost",
      ru: "ping --udp: потерянными названы ровно те пробы, которые выбросила сеть",
    },
    hint: {
      en:
        "Give each probe its own deadline: its send time plus --timeout. A probe with no reply by then is lost; name it, and count loss against the probes sent.",
      ru:
        "Дайте каждой пробе свой срок: время отправки плюс --timeout. Проба без ответа к этому сроку потеряна; назовите её и считайте потери от числа отправленных проб.",
    },
    async run(trial) {
      const { program } = await runAgainst(
        trial,
        { drop: [2, 5] },
        (port) => ["ping", "--udp", "--port", String(port), "--count", "8", "--interval", "20", "--timeout", "400"],
        8000,
      );
      expectSummary(
        program,
        { sent: 8, received: 6, lost: 2, duplicates: 0, outOfOrder: 0, lostSeqs: "2, 5" },
        { en: "the grader's echo dropped probes 2 and 5", ru: "эхо проверки выбросило пробы 2 и 5" },
      );
    },
  },
  {
    id: "ping-gives-up",
    title: {
      en: "ping --udp: a lost last probe costs one timeout, not a hang",
      ru: "ping --udp: потерянная последняя проба стоит одного тайм-аута, а не зависания",
    },
    hint: {
      en: "Never wait for a reply without a deadline: when every probe is answered or timed out, the run is over.",
      ru: "Никогда не ждите ответа без срока: когда каждая проба получила ответ или истекла, работа окончена.",
    },
    async run(trial) {
      const { program, ms } = await runAgainst(
        trial,
        { drop: [4] },
        (port) => ["ping", "--udp", "--port", String(port), "--count", "4", "--interval", "20", "--timeout", "400"],
        5000,
      );
      expectSummary(
        program,
        { sent: 4, received: 3, lost: 1, duplicates: 0, outOfOrder: 0, lostSeqs: "4" },
        { en: "the grader's echo dropped the last probe", ru: "эхо проверки выбросило последнюю пробу" },
      );
      trial.transcript.event("grader", `the pinger took ${Math.round(ms)} ms`);
    },
  },
  {
    id: "ping-duplicates-order",
    title: {
      en: "ping --udp: a doubled reply and two swapped replies are counted, not mistaken",
      ru: "ping --udp: удвоенный ответ и два переставленных ответа подсчитаны как есть, без путаницы",
    },
    hint: {
      en:
        "A reply to a probe already answered is a duplicate; a reply whose number is below the highest seen so far came out of order.",
      ru:
        "Ответ на уже отвеченную пробу — дубликат; ответ с номером меньше наибольшего уже увиденного пришёл не по порядку.",
    },
    async run(trial) {
      const { program } = await runAgainst(
        trial,
        { duplicate: [3], hold: [5] },
        (port) => ["ping", "--udp", "--port", String(port), "--count", "8", "--interval", "20", "--timeout", "600"],
        8000,
      );
      expectSummary(
        program,
        { sent: 8, received: 8, lost: 0, duplicates: 1, outOfOrder: 1, lostSeqs: "none" },
        {
          en: "the grader's echo answered probe 3 twice and probe 5 after probe 6",
          ru: "эхо проверки ответило на пробу 3 дважды, а на пробу 5 — после пробы 6",
        },
      );
    },
  },
  {
    id: "bulk-tcp",
    title: {
      en: "bulk --tcp against your server: every byte sent is counted, and the count says so",
      ru: "bulk --tcp против вашего сервера: каждый отправленный байт подсчитан, и это видно по итогу",
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
      const status = await bulk.exitWithin(10_000);
      const said = bulk.stdout.find((l) => /^tcp bulk to /.test(l));
      if (status?.code !== 0 || !said?.includes("3000000 bytes sent, 3000000 counted")) {
        const output = visible(said ?? bulk.stdout.slice(-2).join("\n") ?? "");
        const stderr = bulk.stderr.length ? `; stderr: ${bulk.stderr.join(" | ")}` : "";
        throw new CheckFailure({
          en: "bulk --tcp did not report 3000000 bytes sent and counted",
          ru: "bulk --tcp не сообщил, что 3000000 байтов отправлено и подсчитано",
        }, {
          expected: {
            en: '"tcp bulk to …: 3000000 bytes sent, 3000000 counted by the server" and exit code 0',
            ru: '"tcp bulk to …: 3000000 bytes sent, 3000000 counted by the server" и код выхода 0',
          },
          actual: {
            en: `${output}; ${status ? `code ${status.code}` : "still running after 10 s"}${stderr}`,
            ru: `${output}; ${status ? `код ${status.code}` : "всё ещё работает через 10 с"}${stderr}`,
          },
        });
      }
    },
  },
  {
    id: "bulk-tcp-answer",
    title: {
      en: "bulk --tcp: half-closes after the last byte and reads the count to EOF, however it is cut",
      ru: "bulk --tcp: делает half-close после последнего байта и читает число до EOF, как бы его ни нарезали",
    },
    hint: {
      en:
        "The answer is a short line, but TCP may still hand it over a byte at a time: keep reading until read() gives null, then parse.",
      ru:
        "Ответ — короткая строка, но TCP может отдать и её по байту: читайте, пока read() не вернёт null, и только потом разбирайте.",
    },
    async run(trial) {
      // The grader plays the server: it takes the bytes, waits for the
      // half-close, and answers the count one byte every 30 ms.
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
      const wanted = COUNT_HELLO.length + bytes;
      if (!await peer.waitForEof(5000)) {
        throw new CheckFailure({
          en: "bulk --tcp never half-closed, so a counting server would wait for more forever",
          ru: "bulk --tcp так и не сделал half-close, и считающий сервер вечно ждал бы продолжения",
        }, {
          expected: {
            en: `${COUNT_HELLO.length} bytes of "COUNT\\n", ${bytes} bytes, then EOF (conn.closeWrite())`,
            ru: `${bytesRu(COUNT_HELLO.length)} "COUNT\\n", затем ${bytesRu(bytes)}, затем EOF (conn.closeWrite())`,
          },
          actual: {
            en: `${peer.received.length} bytes and no EOF within 5 s`,
            ru: `${bytesRu(peer.received.length)}, а EOF за 5 с так и не пришёл`,
          },
        });
      }
      const hello = firstDifference(COUNT_HELLO, peer.received.subarray(0, COUNT_HELLO.length));
      if (hello || peer.received.length !== wanted) {
        throw new CheckFailure({
          en: "bulk --tcp did not send the COUNT line and then exactly the bytes asked for",
          ru: "bulk --tcp не отправил строку COUNT, а за ней ровно запрошенное число байтов",
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
      for (const byte of encoder.encode(`${bytes}\n`)) {
        // A client that stopped reading early may be gone: then judge what it said.
        const sent = await peer.write(new Uint8Array([byte])).then(() => true, () => false);
        if (!sent) break;
        await sleep(30);
      }
      await peer[Symbol.asyncDispose]();
      const status = await bulk.exitWithin(5000);
      const said = bulk.stdout.find((l) => /^tcp bulk to /.test(l));
      if (status?.code !== 0 || !said?.includes(`${bytes} bytes sent, ${bytes} counted`)) {
        const output = visible(said ?? bulk.stdout.slice(-2).join("\n") ?? "");
        const stderr = bulk.stderr.length ? `; stderr: ${bulk.stderr.join(" | ")}` : "";
        throw new CheckFailure({
          en: "bulk --tcp misread the answer, sent one byte at a time",
          ru: "bulk --tcp неверно прочитал ответ, присланный по одному байту",
        }, {
          expected: {
            en: `"tcp bulk to …: ${bytes} bytes sent, ${bytes} counted by the server" and exit code 0`,
            ru: `"tcp bulk to …: ${bytes} bytes sent, ${bytes} counted by the server" и код выхода 0`,
          },
          actual: {
            en: `${output}; ${status ? `code ${status.code}` : "still running after 5 s"}${stderr}`,
            ru: `${output}; ${status ? `код ${status.code}` : "всё ещё работает через 5 с"}${stderr}`,
          },
        });
      }
    },
  },
  {
    id: "bulk-udp",
    title: {
      en: "bulk --udp: datagrams sent, echoed and lost are counted exactly",
      ru: "bulk --udp: отправленные, вернувшиеся и потерянные датаграммы подсчитаны точно",
    },
    hint: {
      en: "Number each datagram; count each number once when its echo comes; lost is sent minus echoed.",
      ru:
        "Нумеруйте датаграммы; засчитывайте каждый номер один раз, когда пришло его эхо; потеряно = отправлено − вернулось.",
    },
    async run(trial) {
      const { program, echo } = await runAgainst(
        trial,
        { dropEvery: 10 },
        (port) => ["bulk", "--udp", "--port", String(port), "--bytes", "120000", "--size", "1200"],
        8000,
      );
      const said = program.stdout.find((l) => /^udp bulk to /.test(l)) ?? "";
      const answered = echo.seen.filter((seq) => seq % 10 !== 0).length;
      const want = `100 datagrams of 1200 B sent, ${answered} echoed, ${100 - answered} lost`;
      if (!said.includes(want)) {
        throw new CheckFailure({
          en: "bulk --udp miscounted what the grader's echo answered",
          ru: "bulk --udp неверно подсчитал датаграммы, на которые ответило эхо проверки",
        }, {
          expected: visible(`udp bulk to …: ${want} …`),
          actual: visible(said || program.stdout.slice(-2).join("\n")),
        });
      }
      await sleep(0);
    },
  },
  {
    id: "ping-tcp",
    title: {
      en: "ping --tcp against your server: one connection, every probe answered",
      ru: "ping --tcp против вашего сервера: одно соединение, ответ на каждую пробу",
    },
    hint: {
      en:
        "Over TCP the probes travel on one connection; fixed-size probes let the reader cut the stream back into replies.",
      ru:
        "По TCP пробы идут по одному соединению; пробы фиксированного размера позволяют разрезать поток обратно на ответы.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      const ping = trial.start("ping", ["ping", "--tcp", "--port", String(port), "--count", "5", "--interval", "10"]);
      const status = await ping.exitWithin(8000);
      if (status?.code !== 0) {
        throw new CheckFailure({ en: "ping --tcp did not finish cleanly", ru: "ping --tcp не завершился штатно" }, {
          actual: status
            ? {
              en: `code ${status.code}: ${visible(ping.stderr.join("\n"))}`,
              ru: `код ${status.code}: ${visible(ping.stderr.join("\n"))}`,
            }
            : { en: "still running after 8 s", ru: "всё ещё работает через 8 с" },
        });
      }
      expectSummary(
        ping,
        { sent: 5, received: 5, lost: 0, duplicates: 0, outOfOrder: 0, lostSeqs: "none" },
        { en: "TCP loses nothing", ru: "TCP ничего не теряет" },
      );
    },
  },
  {
    id: "compare-json",
    title: {
      en: "compare --json measures both transports, and its figures hang together",
      ru: "compare --json измеряет оба транспорта, и его цифры сходятся между собой",
    },
    hint: {
      en: "compare runs your server, pinger and bulk sender; when they pass the checks above, its figures follow.",
      ru: "compare запускает ваш сервер, пингер и bulk; когда они проходят проверки выше, его цифры сходятся.",
    },
    timeoutMs: 40_000,
    async run(trial) {
      const compare = trial.start("compare", ["compare", "--json"]);
      const status = await compare.exitWithin(30_000);
      if (status?.code !== 0) {
        throw new CheckFailure({
          en: "compare --json did not finish within 30 s with code 0",
          ru: "compare --json не завершился за 30 с с кодом 0",
        }, {
          actual: status
            ? {
              en: `code ${status.code}: ${visible(compare.stderr.join("\n"))}`,
              ru: `код ${status.code}: ${visible(compare.stderr.join("\n"))}`,
            }
            : { en: "still running", ru: "всё ещё работает" },
        });
      }
      let c;
      try {
        c = JSON.parse(compare.stdout.join("\n"));
      } catch {
        throw new CheckFailure({ en: "compare --json did not print JSON", ru: "compare --json не напечатал JSON" }, {
          actual: visible(compare.stdout.slice(0, 3).join("\n")),
        });
      }
      const problems: Bilingual[] = [];
      if (c.ping?.tcp?.lost !== 0) {
        problems.push({
          en: `TCP ping lost ${c.ping?.tcp?.lost} probes`,
          ru: `ping по TCP потерял проб: ${c.ping?.tcp?.lost}`,
        });
      }
      if (c.bulk?.tcp?.received !== c.bulk?.tcp?.sent) {
        problems.push({ en: "TCP bulk did not get every byte back", ru: "bulk по TCP получил обратно не все байты" });
      }
      const d = c.bulk?.udp?.datagrams;
      if (!d || d.sent !== d.received + d.lost) {
        problems.push({
          en: "UDP bulk: sent is not received + lost",
          ru: "bulk по UDP: sent не равно received + lost",
        });
      }
      if (c.ping?.udp?.sent !== c.ping?.udp?.received + c.ping?.udp?.lost) {
        problems.push({
          en: "UDP ping: sent is not received + lost",
          ru: "ping по UDP: sent не равно received + lost",
        });
      }
      if (c.boundaries?.udp?.length !== 3) {
        problems.push({
          en: `3 datagrams arrived as ${c.boundaries?.udp?.length} receives`,
          ru: `3 датаграммы пришли не за 3 вызова receive(), а за ${c.boundaries?.udp?.length}`,
        });
      }
      if (!(c.tcpConnectMs?.p50 > 0)) {
        problems.push({ en: "no TCP connect time", ru: "нет времени установления TCP-соединения" });
      }
      if (problems.length > 0) {
        throw new CheckFailure({
          en: "compare's figures do not hang together",
          ru: "цифры compare не сходятся между собой",
        }, {
          actual: {
            en: problems.map((problem) => problem.en).join("; "),
            ru: problems.map((problem) => problem.ru).join("; "),
          },
        });
      }
    },
  },
];

/** Known mistakes, each patched into a copy of the reference; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "ping-waits-forever",
    mistake: "the pinger waits for every reply, with no deadline per probe",
    file: "ping.ts",
    patch: [["      if (probe.sentAt + options.timeoutMs > now) break;", "      break;"]],
    rejectedBy: "ping-gives-up",
    message: /still running after 5 s/,
  },
  {
    id: "ping-arrival-order",
    mistake: "the pinger matches replies to probes by arrival order",
    file: "ping.ts",
    patch: [[
      "    const seq = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(0);",
      "    const seq = ++arrivals;",
    ], ["  let highest = 0;", "  let highest = 0;\n  let arrivals = 0;"]],
    rejectedBy: "ping-duplicates-order",
    message: /counted (duplicates|out of order|received|lost) wrong/,
  },
  {
    id: "udp-fixed-address",
    mistake: "the UDP echo answers the first peer it saw, whoever sent the datagram",
    file: "server.ts",
    patch: [["      await socket.send(data, from);", "      first ??= from;\n      await socket.send(data, first);"], [
      "  const peers = new Set<string>();",
      "  const peers = new Set<string>();\n  let first: Deno.Addr | undefined;",
    ]],
    rejectedBy: "udp-peers",
    message: /peer 1 did not get its own datagram back/,
  },
  {
    id: "loss-of-received",
    mistake: "the pinger computes loss as a share of the replies received, not of the probes sent",
    file: "ping.ts",
    patch: [[
      "    lossPercent: lostSeqs.length / options.count * 100,",
      "    lossPercent: lostSeqs.length / rtts.length * 100,",
    ]],
    rejectedBy: "ping-loss",
    message: /loss is 33\.3%, but 2 of 8 is 25\.0%/,
  },
  {
    id: "answer-read-once",
    mistake: "bulk --tcp takes the first read as the whole answer",
    file: "bulk.ts",
    patch: [[
      "  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer.subarray(length))) {",
      "  for (let n = await conn.read(buffer); n !== null; n = null) {",
    ]],
    rejectedBy: "bulk-tcp-answer",
    message: /misread the answer, sent one byte at a time/,
  },
  {
    id: "no-half-close",
    mistake: "bulk --tcp waits for the answer without half-closing first",
    file: "bulk.ts",
    patch: [["    await conn.closeWrite();\n", ""]],
    rejectedBy: "bulk-tcp-answer",
    message: /never half-closed/,
  },
];

/** Lesson 4 as the grader knows it. */
export const lesson: Lesson = {
  number: 4,
  slug: "04-tcp-vs-udp",
  title: { en: "TCP versus UDP, measured", ru: "TCP против UDP, с измерениями" },
  checks,
  variants,
  given: ["main.ts", "stats.ts", "relay.ts", "boundaries.ts", "compare.ts"],
  demo: [/^\[compare\] TCP vs UDP on loopback$/m, /^\[compare\] TCP vs UDP, UDP through the relay/m],
};
