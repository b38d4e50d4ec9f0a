/**
 * Lesson 3's hardening checks: what one bad client may cost the others. A
 * client that resets mid-line or mid-broadcast, one that stops reading, one
 * that floods (and the token bucket's exact edges), lines at and over the
 * limit, a hundred clients, and a full house.
 *
 * @module
 */
import net from "node:net";
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import { visible } from "../../harness/bytes.ts";
import { sleep } from "../../harness/deadline.ts";
import { resetConnection } from "../../harness/socket.ts";
import type { Address, LearnerProcess } from "../../harness/process.ts";
import { assertAlive } from "../../harness/programs.ts";
import { everyoneGets } from "./core.ts";
import { DELIVERY_MS, hereList, joined, joinThenReset, Member, numbered, startChat } from "./member.ts";

/** A console line of about 4 KB: its number, then filler. */
const bigLine = (i: number, fill: string) => `${String(i).padStart(5, "0")} ${fill.repeat(4000)}`;
/**
 * Lines typed at the console per round: about 128 KiB, half the default
 * queue. A round is typed only once every reader has the one before, so a
 * client that reads is never more than a round behind, and its queue can
 * never overflow however its server writes.
 */
const ROUND = 32;

/**
 * Types big lines at the server's console, a round of {@linkcode ROUND} at a
 * time, each round only once every reader has the one before (or one of
 * them has received nothing for `stallMs`). Stops after the round in which
 * `enough()` became true, or after `max` lines. Returns the lines typed
 * (without `server: `), and whether the readers stalled. `started`, if
 * given, gets the time (`performance.now()`) each round began to be typed.
 */
async function pushLines(
  server: LearnerProcess,
  readers: Member[],
  fill: string,
  enough: () => boolean,
  { max, stallMs, from = 0, started }: { max: number; stallMs: number; from?: number; started?: number[] },
): Promise<{ lines: string[]; stalled: boolean }> {
  const lines: string[] = [];
  while (lines.length < max) {
    const round = Array.from({ length: ROUND }, (_, i) => bigLine(from + lines.length + i, fill));
    lines.push(...round);
    started?.push(performance.now());
    await server.type(joined(round), 10_000);
    const last = `server: ${round.at(-1)}`;
    for (const reader of readers) {
      while (!reader.lines.includes(last)) {
        const before = reader.received;
        await reader.until(() => reader.received > before, stallMs);
        if (reader.received === before) return { lines, stalled: true };
      }
    }
    if (enough()) break;
  }
  return { lines, stalled: false };
}

/** Fails unless `member`'s welcome lists `name`, or `name` joined since. */
function expectIn(member: Member, name: string) {
  if (hereList(member.lines[0], [name]).length || member.lines.includes(`* ${name} joined`)) return;
  throw new CheckFailure({
    en: `${name} (which reads nothing) was not in the room when ${member.name} joined`,
    ru: `когда вошёл ${member.name}, ${name} (клиента, который ничего не читает) в комнате не было`,
  }, { expected: `"* welcome, ${member.name}; here: ${name}"`, actual: visible(member.lines[0]) });
}

/** A client that joins as `name` and then reads nothing, and can reset its connection (TCP RST) when told. */
async function stalledResetter(trial: Trial, address: Address, name: string) {
  if (address.transport !== "tcp") throw new Error("chat members connect over TCP");
  const socket = net.connect({ host: address.host, port: address.port });
  socket.on("error", () => {});
  trial.defer({ [Symbol.dispose]: () => socket.destroy() });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  trial.transcript.event(name, `connected; sends ${visible(`${name}\n`)} and reads nothing from then on`);
  socket.write(`${name}\n`);
  // Not one byte read: the server's lines pile up in the kernel.
  socket.pause();
  return {
    reset() {
      trial.transcript.event(name, "resets its connection (RST) in the middle of the broadcast");
      socket.resetAndDestroy();
    },
  };
}

/**
 * Sends `count` lines from `flooder` at once and watches `watcher` receive
 * them: at every arrival, no more of them may have come than the token
 * bucket allows since they were sent (`burst` + `rate` a second: a bucket
 * that waited full holds no more than `burst`).
 * Returns the arrival times (ms since `since`).
 */
async function watchBucket(
  flooder: Member,
  watcher: Member,
  count: number,
  { rate, burst, since, ms }: { rate: number; burst: number; since: number; ms: number },
  during?: (seen: number, judge: () => void) => Promise<void>,
): Promise<number[]> {
  const prefix = `${flooder.name}: `;
  // A bucket never holds more than --burst, however long it waited: counted from when the lines were sent.
  let sentAt = performance.now();
  /** Fails when more of the flooder's lines have arrived than the bucket allows by now. */
  const judge = () => {
    const elapsed = performance.now() - sentAt;
    const allowed = burst + Math.floor(rate * elapsed / 1000);
    const got = watcher.lines.filter((l) => l.startsWith(prefix)).length;
    if (got > allowed) {
      throw new CheckFailure({
        en:
          `more of ${flooder.name}'s lines went through than --burst ${burst} and --rate ${rate} allow: ${got} within ${
            Math.round(elapsed)
          } ms of sending them`,
        ru: `прошло больше строк ${flooder.name}, чем позволяют --burst ${burst} и --rate ${rate}: ${got} за ${
          Math.round(elapsed)
        } мс после их отправки`,
      }, {
        expected: {
          en: `at most ${allowed} (${burst} at once, then ${rate} a second)`,
          ru: `не больше ${allowed} (${burst} сразу, затем ${rate} в секунду)`,
        },
        actual: { en: `${got} lines`, ru: `строк: ${got}` },
      });
    }
  };
  const arrivals: number[] = [];
  const deadline = performance.now() + ms;
  sentAt = performance.now();
  await flooder.say(joined(numbered("spam", count)));
  let seen = 0;
  while (seen < count) {
    const left = deadline - performance.now();
    const more = await watcher.until(() => watcher.lines.filter((l) => l.startsWith(prefix)).length > seen, left);
    const now = performance.now();
    const got = watcher.lines.filter((l) => l.startsWith(prefix)).length;
    if (!more) {
      throw new CheckFailure({
        en: `${flooder.name}'s lines stopped: ${got} of ${count} arrived within ${
          Math.round(ms / 1000)
        } s, though the bucket refills at --rate ${rate} a second`,
        ru: `строки ${flooder.name} перестали приходить: за ${
          Math.round(ms / 1000)
        } с дошло ${got} из ${count}, хотя ведро пополняется со скоростью --rate ${rate} в секунду`,
      }, {
        expected: {
          en: `all ${count}, ${rate} a second after the first ${burst}`,
          ru: `все ${count}, по ${rate} в секунду после первых ${burst}`,
        },
        actual: { en: `${got} lines`, ru: `строк: ${got}` },
      });
    }
    for (; seen < got; seen++) arrivals.push(Math.round(now - since));
    judge();
    await during?.(seen, judge);
  }
  return arrivals;
}

export const hardening: Check[] = [
  {
    id: "reset-mid-line",
    title: {
      en:
        "a client that resets its connection mid-line is announced as '* NAME lost the connection…'; its half line is not relayed, its name is free, the server lives on",
      ru:
        "о клиенте, сбросившем соединение посреди строки, сообщают '* ИМЯ lost the connection…'; его полстроки не пересылаются, имя свободно, сервер продолжает работу",
    },
    hint: {
      en:
        "A reset makes read() throw: catch it for that client alone, remove the client and tell the others it lost the connection. Bytes without their \\n are not a line.",
      ru:
        "Из-за сброса read() бросает исключение: ловите его для этого клиента, уберите клиента и сообщите остальным, что он потерял соединение. Байты без \\n — ещё не строка.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      await joinThenReset(trial, address, "rex", "half a li");
      const about = (line: string) => line.startsWith("* rex ") && line !== "* rex joined";
      await ann.until(() => ann.fresh().some(about), DELIVERY_MS);
      await server.exitWithin(ann.done ? 500 : 0);
      assertAlive(server, { en: "a client reset its connection", ru: "клиент сбросил соединение" });
      const notice = await ann.expectLine(about, {
        en: "a notice that rex is gone",
        ru: "уведомления о том, что rex пропал",
      });
      if (!notice.startsWith("* rex lost the connection")) {
        throw new CheckFailure({
          en: "rex reset its connection, and the others were told something else than that it lost the connection",
          ru: "rex сбросил соединение, а остальным сообщили не о потере соединения, а о другом",
        }, { expected: visible("* rex lost the connection (…)"), actual: visible(notice) });
      }
      const again = await Member.join(trial, address, "rex");
      if (again.name !== "rex") {
        throw new CheckFailure({
          en: `the name of rex, which reset its connection, was still taken: the newcomer became "${again.name}"`,
          ru: `имя rex, сбросившего соединение, всё ещё занято: новичок получил имя "${again.name}"`,
        }, { expected: "* welcome, rex; here: ann", actual: visible(again.lines[0]) });
      }
      await ann.expectLine((line) => line === "* rex joined", '"* rex joined"');
      await ann.expectNone((line) => line.startsWith("rex: "), {
        en: "the half line of rex, which reset before its \\n, relayed as a line",
        ru: "полстроки rex, сбросившего соединение до \\n, пересланные как строку",
      });
    },
  },
  {
    id: "reset-mid-broadcast",
    title: {
      en: "a client that resets its connection while a broadcast waits on it costs nobody else a line",
      ru: "клиент, сбросивший соединение (RST), пока рассылка ждёт его, не лишает остальных ни одной строки",
    },
    hint: {
      en:
        "A write to a reset client fails. Catch that per recipient: the broadcast must reach every other client, and the server must live on.",
      ru:
        "Запись клиенту, сбросившему соединение, падает. Ловите ошибку для каждого получателя отдельно: рассылка должна дойти до всех остальных, а сервер — продолжить работу.",
    },
    timeoutMs: 40_000,
    async run(trial) {
      const { server, address } = await startChat(trial);
      // rex joins first (every broadcast meets it first) and reads nothing.
      const rex = await stalledResetter(trial, address, "rex");
      // A probe waits until rex is in and leaves: ann then joins after rex, whatever the server's pace.
      const probe = await Member.join(trial, address, "probe");
      if (!hereList(probe.lines[0], ["rex"]).length) {
        await probe.expectLine((line) => line === "* rex joined", '"* rex joined"');
      }
      await probe.hangUp();
      const ann = await Member.join(trial, address, "ann");
      expectIn(ann, "rex");
      ann.take();
      // Lines until rex's buffers are full: the server either waits on rex (the others stall) or drops it.
      const gone = () => ann.lines.some((line) => line.startsWith("* rex ") && line !== "* rex joined");
      const first = await pushLines(server, [ann], "r", gone, { max: 6144, stallMs: 300 });
      rex.reset();
      // One more round after the reset.
      const second = await pushLines(server, [ann], "r", () => true, {
        max: ROUND,
        stallMs: 3000,
        from: first.lines.length,
      });
      const lines = [...first.lines, ...second.lines];
      assertAlive(server, {
        en: "a client reset its connection during a broadcast",
        ru: "клиент сбросил соединение посреди рассылки",
      });
      const so = { en: "rex reset its connection meanwhile", ru: "тем временем rex сбросил соединение" };
      await everyoneGets([ann], undefined, lines.map((l) => `server: ${l}`), so);
    },
  },
  {
    id: "slow-reader",
    title: {
      en:
        "a client that stops reading is dropped ('* NAME dropped: send queue exceeded…'), told why if it reads again, and closed; the others get every line meanwhile",
      ru:
        "клиента, который перестал читать, отключают ('* ИМЯ dropped: send queue exceeded…'), говорят ему причину, если он снова читает, и закрывают; остальные тем временем получают каждую строку",
    },
    hint: {
      en:
        "Never await one client's write inside the broadcast. Give each client a queue with a byte limit (--max-queue); when a client's queue would overflow, drop that client.",
      ru:
        "Не ждите записи одному клиенту внутри рассылки. Дайте каждому клиенту очередь с лимитом в байтах (--max-queue); если она переполнится, отключите этого клиента.",
    },
    timeoutMs: 40_000,
    async run(trial) {
      const { server, address } = await startChat(trial);
      const sleepy = await Member.join(trial, address, "sleepy", false);
      const ben = await Member.join(trial, address, "ben");
      // sleepy's name may still be on its way when ben joins.
      if (!hereList(ben.lines[0], ["sleepy"]).length) {
        await ben.expectLine((line) => line === "* sleepy joined", '"* sleepy joined"');
      }
      ben.take();
      // Rounds of 128 KiB until sleepy is dropped (its kernel buffers take megabytes first), at most 24 MiB.
      const about = (line: string) => line.startsWith("* sleepy ") && line !== "* sleepy joined";
      const dropped = () => ben.lines.some(about);
      // sleepy reads again the moment ben hears it was dropped, well within the 1 s its last line may take.
      void ben.until(dropped, 40_000).then((yes) => yes && sleepy.resume());
      const max = 6144;
      const started: number[] = [];
      const first = await pushLines(server, [ben], "z", dropped, { max, stallMs: 3000, started });
      const got = ben.lines.filter((line) => line.startsWith("server: ")).length;
      if (first.stalled) {
        throw new CheckFailure({
          en:
            `ben stopped receiving after ${got} of ${first.lines.length} lines while sleepy read nothing: one stalled reader holds up everyone`,
          ru:
            `ben перестал получать строки после ${got} из ${first.lines.length}, пока sleepy ничего не читал: один застрявший читатель задерживает всех`,
        }, {
          expected: { en: "every line, without a pause of 3 s", ru: "каждая строка, без пауз по 3 с" },
          actual: { en: `${got} lines, then nothing for 3 s`, ru: `строк: ${got}, затем 3 с ничего` },
        });
      }
      if (!dropped()) {
        throw new CheckFailure({
          en: `the client that stopped reading was never dropped, after ${
            Math.round(first.lines.length * 4007 / 1048576)
          } MiB it did not read: its queue grows without limit`,
          ru: `клиента, который перестал читать, так и не отключили после ${
            Math.round(first.lines.length * 4007 / 1048576)
          } МиБ, которые он не прочитал: его очередь растёт без ограничений`,
        }, {
          expected: {
            en: '"* sleepy dropped: send queue exceeded …" to the others, and sleepy\'s connection closed',
            ru: 'остальным "* sleepy dropped: send queue exceeded …", а соединение sleepy закрыто',
          },
          actual: { en: "no notice about sleepy", ru: "никакого уведомления о sleepy" },
        });
      }
      const notice = ben.lines.find(about)!;
      if (!notice.startsWith("* sleepy dropped: send queue exceeded")) {
        throw new CheckFailure({
          en: "sleepy, which stopped reading, was not announced as dropped for its send queue",
          ru: "о sleepy, который перестал читать, не сообщили, что его отключили из-за очереди отправки",
        }, { expected: visible("* sleepy dropped: send queue exceeded …"), actual: visible(notice) });
      }
      // One more round after the drop, then every line must be there.
      const second = await pushLines(server, [ben], "z", () => true, {
        max: ROUND,
        stallMs: 3000,
        from: first.lines.length,
      });
      const lines = [...first.lines, ...second.lines];
      await everyoneGets([ben], undefined, lines.map((l) => `server: ${l}`), {
        en: "sleepy read nothing meanwhile",
        ru: "sleepy тем временем ничего не читал",
      });
      // sleepy reads again (if it has not yet): what is left comes, then the close.
      sleepy.resume();
      if (!await sleepy.closedWithin(DELIVERY_MS)) {
        throw new CheckFailure({
          en: "sleepy was announced as dropped, yet its connection stayed open",
          ru: "о том, что sleepy отключили, сообщили, а его соединение осталось открытым",
        }, {
          expected: {
            en: "EOF (or a reset) once sleepy reads again",
            ru: "EOF (или сброс), когда sleepy снова читает",
          },
          actual: { en: "still open", ru: "всё ещё открыто" },
        });
      }
      // Its last line is why, if it read again soon enough. The drop came after the round holding the first line
      // sleepy did not get had begun; judged only if sleepy's connection ended less than 0.9 s after that, when
      // the server's 1 s for a last line cannot have run out.
      const lastZ = sleepy.lines.findLast((line) => line.startsWith("server: "));
      const next = lastZ === undefined ? 0 : Number(lastZ.slice(8, 13)) + 1;
      const since = started[Math.floor(next / ROUND)];
      const last = sleepy.lines.at(-1) ?? "";
      if (
        sleepy.eof && since !== undefined && sleepy.endedAt !== undefined && sleepy.endedAt - since < 900 &&
        !last.startsWith("* dropped: send queue exceeded")
      ) {
        throw new CheckFailure({
          en:
            "sleepy, dropped for its send queue, read again at once and got every line queued for it, but not why it was dropped",
          ru:
            "sleepy, отключённый из-за очереди отправки, сразу снова начал читать и получил все строки из своей очереди, но не причину отключения",
        }, {
          expected: {
            en: '"* dropped: send queue exceeded …" as its last line',
            ru: '"* dropped: send queue exceeded …" последней строкой',
          },
          actual: visible(last.slice(0, 80) || "(nothing)"),
        });
      }
      assertAlive(server, { en: "a client stopped reading", ru: "клиент перестал читать" });
    },
  },
  {
    id: "flood",
    title: {
      en:
        "a client that floods gets no more through than --burst then --rate allow, is told and logged once, and is read no further meanwhile; the others talk as usual",
      ru:
        "флудящий клиент проводит не больше строк, чем позволяют --burst, затем --rate, один раз получает уведомление и попадает в лог, и пока его больше не читают; остальные разговаривают как обычно",
    },
    hint: {
      en:
        "Give each client its own token bucket, taken one token per line. When it is empty, tell the client once, relay nothing more of it and read nothing more from it until a token is due.",
      ru:
        "Дайте каждому клиенту своё ведро токенов, по токену на строку. Когда оно пусто, один раз скажите об этом клиенту и ничего больше от него не пересылайте и не читайте, пока не появится токен.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const since = performance.now();
      const flood = await Member.join(trial, address, "flood");
      const ben = await Member.join(trial, address, "ben");
      const cat = await Member.join(trial, address, "cat");
      await ben.expectLine((line) => line === "* cat joined", '"* cat joined"');
      const bound = () => {
        const elapsed = performance.now() - since;
        const allowed = 100 + Math.floor(20 * elapsed / 1000);
        const got = ben.lines.filter((l) => l.startsWith("flood: ")).length;
        if (got > allowed) {
          throw new CheckFailure({
            en: `more of flood's lines went through than --burst 100 and --rate 20 allow: ${got} within ${
              Math.round(elapsed)
            } ms of connecting`,
            ru: `прошло больше строк flood, чем позволяют --burst 100 и --rate 20: ${got} за ${
              Math.round(elapsed)
            } мс после подключения`,
          }, {
            expected: {
              en: `at most ${allowed} (100 at once, then 20 a second)`,
              ru: `не больше ${allowed} (100 сразу, затем 20 в секунду)`,
            },
            actual: { en: `${got} lines`, ru: `строк: ${got}` },
          });
        }
      };
      await flood.say(joined(numbered("spam", 2000)));
      await ben.until(() => ben.lines.some((l) => l.startsWith("flood: ")), DELIVERY_MS);
      await cat.say("still there?\n");
      await ben.expectLine((line) => line === "cat: still there?", {
        en: "cat's line while flood was flooding",
        ru: "строку от cat, отправленную, пока flood заваливал чат",
      });
      bound();
      const told = await flood.until(
        () => flood.lines.slice(1).some((line) => /^\* (slow down|dropped): /.test(line)),
        DELIVERY_MS,
      );
      bound();
      if (!told) {
        throw new CheckFailure({
          en: "flood was slowed down or dropped without being told",
          ru: "flood притормозили или отключили, ничего ему не сообщив",
        }, {
          expected: {
            en: 'a notice to flood: "* slow down: …" (or "* dropped: …")',
            ru: 'уведомление для flood: "* slow down: …" (или "* dropped: …")',
          },
          actual: {
            en: visible(flood.lines.slice(1, 3).join("\n") || "(nothing)"),
            ru: visible(flood.lines.slice(1, 3).join("\n") || "(ничего)"),
          },
        });
      }
      // Up to 16 MiB more, 64 KiB a write: a server that stops reading flood lets its writes stall (the rest waits in
      // flood's own kernel, a few MiB); one that keeps reading takes it all, however slowly, never pausing 500 ms.
      const chunk = new TextEncoder().encode("spam spam spam.\n".repeat(4096));
      let taken = 0;
      for (; taken < 256 && !flood.done; taken++) {
        const writing = flood.say(chunk, 60_000).then(() => "sent", () => "failed");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stalled = new Promise<string>((resolve) => timer = setTimeout(() => resolve("stalled"), 500));
        const outcome = await Promise.race([writing, stalled]);
        clearTimeout(timer);
        if (outcome !== "sent") break;
      }
      trial.transcript.event("grader", `flood's writes took ${taken * 64} KiB more before they stalled`);
      bound();
      if (taken === 256 && !flood.done) {
        throw new CheckFailure({
          en: "the server kept reading flood while over the rate: it took in 16 MiB more without a pause",
          ru: "сервер продолжал читать flood сверх допустимой частоты: он без остановки принял ещё 16 МиБ",
        }, {
          expected: {
            en: "no reading from flood until a token is due, so its writes stall",
            ru: "никакого чтения от flood, пока не появится токен, так что его запись застревает",
          },
          actual: { en: "all 16 MiB taken in", ru: "все 16 МиБ приняты" },
        });
      }
      // Told once, and logged once: not once a line or once a wait.
      const notices = flood.lines.filter((line) => line.startsWith("* slow down: ")).length;
      // After the line of its arrival (the one with its address), if the server logs that.
      const arrived = server.stdout.findIndex((line) => line.includes(flood.localAddress));
      const logged = server.stdout.slice(arrived + 1).filter((line) => line.includes("flood")).length;
      if (notices > 1 || logged > 1) {
        throw new CheckFailure({
          en: `flood's flooding was ${notices > 1 ? "told to flood" : "logged"} ${
            Math.max(notices, logged)
          } times; once is enough`,
          ru: `о флуде flood ${notices > 1 ? "сообщили ему" : "записали в лог"} ${
            Math.max(notices, logged)
          } раз; хватит одного`,
        }, {
          expected: { en: "one notice, one log line", ru: "одно уведомление, одна строка лога" },
          actual: {
            en: `${notices} notices, ${logged} log lines`,
            ru: `уведомлений: ${notices}, строк лога: ${logged}`,
          },
        });
      }
      assertAlive(server, { en: "a client flooded the chat", ru: "клиент завалил чат строками" });
    },
  },
  {
    id: "token-bucket",
    title: {
      en:
        "with --burst 5 --rate 2, exactly 5 lines go at once and the sixth half a second later, while another client's lines are not held up; --rate 0 turns the limit off",
      ru:
        "с --burst 5 --rate 2 сразу проходят ровно 5 строк, а шестая — через полсекунды, и строки другого клиента это не задерживает; --rate 0 снимает ограничение",
    },
    hint: {
      en:
        "The bucket starts full with --burst tokens and refills at --rate a second (never above --burst); each line takes one. Each client has its own. With --rate 0 there is no limit at all.",
      ru:
        "Ведро начинает полным, с --burst токенами, и пополняется со скоростью --rate в секунду (не выше --burst); каждая строка забирает один токен. У каждого клиента своё ведро. С --rate 0 ограничения нет вовсе.",
    },
    async run(trial) {
      const [limited, unlimited] = await Promise.all([
        startChat(trial, ["--burst", "5", "--rate", "2"]),
        startChat(trial, ["--burst", "1", "--rate", "0"]),
      ]);
      const since = performance.now();
      const ann = await Member.join(trial, limited.address, "ann");
      const ben = await Member.join(trial, limited.address, "ben");
      const cat = await Member.join(trial, limited.address, "cat");
      await ben.expectLine((line) => line === "* cat joined", '"* cat joined"');
      const free = await Member.join(trial, unlimited.address, "free");
      const dot = await Member.join(trial, unlimited.address, "dot");
      await free.expectLine((line) => line === "* dot joined", '"* dot joined"');
      // Once ann's bucket is empty, cat sends five lines: its own bucket is full, so they pass at once.
      // Through one shared bucket they would need five tokens, two and a half seconds at --rate 2.
      let catSpoke = false;
      const arrivals = await watchBucket(ann, ben, 6, { rate: 2, burst: 5, since, ms: 6000 }, async (seen, judge) => {
        if (seen < 5 || catSpoke) return;
        catSpoke = true;
        await cat.say(joined(numbered("cat", 5)));
        const passed = await ben.until(() => ben.lines.includes(`cat: ${numbered("cat", 5)[4]}`), 1800);
        judge();
        if (!passed) {
          const got = ben.lines.filter((l) => l.startsWith("cat: ")).length;
          throw new CheckFailure({
            en: "cat's five lines waited behind ann's flood: the clients share one bucket",
            ru: "пять строк cat ждали, пока пройдёт флуд ann: у клиентов одно общее ведро",
          }, {
            expected: { en: "cat's five lines at once", ru: "пять строк cat сразу" },
            actual: { en: `${got} of them within 1.8 s`, ru: `за 1,8 с дошло ${got}` },
          });
        }
      });
      trial.transcript.event("grader", `ann's 6 lines reached ben at ${arrivals.join(", ")} ms`);
      // --rate 0: 300 lines at once, all of them.
      await free.say(joined(numbered("free", 300)));
      await everyoneGets([dot], undefined, numbered("free", 300).map((l) => `free: ${l}`), {
        en: "with --rate 0 (no limit), free sent 300 lines at once",
        ru: "с --rate 0 (без ограничения) free отправил 300 строк разом",
      });
    },
  },
  {
    id: "long-line",
    title: {
      en:
        "a line of exactly --max-line bytes (4096, in 2-byte letters; or 100) is relayed; one byte more, or 64 KiB without \\n, gets its sender '* dropped: …' and a close, the others '* NAME dropped: …'",
      ru:
        "строка ровно в --max-line байт (4096 двухбайтовыми буквами или 100) пересылается; на байт больше или 64 КиБ без \\n — отправителю '* dropped: …' и закрытие, остальным '* ИМЯ dropped: …'",
    },
    hint: {
      en:
        "Count bytes, not characters, and keep at most --max-line of an unfinished line. Past it: tell the sender why, disconnect it, tell the others it was dropped.",
      ru:
        "Считайте байты, а не символы, и держите не больше --max-line байт незаконченной строки. Сверх этого: скажите отправителю причину, отключите его и сообщите остальным, что его отключили.",
    },
    async run(trial) {
      const [normal, small] = await Promise.all([startChat(trial), startChat(trial, ["--max-line", "100"])]);
      const cases: [LearnerProcess, Address, number, string][] = [
        [normal.server, normal.address, 4096, "ж".repeat(2048)],
        [small.server, small.address, 100, "ж".repeat(50)],
      ];
      await Promise.all(cases.map(async ([server, address, limit, text]) => {
        const flag = limit === 4096 ? "" : ` (--max-line ${limit})`;
        const ann = await Member.join(trial, address, "ann");
        const big = await Member.join(trial, address, "big");
        const huge = await Member.join(trial, address, "huge");
        await ann.expectLine((line) => line === "* huge joined", '"* huge joined"');
        await big.say(`${text}\n`);
        await ann.until(
          () => ann.lines.includes(`big: ${text}`) || ann.lines.some((l) => l.startsWith("* big dropped")),
          DELIVERY_MS,
        );
        if (!ann.lines.includes(`big: ${text}`)) {
          throw new CheckFailure({
            en: `a line of exactly ${limit} bytes${flag} (${limit / 2} two-byte letters) was not relayed whole`,
            ru: `строка ровно в ${limit} байт${flag} (${limit / 2} двухбайтовых букв) не переслана целиком`,
          }, {
            expected: visible(`big: ${text}`, 60),
            actual: visible(ann.fresh().slice(-1).join("") || "(nothing)", 60),
          });
        }
        await big.say(`${text}x\n`).catch(() => {});
        await huge.say(new Uint8Array(64 * 1024).fill(0x78)).catch(() => {});
        for (const [member, what] of [[big, `${limit + 1} bytes`], [huge, "64 KiB without \\n"]] as const) {
          const closed = await member.closedWithin(DELIVERY_MS);
          const last = member.lines.at(-1) ?? "";
          if (!closed || !last.startsWith("* dropped: ")) {
            throw new CheckFailure({
              en: `the sender of a line of ${what}${flag} was not told "* dropped: …" and disconnected`,
              ru: `отправителю строки в ${what}${flag} не сказали "* dropped: …" и не отключили его`,
            }, {
              expected: {
                en: `"* dropped: line longer than ${limit} bytes" (or another reason), then the close`,
                ru: `"* dropped: line longer than ${limit} bytes" (или другая причина), затем закрытие`,
              },
              actual: {
                en: `${visible(last || "(nothing)")}${closed ? ", then the close" : ", connection still open"}`,
                ru: `${visible(last || "(ничего)")}${closed ? ", затем закрытие" : ", соединение всё ещё открыто"}`,
              },
            });
          }
          await ann.expectLine(
            (line) => line.startsWith(`* ${member.name} dropped: `),
            `"* ${member.name} dropped: …"`,
          );
        }
        await ann.expectNone((line) => line.startsWith("big: ") && line !== `big: ${text}`, {
          en: `part of the line over ${limit} bytes${flag}, relayed`,
          ru: `часть строки длиннее ${limit} байт${flag}, пересланную дальше`,
        });
        assertAlive(server, { en: "clients sent lines over the limit", ru: "клиенты прислали строки сверх лимита" });
      }));
    },
  },
  {
    id: "control-characters",
    title: {
      en:
        "a line with control characters (ESC, CR, NUL, BEL) is not relayed and its sender gets '* error: …'; a tab passes, and the sender's next line goes through",
      ru:
        "строку с управляющими символами (ESC, CR, NUL, BEL) не пересылают, а отправителю приходит '* error: …'; табуляция проходит, следующая строка отправителя тоже",
    },
    hint: {
      en:
        "Check each line's text for control characters (hasControl in framing.ts) next to the UTF-8 check, and answer the sender alone, as for a line that is not UTF-8.",
      ru:
        "Проверяйте текст каждой строки на управляющие символы (hasControl из framing.ts) рядом с проверкой UTF-8 и отвечайте только отправителю, как на строку не в UTF-8.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      await ann.expectLine((line) => line === "* ben joined", '"* ben joined"');
      ann.take();
      const hostile = [
        "red \x1b[31malert",
        "clear \x1b[2J",
        "over\rwrite",
        "nul \x00 byte",
        "bell \x07",
        "c1 \u009b2J",
      ];
      await ben.say(joined([...hostile, "tab\tis fine", "plain again"]));
      await ann.expectLine((line) => line === "ben: plain again", '"ben: plain again"');
      // deno-lint-ignore no-control-regex
      await ann.expectNone((line) => /[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(line), {
        en: "a line with control characters, relayed as it came (it would reach every terminal in the room)",
        ru: "строку с управляющими символами, пересланную как есть (она попала бы в каждый терминал в комнате)",
      });
      const relayed = ann.take();
      if (!relayed.includes("ben: tab\tis fine")) {
        throw new CheckFailure({
          en: "a line with a tab in it was not relayed: a tab is not one of the control characters refused",
          ru: "строку с табуляцией не переслали: табуляция не входит в отвергаемые управляющие символы",
        }, { expected: visible("ben: tab\tis fine"), actual: visible(relayed.join("\n") || "(nothing)") });
      }
      const leaked = relayed.find((line) =>
        line.startsWith("ben: ") && line !== "ben: tab\tis fine" && line !== "ben: plain again"
      );
      if (leaked !== undefined) {
        throw new CheckFailure({
          en: "a line with control characters reached the others (changed, but still relayed)",
          ru: "строка с управляющими символами дошла до остальных (изменённой, но всё же переслана)",
        }, { expected: { en: "not relayed", ru: "не переслана" }, actual: visible(leaked) });
      }
      await ben.until(
        () => ben.fresh().filter((line) => line.startsWith("* error")).length >= hostile.length,
        DELIVERY_MS,
      );
      const errors = ben.take().filter((line) => line.startsWith("* error"));
      if (errors.length < hostile.length) {
        throw new CheckFailure({
          en: `ben sent ${hostile.length} lines with control characters and was told about ${errors.length} of them`,
          ru: `ben отправил ${hostile.length} строк с управляющими символами, а сообщили ему о ${errors.length}`,
        }, {
          expected: {
            en: `${hostile.length} lines starting with "* error"`,
            ru: `${hostile.length} строк, начинающихся с "* error"`,
          },
          actual: visible(errors.join("\n") || "(nothing)"),
        });
      }
      assertAlive(server, { en: "a client sent control characters", ru: "клиент прислал управляющие символы" });
    },
  },
  {
    id: "reset-storm",
    title: {
      en:
        "600 connections reset before they are accepted slow nobody down: the next client is welcomed within 2.5 s, and the server logs the storm in a few lines, not one per reset",
      ru:
        "600 соединений, сброшенных до accept, никого не замедляют: следующего клиента приветствуют за 2,5 с, а сервер пишет о буре несколько строк, а не по строке на каждый сброс",
    },
    hint: {
      en:
        "When accept() fails for one connection (reset before you took it), accept the next at once; pause only when the process is out of descriptors. Log the first failure, then a count once a second.",
      ru:
        "Если accept() не удался из-за одного соединения (сброшено до того, как вы его приняли), сразу принимайте следующее; пауза нужна, только когда у процесса кончились дескрипторы. Запишите в лог первую ошибку, затем раз в секунду их число.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { server, address } = await startChat(trial);
      if (address.transport !== "tcp") throw new Error("the chat listens on TCP");
      const before = server.stdout.length;
      trial.transcript.event("grader", "opens 600 connections and resets each at once (RST), 50 at a time");
      for (let i = 0; i < 600; i += 50) {
        await Promise.all(Array.from({ length: 50 }, () => resetConnection(address.host, address.port)));
      }
      const started = performance.now();
      const eve = await Member.connect(trial, address, "eve");
      await eve.say("eve\n");
      await eve.until(() => eve.lines.length > 0, 2500);
      const waited = Math.round(performance.now() - started);
      if (!eve.lines[0]?.startsWith("* welcome, eve")) {
        throw new CheckFailure({
          en: `after 600 connections reset before they were accepted, a new client waited ${waited} ms for its welcome`,
          ru: `после 600 соединений, сброшенных до accept, новый клиент ждал приветствия ${waited} мс`,
        }, {
          expected: { en: "* welcome, eve; … within 2.5 s", ru: "* welcome, eve; … за 2,5 с" },
          actual: visible(eve.lines[0] ?? "(nothing yet)"),
        });
      }
      // Whatever the storm was still to log arrives within its second.
      await sleep(1200);
      const logged = server.stdout.slice(before).filter((line) => !line.startsWith("eve joined"));
      if (logged.length > 20) {
        throw new CheckFailure({
          en: `the server logged ${logged.length} lines about 600 reset connections: a storm must be logged as a count`,
          ru: `сервер записал в лог ${logged.length} строк о 600 сброшенных соединениях: о буре надо сообщать числом`,
        }, {
          expected: { en: "at most 20 lines", ru: "не больше 20 строк" },
          actual: visible(logged.slice(0, 3).join("\n")),
        });
      }
      assertAlive(server, { en: "600 connections were reset", ru: "600 соединений сбросили" });
    },
  },
  {
    id: "many-clients",
    title: {
      en: "100 clients connected at once each get a line from one of them",
      ru: "каждый из 100 одновременно подключённых клиентов получает строку от одного из них",
    },
    hint: {
      en: "Accept without waiting for earlier clients, and keep the listen backlog large enough.",
      ru: "Принимайте, не дожидаясь предыдущих клиентов, и держите очередь listen достаточно большой.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { address } = await startChat(trial);
      const joinedAll = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) => Member.join(trial, address, `m${i}`)),
      );
      const members = joinedAll.flatMap((j) => j.status === "fulfilled" ? [j.value] : []);
      if (members.length < 100) {
        const reason = (joinedAll.find((j) => j.status === "rejected") as PromiseRejectedResult).reason;
        throw new CheckFailure({
          en: `only ${members.length} of 100 clients were welcomed`,
          ru: `поприветствовали только ${members.length} из 100 клиентов`,
        }, { actual: reason instanceof CheckFailure ? reason.text : String(reason?.message) });
      }
      // Everyone is in once the first has heard of all 99 others.
      const names = members.map((m) => m.name);
      const first = members.find((m) => hereList(m.lines[0], names).length === 0) ?? members[0];
      await first.until(() => first.lines.filter((l) => l.endsWith(" joined")).length >= 99, DELIVERY_MS);
      members.forEach((m) => m.take());
      await first.say("one for all\n");
      await everyoneGets(members, first, [`${first.name}: one for all`], {
        en: "100 clients in the room",
        ru: "в комнате 100 клиентов",
      });
    },
  },
  {
    id: "connection-cap",
    title: {
      en:
        "past --max-clients connections (one without a name yet counts), a new one is told and closed; a place is free again once a client leaves",
      ru:
        "сверх --max-clients соединений (соединение ещё без имени тоже считается) новому сообщают об отказе и закрывают его; место освобождается, когда клиент уходит",
    },
    hint: {
      en:
        "Count open connections, named or not; past the cap, send one notice line and close at once. Count a connection out when it ends.",
      ru:
        "Считайте открытые соединения, с именем и без; сверх лимита отправьте одну строку-уведомление и сразу закройте. Когда соединение заканчивается, вычитайте его.",
    },
    async run(trial) {
      const { address } = await startChat(trial, ["--max-clients", "3"]);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      // dan connects and sends no name yet: it holds a place all the same.
      await Member.connect(trial, address, "dan (no name yet)");
      await ann.expectLine((line) => line === "* ben joined", '"* ben joined"');
      const eve = await Member.connect(trial, address, "eve");
      await eve.say("eve\n").catch(() => {});
      const closed = await eve.closedWithin(DELIVERY_MS);
      if (!closed || eve.lines.length !== 1 || !eve.lines[0].startsWith("* ")) {
        const said = eve.lines.join("\n");
        throw new CheckFailure({
          en:
            "the fourth connection to a server with --max-clients 3 (two clients in, one connected without a name) was not turned away",
          ru:
            "четвёртому соединению с сервером, запущенным с --max-clients 3 (два клиента в чате, одно соединение без имени), не отказали",
        }, {
          expected: {
            en: 'one notice line, such as "* error: the server is full (3 clients); try again later", then EOF',
            ru: 'одна строка-уведомление вроде "* error: the server is full (3 clients); try again later", затем EOF',
          },
          actual: {
            en: `${visible(said || "(nothing)")}${closed ? ", EOF" : ", still open"}`,
            ru: `${visible(said || "(ничего)")}${closed ? ", EOF" : ", соединение всё ещё открыто"}`,
          },
        });
      }
      await eve.hangUp();
      await ann.hangUp();
      await ben.expectLine((line) => line.startsWith("* ann left"), '"* ann left"');
      // A refused connection may take a moment to be counted out (its gentle close): a few tries.
      for (let attempt = 1;; attempt++) {
        const fay = await Member.connect(trial, address, `fay (try ${attempt})`);
        await fay.say("fay\n").catch(() => {});
        await fay.until(() => fay.lines.length > 0, DELIVERY_MS);
        if (fay.lines[0]?.startsWith("* welcome, fay")) break;
        await fay.hangUp();
        if (attempt < 4) {
          await sleep(250);
          continue;
        }
        throw new CheckFailure({
          en: "after ann left, a new client was still turned away: the server did not count ann's connection out",
          ru: "после ухода ann новому клиенту всё равно отказали: сервер не вычел соединение ann",
        }, {
          expected: "* welcome, fay; here: ben",
          actual: visible(fay.lines[0] ?? "(nothing)"),
        });
      }
    },
  },
];
