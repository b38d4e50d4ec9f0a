/**
 * Lesson 3's core checks: the chat server against the grader's raw clients
 * (and three of the learner's own): joining, names, relaying, leaving in
 * every way, the console, and stopping.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { hasIpv6Loopback } from "../../harness/socket.ts";
import { assertAlive, startServer } from "../../harness/programs.ts";
import { portInUse, stopsOnCtrlC } from "../common.ts";
import { DELIVERY_MS, hereList, joined, Member, numbered, startChat } from "./member.ts";

/** The refusal of a name, word for word as the lesson text gives it. */
export const NAME_ERROR = "* error: a name is 1 to 24 letters, digits, _ or -, sent as the first line";

/** Every member but `except` gets `lines`, each once and in order. */
export async function everyoneGets(members: Member[], except: Member | undefined, lines: string[], so: Bilingual) {
  await Promise.all(members.filter((m) => m !== except).map((m) => m.expectExactly(lines, so)));
}

/**
 * Waits until `member` has been told (a last line that is a notice) and
 * closed; fails saying what came instead. `notice`, when given, is the exact
 * last line the lesson text promises.
 */
export async function expectToldAndClosed(
  member: Member,
  notice: string | undefined,
  when: Bilingual,
  ms = DELIVERY_MS,
) {
  const closed = await member.closedWithin(ms);
  const last = member.lines.at(-1);
  const told = notice === undefined ? last?.startsWith("* ") : last === notice;
  if (!closed || !told) {
    const wanted = notice ?? "* …";
    throw new CheckFailure({
      en: `${member.name || member.label} was not ${closed ? "told why" : "told and disconnected"} when ${when.en}`,
      ru: `${member.name || member.label} ${
        closed ? "не сказали, почему" : "не уведомили и не отключили"
      }, когда ${when.ru}`,
    }, {
      expected: {
        en: `${visible(wanted)} as the last line, then the connection closed`,
        ru: `${visible(wanted)} последней строкой, затем соединение закрыто`,
      },
      actual: {
        en: `last line ${visible(last ?? "(none)")}${
          closed ? ", then the connection closed" : ", connection still open"
        }`,
        ru: `последняя строка ${visible(last ?? "(нет)")}${
          closed ? ", затем соединение закрыто" : ", соединение всё ещё открыто"
        }`,
      },
    });
  }
}

/** Fails unless `member` (which never sent a name) is closed within `ms`: a connection without a name must not hold on. */
export async function expectHalfClosed(member: Member, when: Bilingual, ms = DELIVERY_MS) {
  if (!await member.closedWithin(ms)) {
    throw new CheckFailure({
      en: `a connection that had not sent its name yet was left open when ${when.en}`,
      ru: `соединение, которое ещё не прислало имя, осталось открытым, когда ${when.ru}`,
    }, {
      expected: {
        en: "every connection closed, named or not",
        ru: "закрыты все соединения, с именем и без",
      },
      actual: { en: "still open", ru: "всё ещё открыто" },
    });
  }
}

/** Waits for the server to exit with code 0 within `ms` after `event`. */
export async function expectStops(server: LearnerProcess, event: Bilingual, ms = DELIVERY_MS) {
  const status = await server.exitWithin(ms);
  if (status?.code !== 0) {
    throw new CheckFailure({
      en: `the server did not stop with exit code 0 within ${ms / 1000} s after ${event.en}`,
      ru: `сервер не завершился с кодом 0 за ${ms / 1000} с после того, как ${event.ru}`,
    }, {
      expected: { en: "exit code 0", ru: "код выхода 0" },
      actual: status
        ? { en: `exit code ${status.code}`, ru: `код выхода ${status.code}` }
        : { en: "still running", ru: "всё ещё работает" },
    });
  }
}

/** Fails unless `welcome` names exactly `present` among `everyone` after `here:`. */
function expectHere(member: Member, welcome: string, present: string[], everyone: string[]) {
  const listed = hereList(welcome, everyone);
  const same = listed.length === present.length && present.every((name) => listed.includes(name));
  if (!same) {
    throw new CheckFailure({
      en: `${member.name}'s welcome does not name exactly the clients already there`,
      ru: `приветствие ${member.name} называет не ровно тех клиентов, кто уже был в чате`,
    }, {
      expected: `* welcome, ${member.name}; here: ${present.length ? present.join(", ") : "nobody else yet"}`,
      actual: visible(welcome),
    });
  }
}

/** The name a member got must be `wanted`. */
function expectNamed(member: Member, wanted: string, why: Bilingual) {
  if (member.name !== wanted) {
    throw new CheckFailure({
      en: `a client that asked for "${member.label}" was named "${member.name}"; ${why.en}`,
      ru: `клиент, который попросил имя "${member.label}", получил имя "${member.name}"; ${why.ru}`,
    }, {
      expected: `* welcome, ${wanted}; here: …`,
      actual: visible(member.lines[0]),
    });
  }
}

const CYRILLIC_24 = "абвгдеёжзийклмнопрстуфхц";

export const core: Check[] = [
  {
    id: "announces-address",
    title: {
      en: "the server prints 'listening on HOST:PORT' with the real port, on 127.0.0.1 and on ::1",
      ru: "сервер выводит 'listening on HOST:PORT' с настоящим портом, на 127.0.0.1 и на ::1",
    },
    covers: "given",
    hint: {
      en: "As in lessons 1 and 2: listen, then log `listening on ${formatAddr(listener.addr)}`.",
      ru: "Как в уроках 1 и 2: откройте слушающий сокет, затем выведите `listening on ${formatAddr(listener.addr)}`.",
    },
    async run(trial) {
      const v4 = startChat(trial);
      if (hasIpv6Loopback()) {
        const { address } = await startServer(trial, { args: ["--host", "::1", "--port", "0"], stdin: "piped" });
        if (address.transport !== "tcp" || address.host !== "::1") {
          throw new CheckFailure({
            en: "the server started with --host ::1 did not announce [::1]:PORT",
            ru: "сервер, запущенный с --host ::1, не сообщил адрес [::1]:PORT",
          }, { expected: "listening on [::1]:PORT", actual: JSON.stringify(address) });
        }
        // Something listens there (joining is the learner's part; this check covers the given listener).
        await (await Member.connect(trial, address, "six")).hangUp();
      }
      await v4;
    },
  },
  {
    id: "welcome-and-join",
    title: {
      en:
        "a client is welcomed by the name it got, with exactly those already there; the others, and only they, are told it joined, before any line it sent with its name; the server logs the arrival and the address",
      ru:
        "клиента приветствуют по полученному имени и называют ровно тех, кто уже здесь; остальным, и только им, сообщают, что он вошёл, раньше любой строки, присланной вместе с именем; сервер пишет в лог приход и адрес",
    },
    hint: {
      en:
        "The first line a client sends is its name. Answer `* welcome, NAME; here: …` with the names already in, then tell everyone else `* NAME joined` (this.announce(bytes, client), in add, before it returns: the lines that came with the name are relayed after that). A connection that has not sent its name is not in the room yet.",
      ru:
        "Первая строка от клиента — его имя. Ответьте `* welcome, ИМЯ; here: …` с именами тех, кто уже здесь, затем сообщите остальным `* ИМЯ joined` (this.announce(bytes, client) в add, до возврата из него: строки, пришедшие вместе с именем, пересылаются уже после). Соединение, которое ещё не прислало имя, пока не в комнате.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      // dan connects first and says nothing yet: it is not in the room.
      const dan = await Member.connect(trial, address, "dan");
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      const cat = await Member.join(trial, address, "cat");
      const everyone = ["ann", "ben", "cat", "dan"];
      expectHere(ann, ann.lines[0], [], everyone);
      expectHere(ben, ben.lines[0], ["ann"], everyone);
      expectHere(cat, cat.lines[0], ["ann", "ben"], everyone);
      await ann.expectLine((line) => line === "* cat joined", '"* cat joined"');
      await ben.expectLine((line) => line === "* cat joined", '"* cat joined"');
      // A line from ann after all three joined: whatever the server sent before it has arrived by then.
      await ann.say("all here\n");
      for (const member of [ben, cat]) await member.expectLine((line) => line === "ann: all here", '"ann: all here"');
      for (const [member, notices] of [[ann, ["* ben joined", "* cat joined"]], [ben, ["* cat joined"]]] as const) {
        const got = member.fresh().filter((line) => line.endsWith(" joined"));
        if (got.join("\n") !== notices.join("\n")) {
          throw new CheckFailure({
            en: `${member.name} was not told exactly once of each client that joined after it`,
            ru: `${member.name} сообщили не ровно по одному разу о каждом, кто вошёл после него`,
          }, { expected: visible(notices.join("\n")), actual: visible(got.join("\n") || "(nothing)") });
        }
      }
      for (const member of [ann, ben, cat]) {
        await member.expectNone((line) => line === `* ${member.name} joined`, {
          en: "the notice of its own arrival",
          ru: "уведомление о собственном входе",
        });
      }
      // Now dan names itself, with a first chat line in the same write: its first line is its welcome, listing the
      // three, and the others are told that dan joined before they hear from dan.
      await dan.say("dan\nhello, all\n");
      const welcome = await dan.welcomed("dan");
      expectHere(dan, welcome, ["ann", "ben", "cat"], everyone);
      for (const member of [ann, ben, cat]) {
        await member.expectLine((line) => line === "dan: hello, all", '"dan: hello, all"');
        const heard = member.fresh();
        const told = heard.indexOf("* dan joined");
        if (told < 0 || told > heard.indexOf("dan: hello, all")) {
          throw new CheckFailure({
            en:
              `${member.name} heard from dan before it was told that dan joined (dan sent its name and a line in one write)`,
            ru: `${member.name} услышал dan раньше, чем узнал, что dan вошёл (dan прислал имя и строку одной записью)`,
          }, { expected: visible("* dan joined\ndan: hello, all"), actual: visible(heard.join("\n")) });
        }
      }
      for (const member of [ann, ben, cat, dan]) await expectLogged(server, member, "arrival");
    },
  },
  {
    id: "names",
    title: {
      en:
        "a name of 1 to 24 letters of any alphabet (48 bytes in Cyrillic), digits, _ or - is taken, even sent a byte at a time; an empty, 25-letter or other one is refused with the text's error line and a close",
      ru:
        "имя из 1–24 букв любого алфавита (48 байт кириллицей), цифр, _ или - принимается, даже присланное по байту; пустое, из 25 букв или другое отклоняется строкой ошибки из текста и закрытием",
    },
    hint: {
      en:
        "Letters are characters, not bytes: test the decoded name with a Unicode-aware pattern such as /^[\\p{L}\\p{N}_-]{1,24}$/u. Refuse anything else with the exact line from the lesson text, then close.",
      ru:
        "Буквы — это символы, а не байты: проверяйте декодированное имя шаблоном с поддержкой Юникода, например /^[\\p{L}\\p{N}_-]{1,24}$/u. Всё остальное отклоняйте точной строкой из текста урока и закрывайте соединение.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const good: [string, Bilingual][] = [
        ["a", { en: "1 letter", ru: "1 буква" }],
        [CYRILLIC_24, { en: "24 Cyrillic letters, 48 bytes", ru: "24 буквы кириллицы, 48 байт" }],
        ["x_1-2", { en: "a letter, digits, _ and -", ru: "буква, цифры, _ и -" }],
        ["abcdefghijklmnopqrstuvwx", { en: "24 letters", ru: "24 буквы" }],
        ["Ёлка", { en: "sent a byte at a time", ru: "присланное по байту" }],
      ];
      const bad: [string, Bilingual][] = [
        ["", { en: "an empty line", ru: "пустая строка" }],
        ["abcdefghijklmnopqrstuvwxy", { en: "25 letters", ru: "25 букв" }],
        [`${CYRILLIC_24}ч`, { en: "25 Cyrillic letters", ru: "25 букв кириллицы" }],
        ["not a name!", { en: "spaces and a !", ru: "пробелы и !" }],
        ["ann:", { en: "a colon", ru: "двоеточие" }],
      ];
      const welcomed = good.map(async ([name, what]) => {
        const member = await Member.connect(trial, address, name);
        // The whole line is the name, however it comes.
        if (name === "Ёлка") await member.dribble(`${name}\n`);
        else await member.say(`${name}\n`);
        await member.until(() => member.lines.length > 0 || member.done, DELIVERY_MS);
        const first = member.lines[0];
        if (first?.match(/^\* welcome, ([^;\s]+);/)?.[1] !== name) {
          throw new CheckFailure({
            en:
              `the name "${name}" (${what.en}) was not taken as it is; a name is 1 to 24 letters of any alphabet, digits, _ or -`,
            ru:
              `имя "${name}" (${what.ru}) не принято как есть; имя — это от 1 до 24 букв любого алфавита, цифр, _ или -`,
          }, {
            expected: `* welcome, ${name}; here: …`,
            actual: first === undefined ? { en: "nothing", ru: "ничего" } : visible(first),
          });
        }
      });
      const refused = bad.map(async ([name, what]) => {
        const member = await Member.connect(trial, address, name ? `"${name}"` : "(empty)");
        await member.say(`${name}\n`);
        const closed = await member.closedWithin(DELIVERY_MS);
        const said = member.lines.join("\n");
        if (member.lines[0]?.startsWith("* welcome")) {
          throw new CheckFailure({
            en: `the name ${
              visible(name)
            } (${what.en}) was accepted; a name is 1 to 24 letters of any alphabet, digits, _ or -`,
            ru: `имя ${visible(name)} (${what.ru}) принято, а имя — это от 1 до 24 букв любого алфавита, цифр, _ или -`,
          }, { expected: visible(NAME_ERROR), actual: visible(member.lines[0]) });
        }
        if (said !== NAME_ERROR || !closed) {
          throw new CheckFailure({
            en: `the name ${visible(name)} (${what.en}) was not refused with the lesson's error line and a close`,
            ru: `имя ${visible(name)} (${what.ru}) не отклонено строкой ошибки из урока с закрытием соединения`,
          }, {
            expected: { en: `${visible(NAME_ERROR)}, then the close`, ru: `${visible(NAME_ERROR)}, затем закрытие` },
            actual: {
              en: `${visible(said || "(nothing)")}${closed ? ", then the close" : ", and the connection still open"}`,
              ru: `${visible(said || "(ничего)")}${closed ? ", затем закрытие" : ", и соединение всё ещё открыто"}`,
            },
          });
        }
      });
      const results = await Promise.allSettled([...welcomed, ...refused]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
      assertAlive(server, { en: "clients sent names good and bad", ru: "клиенты прислали хорошие и плохие имена" });
    },
  },
  {
    id: "unique-names",
    title: {
      en:
        "a taken name gets the first free number (dup, dup2, dup3), said in the welcome and the log; server is always taken; a name is free again the moment its client left",
      ru:
        "занятое имя получает первый свободный номер (dup, dup2, dup3), его называют приветствие и лог; имя server занято всегда; имя снова свободно, как только его клиент ушёл",
    },
    hint: {
      en:
        'Try wanted, then wanted2, wanted3… until the registry has no such key ("server" counts as taken), and say the final name in the welcome. Delete a client from the registry when it leaves.',
      ru:
        'Пробуйте wanted, затем wanted2, wanted3… пока такого ключа в реестре нет ("server" считается занятым), и назовите итоговое имя в приветствии. Удаляйте клиента из реестра, когда он уходит.',
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const first = await Member.join(trial, address, "dup");
      const second = await Member.join(trial, address, "dup");
      const third = await Member.join(trial, address, "dup");
      if (second.name === first.name || third.name === first.name || third.name === second.name) {
        throw new CheckFailure({ en: "two clients got the same name", ru: "два клиента получили одно и то же имя" }, {
          expected: "dup, dup2, dup3",
          actual: [first, second, third].map((m) => m.name).join(", "),
        });
      }
      expectNamed(first, "dup", { en: "the name was free", ru: "имя было свободно" });
      const rule = { en: "the second dup becomes dup2, then dup3", ru: "второй dup становится dup2, затем dup3" };
      expectNamed(second, "dup2", rule);
      expectNamed(third, "dup3", rule);
      await first.expectLine((line) => line === "* dup2 joined", '"* dup2 joined"');
      // The log names the client by the name it got, not the one it asked for.
      await expectLogged(server, second, "arrival");
      const console = await Member.join(trial, address, "server");
      expectNamed(console, "server2", {
        en: '"server" is always taken (the console speaks under it), so it becomes server2',
        ru: 'имя "server" занято всегда (под ним говорит консоль), поэтому получается server2',
      });
      const console2 = await Member.join(trial, address, "server");
      expectNamed(console2, "server3", {
        en: '"server" is always taken and server2 was taken too, so it becomes server3',
        ru: 'имя "server" занято всегда, и server2 тоже было занято, поэтому получается server3',
      });
      // The first dup hangs up: its name is free again.
      await first.hangUp();
      await second.expectLine((line) => line.startsWith("* dup left"), '"* dup left"');
      const again = await Member.join(trial, address, "dup");
      expectNamed(again, "dup", {
        en: "the dup before it had left, so the name was free again",
        ru: "прежний dup уже ушёл, так что имя снова было свободно",
      });
      const present = ["dup2", "dup3", "server2", "server3"];
      expectHere(again, again.lines[0], present, ["dup", "dup4", ...present]);
      await second.say("who am I?\n");
      await again.expectLine((line) => line === "dup2: who am I?", '"dup2: who am I?"');
      // dup2 leaves too: the next dup is dup2 again, the first number not taken (not a counter that only grows).
      await second.hangUp();
      await third.expectLine((line) => line.startsWith("* dup2 left"), '"* dup2 left"');
      const refill = await Member.join(trial, address, "dup");
      expectNamed(refill, "dup2", {
        en: "dup was taken and dup2 had left, so dup2 was the first free name",
        ru: "dup было занято, а dup2 ушёл, так что первым свободным было имя dup2",
      });
      // eve says exit and then neither reads nor closes, so its close lingers (up to 1 s): its name is free at once.
      const eve = await Member.connect(trial, address, "eve", false);
      await eve.say("eve\nexit\n");
      await third.expectLine((line) => line.startsWith("* eve left"), '"* eve left"');
      const eve2 = await Member.join(trial, address, "eve");
      expectNamed(eve2, "eve", {
        en:
          "the eve before it had said exit and been told it left; its name is free from then on, even while its connection is still being closed",
        ru:
          "прежняя eve сказала exit, и всем сообщили, что она ушла; с этого момента имя свободно, даже пока её соединение ещё закрывается",
      });
    },
  },
  {
    id: "relay-to-others",
    title: {
      en:
        "every line goes to every other client as 'name: text', once, whole (even sent a byte at a time, UTF-8 split mid-character), and never back to its sender",
      ru:
        "каждая строка приходит каждому другому клиенту как 'имя: текст', ровно один раз, целой (даже присланная по байту, с UTF-8, разрезанным посреди символа), и никогда не возвращается отправителю",
    },
    hint: {
      en:
        "Cut what you read into lines (a line ends at \\n, whatever the reads), and send `name: text` to every client but the sender.",
      ru:
        "Разрезайте прочитанное на строки (строка кончается на \\n, как бы ни пришли чтения) и отправляйте `имя: текст` всем клиентам, кроме отправителя.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const members: Member[] = [];
      for (const name of ["ann", "ben", "cat"]) members.push(await Member.join(trial, address, name));
      const [ann, ben, cat] = members;
      await ann.expectLine((line) => line === "* cat joined", '"* cat joined"');
      members.forEach((m) => m.take());
      const texts = ["hello from ann", "two lines in one write", "привет 👋, ben"];
      await ann.say(`${texts[0]}\n${texts[1]}\n`);
      await ann.dribble(`${texts[2]}\n`);
      // Whatever comes of ann's three lines, judged once three have come (or the time is up).
      const fromAnn = () => ben.fresh().filter((line) => line.startsWith("ann: ") || texts.includes(line));
      await ben.until(() => fromAnn().length >= 3, DELIVERY_MS);
      const broken = fromAnn().find((line) => line.includes("\uFFFD"));
      if (broken !== undefined) {
        throw new CheckFailure({
          en: "a line sent a byte at a time arrived with its UTF-8 broken: the reads were decoded one by one",
          ru: "строка, присланная по байту, пришла с испорченным UTF-8: чтения декодировались по отдельности",
        }, { expected: visible(`ann: ${texts[2]}`), actual: visible(broken) });
      }
      const bare = ben.fresh().find((line) => texts.includes(line));
      if (bare !== undefined) {
        throw new CheckFailure({
          en: "a line reached the others without its sender's name in front",
          ru: "строка дошла до остальных без имени отправителя впереди",
        }, { expected: visible(`ann: ${bare}`), actual: visible(bare) });
      }
      await everyoneGets(members, ann, texts.map((t) => `ann: ${t}`), {
        en: "ann sent two lines in one write, then one a byte at a time",
        ru: "ann отправил две строки одной записью, затем одну по байту",
      });
      // ben answers; once ann and cat have it, anything the server sent them before has arrived too.
      await ben.say("got them\n");
      for (const member of [ann, cat]) await member.expectLine((line) => line === "ben: got them", '"ben: got them"');
      await ann.expectNone((line) => texts.some((text) => line.endsWith(text)), {
        en: "its own line back (echo)",
        ru: "обратно свою же строку (эхо)",
      });
      await cat.expectNone((line) => line.startsWith("ann: "), {
        en: "one of ann's lines a second time",
        ru: "одну из строк ann второй раз",
      });
    },
  },
  {
    id: "order-per-sender",
    title: {
      en: "lines from two senders at once arrive whole, once, and in each sender's order",
      ru:
        "строки, которые два отправителя шлют одновременно, доходят целыми, по одному разу и в том порядке, в каком их отправил каждый",
    },
    hint: {
      en:
        "Relay a client's lines in the order they arrived, each ending in \\n. Queue each recipient's bytes and write them in order; never let two writes to one socket race.",
      ru:
        "Пересылайте строки клиента в порядке прихода, каждую с \\n в конце. Складывайте байты для каждого получателя в очередь и пишите по порядку; не допускайте двух одновременных записей в один сокет.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const members: Member[] = [];
      for (const name of ["ann", "ben", "cat"]) members.push(await Member.join(trial, address, name));
      const [ann, ben, cat] = members;
      await ann.expectLine((line) => line === "* cat joined", '"* cat joined"');
      members.forEach((m) => m.take());
      // 40 lines each, in one write each, at the same moment.
      const annLines = numbered("ann", 40);
      const benLines = numbered("ben", 40);
      await Promise.all([ann.say(joined(annLines)), ben.say(joined(benLines))]);
      const last = [`ann: ${annLines.at(-1)}`, `ben: ${benLines.at(-1)}`];
      await cat.until(() => last.every((l) => cat.lines.includes(l)), DELIVERY_MS);
      const got = cat.take().filter((line) => !line.startsWith("* "));
      for (const [who, lines] of [["ann", annLines], ["ben", benLines]] as const) {
        const mine = got.filter((line) => line.startsWith(`${who}: `)).map((l) => l.slice(who.length + 2));
        const wrong = lines.findIndex((line, i) => mine[i] !== line);
        if (wrong >= 0 || mine.length !== lines.length) {
          const at = wrong >= 0 ? wrong : lines.length;
          throw new CheckFailure({
            en: `cat received ${who}'s 40 lines wrongly: lost, doubled, cut or reordered`,
            ru: `40 строк от ${who} дошли до cat с ошибками: строки потеряны, повторены, обрезаны или переставлены`,
          }, {
            expected: visible(`${who}: ${lines[Math.min(at, lines.length - 1)]}`),
            actual: mine[at] === undefined
              ? { en: `${mine.length} lines of ${who} arrived`, ru: `дошло строк от ${who}: ${mine.length}` }
              : visible(`${who}: ${mine[at]}`),
          });
        }
      }
      await everyoneGets([ann], undefined, benLines.map((l) => `ben: ${l}`), {
        en: "ben sent 40 lines at once",
        ru: "ben отправил 40 строк разом",
      });
      await everyoneGets([ben], undefined, annLines.map((l) => `ann: ${l}`), {
        en: "ann sent 40 lines at once",
        ru: "ann отправил 40 строк разом",
      });
    },
  },
  {
    id: "leave-notice",
    title: {
      en:
        "a client that hangs up, even mid-line, is announced as '* NAME left' to the others and logged; its unfinished line is not relayed and its name is free again",
      ru:
        "о клиенте, который повесил трубку, даже посреди строки, остальным сообщают '* ИМЯ left' и пишут в лог; его незаконченная строка не пересылается, а имя снова свободно",
    },
    hint: {
      en:
        "read() gives null when a client hangs up: remove it from the registry and tell the others `* NAME left`. Bytes without their \\n are not a line.",
      ru:
        "read() возвращает null, когда клиент отключился: уберите его из реестра и сообщите остальным `* ИМЯ left`. Байты без \\n — ещё не строка.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      const cat = await Member.join(trial, address, "cat");
      await expectLogged(server, ben, "arrival");
      const before = server.stdout.length;
      await ben.hangUp();
      await ann.expectLine((line) => line === "* ben left", '"* ben left"');
      await expectLogged(server, ben, "departure", before);
      await cat.expectLine((line) => line === "* ben left", '"* ben left"');
      // cat sends half a line and hangs up.
      await cat.say("half a li");
      await cat.hangUp();
      await ann.expectLine((line) => line.startsWith("* cat left"), { en: '"* cat left…"', ru: '"* cat left…"' });
      // A newcomer asks for ben: the name is free, and the welcome lists ann alone.
      const newBen = await Member.join(trial, address, "ben");
      expectNamed(newBen, "ben", { en: "the ben before it had left", ru: "прежний ben уже ушёл" });
      expectHere(newBen, newBen.lines[0], ["ann"], ["ann", "ben", "cat"]);
      await ann.expectLine((line) => line === "* ben joined", '"* ben joined"');
      await ann.expectNone((line) => line.startsWith("cat: "), {
        en: "the unfinished line of cat, which hung up before its \\n, relayed as a line",
        ru: "незаконченную строку cat, который повесил трубку до \\n, пересланную как строку",
      });
      assertAlive(server, { en: "clients hung up", ru: "клиенты повесили трубку" });
    },
  },
  {
    id: "client-exit",
    title: {
      en:
        "'exit' from a client (in one write with other lines, or a byte at a time) gets it '* goodbye' and a close, the others '* NAME left'; the lines before it are relayed first and once, exit and what follows are not (a line that only begins with exit is)",
      ru:
        "'exit' от клиента (одной записью с другими строками или по байту) приносит ему '* goodbye' и закрытие, остальным — '* ИМЯ left'; строки до него пересылаются первыми и по разу, а сам exit и всё после — нет (строка, которая лишь начинается с exit, пересылается)",
    },
    hint: {
      en:
        'Check every line of a read: relay the ones before "exit" first, then send "* goodbye", close the connection gently, remove the client and tell the others `* NAME left`. Ignore what follows.',
      ru:
        'Проверяйте каждую строку чтения: сначала перешлите строки до "exit", затем отправьте "* goodbye", бережно закройте соединение, уберите клиента и сообщите остальным `* ИМЯ left`. То, что идёт после, не учитывайте.',
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      const cat = await Member.join(trial, address, "cat");
      const dan = await Member.join(trial, address, "dan");
      await ann.expectLine((line) => line === "* dan joined", '"* dan joined"');
      [ann, ben, cat, dan].forEach((m) => m.take());
      // A line that only begins with exit is a chat line like any other.
      await cat.say("exits are on the left\n");
      const relayed = (line: string) => line === "cat: exits are on the left" || line.startsWith("* cat ");
      await ann.until(() => ann.fresh().some(relayed), DELIVERY_MS);
      if (!ann.fresh().includes("cat: exits are on the left")) {
        throw new CheckFailure({
          en:
            'the line "exits are on the left", which only begins with exit, was not relayed: only the line exit itself is',
          ru:
            'строка "exits are on the left", которая лишь начинается с exit, не переслана: особая только сама строка exit',
        }, { expected: visible("cat: exits are on the left"), actual: visible(ann.fresh().join("\n") || "(nothing)") });
      }
      await ben.say("before exit\nexit\nafter exit\n");
      await expectToldAndClosed(ben, "* goodbye", { en: 'it sent "exit"', ru: 'он отправил "exit"' });
      await ann.expectLine((line) => line === "* ben left", '"* ben left"');
      const heard = ann.fresh();
      const before = heard.indexOf("ben: before exit");
      if (before < 0) {
        throw new CheckFailure({
          en: 'the line ben sent before "exit", in the same write, was not relayed',
          ru: 'строка, которую ben отправил перед "exit" в той же записи, не переслана',
        }, { expected: visible("ben: before exit"), actual: visible(heard.join("\n") || "(nothing)") });
      }
      if (before > heard.indexOf("* ben left")) {
        throw new CheckFailure({
          en: 'the line ben sent before "exit" was relayed after "* ben left": the lines before exit go first',
          ru: 'строка, которую ben отправил перед "exit", переслана после "* ben left": строки до exit идут первыми',
        }, {
          expected: visible("ben: before exit\n* ben left"),
          actual: visible(heard.join("\n")),
        });
      }
      if (ben.lines.includes("* ben left")) {
        throw new CheckFailure({
          en: 'ben, which said exit, was told of its own leaving ("* ben left"): that notice is for the others',
          ru: 'ben, который сказал exit, получил уведомление о собственном уходе ("* ben left"): оно для остальных',
        }, { expected: "* goodbye", actual: visible(ben.lines.join("\n")) });
      }
      await cat.dribble("exit\n");
      await expectToldAndClosed(cat, "* goodbye", {
        en: 'it sent "exit" one byte at a time',
        ru: 'он отправил "exit" по одному байту',
      });
      await ann.expectLine((line) => line === "* cat left", '"* cat left"');
      // dan says exit with more lines behind it, which the server will not read.
      await dan.say(`exit\n${"no more\n".repeat(8192)}`).catch(() => {});
      await expectToldAndClosed(dan, "* goodbye", {
        en: 'it sent "exit" followed by 64 KiB more',
        ru: 'он отправил "exit", а за ним ещё 64 КиБ',
      });
      await ann.expectLine((line) => line === "* dan left", '"* dan left"');
      await ann.expectNone((line) => /^(ben|cat|dan): (exit|after exit|no more)$/.test(line), {
        en: '"exit", or a line sent after it, relayed as a chat line',
        ru: '"exit" или строку после него, пересланные как обычное сообщение',
      });
      const copies = ann.lines.filter((line) => line === "ben: before exit").length;
      if (copies !== 1) {
        throw new CheckFailure({
          en: `ann received the line ben sent before "exit" more than once (${copies} times)`,
          ru: `ann получил строку, которую ben отправил перед "exit", больше одного раза (${copies} раз)`,
        }, { expected: { en: "once", ru: "один раз" }, actual: visible(ann.lines.join("\n")) });
      }
    },
  },
  {
    id: "server-console",
    title: {
      en: "a line typed at the server's console reaches every client as 'server: text', spaces and all",
      ru: "строка, набранная в консоли сервера, доходит до каждого клиента как 'server: текст', вместе с пробелами",
    },
    hint: {
      en: "Read the console in its own loop, next to the accept loop; broadcast each line to all clients.",
      ru: "Читайте консоль в отдельном цикле, рядом с циклом accept; каждую строку рассылайте всем клиентам.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const members = [await Member.join(trial, address, "ann"), await Member.join(trial, address, "ben")];
      await members[0].expectLine((line) => line === "* ben joined", '"* ben joined"');
      members.forEach((m) => m.take());
      // Typed as it is, spaces around it too.
      await server.type("  attention, please \nвнимание 👋\n");
      await everyoneGets(members, undefined, ["server:   attention, please ", "server: внимание 👋"], {
        en: "typed at the server's console",
        ru: "набрано в консоли сервера",
      });
    },
  },
  {
    id: "server-exit",
    title: {
      en:
        "'exit' at the server's console sends every client '* the server is shutting down', closes every connection (one without a name yet too), logs how many, and exits 0",
      ru:
        "'exit' в консоли сервера шлёт каждому клиенту '* the server is shutting down', закрывает все соединения (и те, что ещё без имени), пишет в лог их число и завершает сервер с кодом 0",
    },
    hint: {
      en:
        'On "exit" at the console, return "the server is shutting down": the given shutdown tells every client, closes every connection and returns, so the program ends with 0.',
      ru:
        'На "exit" в консоли верните "the server is shutting down": готовый shutdown сообщит каждому клиенту, закроет все соединения и вернёт управление, так что программа завершится с кодом 0.',
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      // dan connects first: once ann and ben are welcomed, the server has accepted dan too.
      const dan = await Member.connect(trial, address, "dan (no name yet)");
      await dan.say("da");
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      await ben.say("half a li");
      await ann.expectLine((line) => line === "* ben joined", '"* ben joined"');
      const typedAt = server.stdout.length;
      await server.type("exit\n");
      const when = { en: "exit was typed at the server's console", ru: "в консоли сервера набрали exit" };
      const waits = await Promise.allSettled([
        expectToldAndClosed(ann, "* the server is shutting down", when),
        expectToldAndClosed(ben, "* the server is shutting down", when),
        expectHalfClosed(dan, when),
      ]);
      if (ann.lines.includes("server: exit")) {
        throw new CheckFailure({
          en: '"exit" typed at the server\'s console was relayed as a chat line instead of stopping the server',
          ru: '"exit", набранный в консоли сервера, разослан как строка чата, а сервер не остановился',
        }, { expected: "* the server is shutting down", actual: "server: exit" });
      }
      const failed = waits.find((w): w is PromiseRejectedResult => w.status === "rejected");
      if (failed) throw failed.reason;
      await expectStops(server, { en: "exit at its console", ru: "в его консоли набрали exit" });
      // Three connections were open: ann, ben and dan, which had sent half a name.
      const said = server.stdout.slice(typedAt);
      if (!said.some((line) => /\b3\b/.test(line))) {
        throw new CheckFailure({
          en: "the server did not log how many connections it closed (3: two clients and one without a name yet)",
          ru: "сервер не записал в лог, сколько соединений он закрыл (3: два клиента и одно ещё без имени)",
        }, {
          expected: "the server is shutting down: closing 3 connection(s)",
          actual: visible(said.join("\n") || "(nothing)"),
        });
      }
      if (!server.stdout.at(-1)?.endsWith("server stopped")) {
        throw new CheckFailure({
          en: "the server's last line was not 'server stopped'",
          ru: "последняя строка сервера — не 'server stopped'",
        }, { expected: "server stopped", actual: visible(server.stdout.at(-1) ?? "(nothing)") });
      }
    },
  },
  {
    id: "console-end",
    title: {
      en:
        "the end of the server's console input sends every client '* the console is closed', closes every connection and exits 0",
      ru:
        "конец ввода консоли сервера шлёт каждому клиенту '* the console is closed', закрывает все соединения и завершает сервер с кодом 0",
    },
    hint: {
      en:
        'The console gives null when its input ends (Ctrl+D, a closed pipe): stop the way "exit" does, with "the console is closed".',
      ru:
        'Консоль возвращает null, когда её ввод кончился (Ctrl+D, закрытый канал): остановитесь так же, как по "exit", с причиной "the console is closed".',
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      // dan connects first: once ann is welcomed, the server has accepted dan too.
      const dan = await Member.connect(trial, address, "dan (no name yet)");
      const ann = await Member.join(trial, address, "ann");
      await server.closeConsole();
      const when = { en: "the server's console was closed", ru: "консоль сервера закрыли" };
      await Promise.all([expectToldAndClosed(ann, "* the console is closed", when), expectHalfClosed(dan, when)]);
      await expectStops(server, { en: "its console was closed", ru: "его консоль закрыли" });
    },
  },
  {
    id: "learner-clients",
    title: {
      en: "three of your clients chat through your server: each prints what the others type",
      ru: "три ваших клиента общаются через ваш сервер: каждый печатает то, что набирают остальные",
    },
    hint: {
      en:
        "The client prints each line from the server as it comes, while waiting for the console: two loops, at the same time.",
      ru:
        "Клиент печатает каждую строку от сервера сразу, пока ждёт ввода с консоли: два цикла, работающих одновременно.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { address } = await startChat(trial);
      const names = ["amy", "bob", "cyd"];
      const clients: LearnerProcess[] = names.map((name) =>
        trial.start(name, ["client", "--host", address.host, "--port", String(address.port), "--name", name], {
          stdin: "piped",
        })
      );
      for (const client of clients) {
        await client.waitFor(() => client.stdout.find((l) => l.includes("* welcome, ")), 8000, {
          en: "its welcome",
          ru: "своё приветствие",
        });
      }
      // Everyone is in once each client has seen the other two (in its welcome, or joining after it).
      for (const client of clients) {
        const others = names.filter((n) => n !== client.label);
        await client.waitFor(
          () =>
            others.every((n) =>
              client.stdout.some((l) => l.endsWith(`* ${n} joined`) || (l.includes("* welcome, ") && l.includes(n)))
            ) || undefined,
          DELIVERY_MS,
          { en: "that the other two are in the room", ru: "что двое других в комнате" },
        );
      }
      for (const [i, client] of clients.entries()) {
        const text = `${names[i]} says hi, привет`;
        await client.type(`${text}\n`);
        for (const [j, other] of clients.entries()) {
          if (j !== i) {
            await expectPrinted(other, `${names[i]}: ${text}`, {
              en: `${names[i]} typed it at its console`,
              ru: `${names[i]} набрал её в своей консоли`,
            });
          }
        }
      }
    },
  },
  portInUse("given"),
];

/**
 * Waits for the server to log `member`'s arrival (a line with its name and
 * its address) or departure (a line with its name, after line `from`).
 */
async function expectLogged(server: LearnerProcess, member: Member, what: "arrival" | "departure", from = 0) {
  const name = member.name;
  const test = what === "arrival"
    ? (line: string) => line.includes(name) && line.includes(member.localAddress)
    : (line: string) => line.includes(name);
  try {
    await server.waitFor(() => server.stdout.slice(from).find(test), DELIVERY_MS, {
      en: `a line about ${name}'s ${what}`,
      ru: what === "arrival" ? `строку о приходе ${name}` : `строку об уходе ${name}`,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure({
      en: `the server logged no ${what} of ${name}${
        what === "arrival" ? ` (its name and ${member.localAddress})` : ""
      }`,
      ru: `сервер не записал в лог ${what === "arrival" ? "приход" : "уход"} ${name}${
        what === "arrival" ? ` (его имя и ${member.localAddress})` : ""
      }`,
    }, {
      expected: what === "arrival" ? `${name} joined from ${member.localAddress}` : `${name} left`,
      actual: visible(server.stdout.slice(from).slice(-3).join("\n") || "(nothing)"),
    });
  }
}

/** Waits for the learner's client to print `line`. */
export async function expectPrinted(client: LearnerProcess, line: string, situation: Bilingual): Promise<void> {
  try {
    const shown = visible(line);
    // The line as it came, on a line of its own (anything in front, a time say, is the client's business).
    await client.waitFor(() => client.stdout.some((l) => l.endsWith(line)) || undefined, DELIVERY_MS, {
      en: shown,
      ru: shown,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const printed = client.stdout.join("\n");
    throw new CheckFailure({
      en: `${error.text.en} (${situation.en})`,
      ru: `${error.text.ru} (${situation.ru})`,
    }, {
      expected: visible(line),
      actual: { en: visible(printed || "(nothing on stdout)"), ru: visible(printed || "(на stdout ничего)") },
    });
  }
}

/** Ctrl+C while two clients are in (one mid-line) and a third has sent half its name. */
export const ctrlC: Check = stopsOnCtrlC({
  situation: {
    en: "two clients are in (one mid-line) and a third has sent half its name",
    ru: "в чате два клиента (один посреди строки), а третий прислал половину имени",
  },
  async engage(trial: Trial, address) {
    // dan connects first: once ann and ben are welcomed, the server has accepted dan too.
    const dan = await Member.connect(trial, address, "dan (half a name)");
    await dan.say("da");
    const ann = await Member.join(trial, address, "ann");
    const ben = await Member.join(trial, address, "ben");
    await ben.say("half a li");
    await ann.expectLine((line) => line === "* ben joined", '"* ben joined"');
    stopping.set(trial, [ann, ben, dan]);
  },
  async after(trial: Trial) {
    const [ann, ben, dan] = stopping.get(trial) ?? [];
    if (!ann) return;
    const when = { en: "Ctrl+C stopped the server", ru: "Ctrl+C остановил сервер" };
    await expectToldAndClosed(ann, "* the server is stopping", when);
    await expectToldAndClosed(ben, "* the server is stopping", when);
    await expectHalfClosed(dan, when);
  },
});
const stopping = new WeakMap<Trial, Member[]>();
