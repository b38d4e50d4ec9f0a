/**
 * Lesson 2's checks of the server: the grader plays its clients (splitting
 * and joining lines in every way TCP may, at the limit and one byte over,
 * leaving in every way a client can) and types at its console.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { sleep } from "../../harness/deadline.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { resetConnection } from "../../harness/socket.ts";
import { assertAlive, tcpAddress } from "../../harness/programs.ts";
import { stopsOnCtrlC } from "../common.ts";
import {
  bytes,
  dribble,
  NOT_UTF8,
  PROMPT_MS,
  ResettableClient,
  startTalkServer,
  stillServing,
  Talk,
  tooLong,
} from "./talk.ts";

/** Polls `test` every 20 ms for at most `ms`; returns whether it came true. */
async function until(test: () => boolean, ms = PROMPT_MS): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!test()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const SENT_WHOLE: Bilingual = { en: "the line was sent whole", ru: "строка была отправлена целиком" };

const GENTLY: Bilingual = {
  en:
    "Close with closeGently(conn), not conn.close(): it half-closes, reads and discards what still comes, then closes.",
  ru:
    "Закрывайте через closeGently(conn), а не conn.close(): он закрывает свою сторону, читает и выбрасывает то, что ещё приходит, и только потом закрывает.",
};

/**
 * Sends `line` and expects the server to take it as a message (`text`): printed, not answered with an error.
 * `what` describes the line; `refused` says why an error line is wrong here (by default: it is within the limit).
 */
async function expectAccepted(
  talk: Talk,
  text: string,
  line: Uint8Array,
  what: Bilingual,
  refused?: Bilingual,
): Promise<void> {
  const count = talk.printed().length;
  await talk.send(line);
  await until(() => talk.printed().length > count || talk.unseen.length > 0 || talk.peer.done);
  const answer = new TextDecoder().decode(talk.unseen);
  if (talk.printed().length === count && answer.startsWith("error")) {
    throw new CheckFailure(
      refused ?? {
        en: `the server refused ${what.en}, which is within the limit: a line may hold up to the limit, ` +
          `in bytes, before its "\\n" or "\\r\\n"`,
        ru: `сервер отверг ${what.ru}, хотя она укладывается в лимит: строка может занимать весь лимит, ` +
          `в байтах, не считая "\\n" или "\\r\\n"`,
      },
      {
        expected: { en: "the line printed, then the server's turn", ru: "строка выведена, затем ход сервера" },
        actual: visible(answer),
      },
    );
  }
  await talk.expectPrinted([...talk.printed().slice(0, count), text], what);
}

/** Sends a line over the limit and expects the error line the text fixes, then the close. */
async function expectRefused(talk: Talk, limit: number, line: Uint8Array, what: Bilingual): Promise<void> {
  const count = talk.printed().length;
  await talk.send(line);
  await until(() => talk.printed().length > count || talk.unseen.length > 0 || talk.peer.done);
  if (talk.printed().length > count) {
    throw new CheckFailure({
      en:
        `the server took ${what.en} as a message: the limit is ${limit} bytes (not characters) before the line ending`,
      ru: `сервер принял ${what.ru} как сообщение: лимит — ${limit} байтов (не символов), не считая окончания строки`,
    }, {
      expected: visible(`${tooLong(limit)}\n`),
      actual: visible(talk.prefix + talk.printed()[count], 60),
    });
  }
  await talk.expectFromServer(`${tooLong(limit)}\n`, {
    en: `the error line the lesson text fixes for ${what.en}`,
    ru: `строку с ошибкой, которую урок задаёт для случая, когда пришла ${what.ru}`,
  });
  await talk.expectClosed({ en: "after its error line", ru: "после своей строки с ошибкой" });
}

/** Sends `count` lines `prefix N` in one write: text a client "is still typing". */
function typing(count: number): Uint8Array {
  return bytes(
    Array.from({ length: count }, (_, i) => `still typing, line ${i} of what I wanted to say...\n`).join(""),
  );
}

/** A learner process's next stdout line after its `from`th, or undefined. */
function newLine(process: LearnerProcess, from: number): string | undefined {
  return process.stdout.slice(from).find((line) => line.trim() !== "");
}

export const serverChecks: Check[] = [
  {
    id: "announces-address",
    title: {
      en: "the server prints 'listening on HOST:PORT' with the real port",
      ru: "сервер выводит 'listening on HOST:PORT' с настоящим портом",
    },
    covers: "given",
    hint: {
      en: "Listen first, then log `listening on ${formatAddr(listener.addr)}`, as in lesson 1.",
      ru:
        "Сначала откройте слушающий сокет, затем выведите `listening on ${formatAddr(listener.addr)}`, как в уроке 1.",
    },
    async run(trial) {
      const { address } = await startTalkServer(trial);
      const tcp = tcpAddress(address);
      if (tcp.host !== "127.0.0.1") {
        throw new CheckFailure({
          en: "the server announced another host than the one --host asked for",
          ru: "сервер сообщил не тот адрес, который просили в --host",
        }, { expected: "listening on 127.0.0.1:PORT", actual: `listening on ${tcp.host}:${tcp.port}` });
      }
    },
  },
  {
    id: "prints-and-replies",
    title: {
      en: "the server prints the client's line, then sends the reply typed at its console",
      ru: "сервер выводит строку клиента, затем отправляет ответ, введённый на его консоли",
    },
    hint: {
      en:
        "Read one line, print it as `ADDRESS: TEXT` right away, and only then wait for the console; send what was typed with its \\n.",
      ru:
        "Прочитайте строку, сразу выведите её как `АДРЕС: ТЕКСТ`, и только потом ждите ввода с консоли; отправьте введённое с \\n.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const mark = server.stdout.length;
      const talk = await Talk.open(trial, server, address);
      await talk.send("hello, server\n");
      try {
        await talk.expectPrinted(["hello, server"], SENT_WHOLE);
      } catch (error) {
        if (!(error instanceof CheckFailure) || talk.printed().length > 0) throw error;
        // Nothing printed. Is the server waiting for its console before it prints?
        await server.type("hello, client\n");
        const printedLate = await server.waitFor(() => talk.printed()[0], 1500, { en: "the line", ru: "строку" })
          .catch(() => undefined);
        throw new CheckFailure(
          printedLate !== undefined
            ? {
              en:
                "the server printed the client's line only after something was typed at its console: print it as soon as it arrives, then wait for the reply",
              ru:
                "сервер вывел строку клиента только после того, как на его консоли что-то ввели: выводите её сразу, как она пришла, и только потом ждите ответа",
            }
            : error.text,
          { expected: error.expected, actual: error.actual },
        );
      }
      if (talk.mentions(mark).length === 0) {
        throw new CheckFailure({
          en: `the server did not say that a client connected: print a line naming it (${
            visible(`Client ${talk.address} connected`)
          }, any words) when you accept it`,
          ru: `сервер не сообщил, что подключился клиент: при accept выведите строку с его адресом (${
            visible(`Client ${talk.address} connected`)
          }, слова любые)`,
        }, {
          expected: { en: `a line naming ${talk.address}`, ru: `строка с адресом ${talk.address}` },
          actual: visible(server.stdout.slice(mark).join("\n")),
        });
      }
      try {
        await talk.reply("hello, client");
      } catch (error) {
        if (!(error instanceof CheckFailure) || !new TextDecoder().decode(talk.unseen).startsWith("hello, server")) {
          throw error;
        }
        throw new CheckFailure({
          en: "the server sent the client's own line back: the reply is what its operator types at the console",
          ru: "сервер отправил клиенту его же строку: ответ — это то, что оператор набирает на консоли",
        }, { expected: visible("hello, client\n"), actual: visible(talk.unseen) });
      }
      await talk.exchange("", "an empty line is a message too", {
        en: 'it was an empty line, "\\n" alone',
        ru: 'это была пустая строка, один "\\n"',
      });
      await talk.exchange("how are you?", "fine, thanks");
    },
  },
  {
    id: "byte-by-byte",
    title: {
      en: "a line that arrives one byte per read is printed once, whole",
      ru: "строка, пришедшая по одному байту за чтение, выводится один раз и целиком",
    },
    hint: {
      en:
        "A read() returns whatever has arrived, even a single byte. Keep the bytes until a \\n comes, then the line is complete.",
      ru:
        "read() возвращает то, что уже пришло, хоть один байт. Копите байты, пока не придёт \\n: тогда строка готова.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await dribble(talk.peer, bytes("one byte at a time\n"), 1, 10);
      await talk.expectPrinted(["one byte at a time"], {
        en: "the client sent it one byte per write",
        ru: "клиент отправлял её по одному байту за запись",
      });
      await talk.reply("got it whole");
    },
  },
  {
    id: "two-lines-one-write",
    title: {
      en: "two lines in one write are printed and answered one by one, each in its turn",
      ru: "две строки, отправленные одной записью, выводятся и получают ответ по очереди, каждая в свой ход",
    },
    hint: {
      en:
        "One read() may hold several lines. Take the first line, keep the rest: the second line is already there, waiting for its turn, which comes after the reply to the first.",
      ru:
        "В одном read() может оказаться несколько строк. Возьмите первую, остальное сохраните: вторая строка уже пришла и ждёт своей очереди, то есть ответа на первую.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("first line\nsecond line\n");
      const situation = { en: "both came in one write", ru: "обе строки были отправлены одной записью" };
      await talk.expectPrinted(["first line"], situation);
      await sleep(150);
      talk.expectNoMorePrinted(1, {
        en: "the server printed the second line before the reply to the first was typed: " +
          "a line that comes during the server's turn waits for its own turn",
        ru: "сервер вывел вторую строку раньше, чем был набран ответ на первую: " +
          "строка, пришедшая во время хода сервера, ждёт своего хода",
      });
      await talk.reply("answer one");
      await talk.expectPrinted(["first line", "second line"], situation);
      await talk.reply("answer two");
    },
  },
  {
    id: "crlf",
    title: {
      en: 'a line ending in "\\r\\n" is printed without that "\\r" (other "\\r"s stay), and "exit\\r\\n" is exit',
      ru:
        'строка, оканчивающаяся на "\\r\\n", выводится без этого "\\r" (другие "\\r" остаются), а "exit\\r\\n" — это exit',
    },
    hint: {
      en:
        'Clients such as telnet and socat end lines with "\\r\\n". Drop a "\\r" just before the "\\n", in the reader, so every line is clean (the "\\r" may come in an earlier read than the "\\n").',
      ru:
        'Некоторые клиенты (telnet, socat) заканчивают строки "\\r\\n". Отбрасывайте "\\r" перед "\\n" прямо при чтении, чтобы каждая строка была чистой ("\\r" может прийти в более раннем read(), чем "\\n").',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("from telnet\r");
      await sleep(30);
      await talk.send("\n");
      await talk.expectPrinted(["from telnet"], {
        en: 'the line ended in "\\r\\n", the "\\r" and the "\\n" in two writes',
        ru: 'строка оканчивалась на "\\r\\n", причём "\\r" и "\\n" пришли двумя записями',
      });
      await talk.reply("noted");
      // Only the "\r" just before the "\n" is part of the line ending; any other "\r" is the line's own.
      const inner = "one\rtwo\r";
      await talk.send(`${inner}\r\n`);
      try {
        await talk.expectPrinted(["from telnet", inner], {
          en: 'the line was "one\\rtwo\\r\\r\\n": a "\\r" inside it, and two before its "\\n"',
          ru: 'строка была "one\\rtwo\\r\\r\\n": "\\r" внутри неё и два перед её "\\n"',
        });
      } catch (error) {
        const printed = talk.printed()[1];
        if (!(error instanceof CheckFailure) || printed === undefined || printed.length >= inner.length) {
          throw error;
        }
        throw new CheckFailure({
          en: 'the server dropped a "\\r" that belongs to the line: of "one\\rtwo\\r\\r\\n" only the "\\r" just ' +
            'before the "\\n" is the line ending; drop that one, keep the others',
          ru: 'сервер отбросил "\\r", который принадлежит строке: в "one\\rtwo\\r\\r\\n" окончание строки — только ' +
            '"\\r" прямо перед "\\n"; отбрасывайте его, а остальные оставляйте',
        }, { expected: visible(talk.prefix + inner), actual: visible(talk.prefix + printed) });
      }
      await talk.reply("two carriage returns kept");
      await talk.send("exit\r\n");
      if (!await talk.peer.waitForEof(PROMPT_MS)) {
        const printed = talk.printed().at(-1);
        throw new CheckFailure({
          en: 'the server did not end the conversation on "exit\\r\\n": without its "\\r", that line is "exit"',
          ru: 'сервер не закончил разговор на "exit\\r\\n": без "\\r" эта строка — "exit"',
        }, {
          expected: { en: "the connection closed", ru: "соединение закрыто" },
          actual: printed === undefined ? { en: "still open", ru: "всё ещё открыто" } : visible(talk.prefix + printed),
        });
      }
    },
  },
  {
    id: "utf8-split",
    title: {
      en: "Cyrillic and emoji split in the middle of a character arrive intact",
      ru: "кириллица и эмодзи, разрезанные посреди символа, доходят в целости",
    },
    hint: {
      en:
        "Find the line in the bytes first, decode it as UTF-8 after: a character cut between two reads is whole again once the line is.",
      ru:
        "Сначала найдите строку в байтах, потом декодируйте её из UTF-8: символ, разрезанный между двумя read(), снова цел, когда цела строка.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      const line = bytes("привет, мир 👋\n");
      // Cut inside "п" (2 bytes) and inside the emoji (4 bytes).
      const emoji = line.indexOf(0xf0);
      for (const piece of [line.subarray(0, 1), line.subarray(1, emoji + 2), line.subarray(emoji + 2)]) {
        await talk.peer.write(piece);
        await sleep(50);
      }
      await talk.expectPrinted(["привет, мир 👋"], {
        en: "it came in three writes, each cut inside a character",
        ru: "она пришла тремя записями, и каждая разрезана посреди символа",
      });
      await talk.reply("и тебе привет 🙂");
    },
  },
  {
    id: "invalid-utf8",
    title: {
      en: "a line that is not UTF-8 gets the error line the text gives, and the conversation goes on",
      ru: "на строку не в UTF-8 сервер отвечает строкой с ошибкой из текста урока, и разговор продолжается",
    },
    hint: {
      en:
        'Decode each whole line with new TextDecoder("utf-8", { fatal: true }): it throws instead of printing "\\uFFFD". Answer with the error line, then read on from the next line.',
      ru:
        'Декодируйте каждую целую строку через new TextDecoder("utf-8", { fatal: true }): он бросает ошибку, а не печатает "\\uFFFD". Ответьте строкой с ошибкой и читайте дальше, со следующей строки.',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      // Two bad lines (bytes that are never UTF-8; a character cut short by its "\n") and a good one, in one write.
      await talk.send(
        new Uint8Array([...bytes("ok"), 0xff, 0xfe, ...bytes("!\ncut "), 0xd0, ...bytes("\nstill here\n")]),
      );
      await until(() => talk.peer.received.length > 0 || talk.printed().length > 0 || talk.peer.done);
      const mangled = talk.printed().find((text) => text.includes("\uFFFD"));
      if (mangled !== undefined) {
        throw new CheckFailure({
          en: 'the server printed bytes that are not UTF-8 as "\\uFFFD" instead of rejecting the line',
          ru: 'сервер вывел байты, которые не являются UTF-8, как "\\uFFFD", вместо того чтобы отвергнуть строку',
        }, { expected: visible(`${NOT_UTF8}\n`), actual: visible(talk.prefix + mangled) });
      }
      const situation = {
        en: 'it sent "ok\\xff\\xfe!\\n", then "cut \\xd0\\n" (a character cut short), then "still here\\n"',
        ru: 'клиент отправил "ok\\xff\\xfe!\\n", затем "cut \\xd0\\n" (символ оборван), затем "still here\\n"',
      };
      for (const which of [{ en: "first", ru: "первую" }, { en: "second", ru: "вторую" }]) {
        await talk.expectFromServer(`${NOT_UTF8}\n`, {
          en: `the error line the lesson text fixes, for the ${which.en} invalid line`,
          ru: `строку с ошибкой, которую задаёт текст урока, на ${which.ru} строку не в UTF-8`,
        }, {
          en: `${situation.en}; each invalid line gets its own error line and the conversation goes on`,
          ru: `${situation.ru}; на каждую такую строку — своя строка с ошибкой, и разговор продолжается`,
        });
      }
      await talk.expectPrinted(["still here"], situation);
      await talk.reply("welcome back");
      const real = "a real \uFFFD is valid UTF-8";
      await expectAccepted(talk, real, bytes(`${real}\n`), {
        en: 'the line held "\\uFFFD" itself, sent as its valid UTF-8 bytes "\\xef\\xbf\\xbd"',
        ru: 'в строке был сам символ "\\uFFFD", отправленный своими корректными байтами UTF-8 "\\xef\\xbf\\xbd"',
      }, {
        en: 'the server refused a line that is valid UTF-8: it held "\\uFFFD" itself, a character like any other. ' +
          'Judge the bytes (a fatal decoder), not whether the decoded text holds "\\uFFFD"',
        ru: 'сервер отверг строку в корректном UTF-8: в ней был сам символ "\\uFFFD", такой же, как любой другой. ' +
          'Судите по байтам (строгий декодер), а не по тому, есть ли в тексте "\\uFFFD"',
      });
      await talk.reply("so it is");
    },
  },
  {
    id: "line-limit",
    title: {
      en:
        'a line of exactly 4096 bytes is a message (2048 × "я", or 4096 × "x" and "\\r\\n"); 4097 bytes get the error line and a close',
      ru:
        'строка ровно в 4096 байтов — сообщение (2048 × "я" или 4096 × "x" и "\\r\\n"); на 4097 байтов — строка с ошибкой и закрытие',
    },
    hint: {
      en:
        'The limit counts bytes (UTF-8 "я" is 2), not characters, and does not count the line ending: 4096 is allowed, 4097 is not. The buffer holds the longest line plus "\\r\\n".',
      ru:
        'Лимит считает байты (в UTF-8 "я" — это 2 байта), а не символы, и не включает окончание строки: 4096 можно, 4097 нельзя. В буфер помещается самая длинная строка плюс "\\r\\n".',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      const ya = "я".repeat(2048);
      await expectAccepted(talk, ya, bytes(`${ya}\n`), {
        en: 'a line of exactly 4096 bytes (2048 letters "я", 2 bytes each)',
        ru: 'строка ровно в 4096 байтов (2048 букв "я", по 2 байта)',
      });
      await talk.reply("that fits");
      // 4096 bytes and the "\r" first: 4097 bytes without a "\n" do not fill the 4098-byte buffer yet.
      const xs = "x".repeat(4096);
      await talk.send(bytes(`${xs}\r`));
      await sleep(50);
      await expectAccepted(talk, xs, bytes("\n"), {
        en: 'a line of exactly 4096 bytes ending in "\\r\\n" (4098 bytes with its ending), its "\\n" in a later write',
        ru:
          'строка ровно в 4096 байтов, оканчивающаяся на "\\r\\n" (4098 байтов вместе с окончанием), её "\\n" пришёл отдельной записью',
      }, {
        en: 'the server refused a line of exactly 4096 bytes ending in "\\r\\n" when its "\\n" came in a later read: ' +
          '4096 bytes and a "\\r" are not yet over the limit. The buffer is full only when all its limit + 2 bytes are ' +
          'taken; judge the line when its "\\n" has come',
        ru: 'сервер отверг строку ровно в 4096 байтов с окончанием "\\r\\n", когда её "\\n" пришёл следующим read(): ' +
          '4096 байтов и "\\r" ещё не превышают лимит. Буфер полон, только когда заняты все его limit + 2 байта; ' +
          'судите о строке, когда пришёл её "\\n"',
      });
      await talk.reply("that fits too");
      await expectRefused(talk, 4096, bytes(`${ya}!\n`), {
        en: 'a line of 4097 bytes (2048 × "я" and "!": 2049 characters) and its "\\n"',
        ru: 'строка в 4097 байтов (2048 × "я" и "!": 2049 символов) со своим "\\n"',
      });
    },
  },
  {
    id: "max-line",
    title: {
      en: 'server --max-line 12 takes "привет" (12 bytes) and refuses "привет!" (13) with the error line',
      ru: 'server --max-line 12 принимает "привет" (12 байтов) и отвергает "привет!" (13) строкой с ошибкой',
    },
    hint: {
      en:
        "Read with the limit the server was given (options.maxLine), and say that limit in the error line: error: line longer than 12 bytes; closing the connection.",
      ru:
        "Читайте с тем лимитом, который передан серверу (options.maxLine), и называйте его в строке с ошибкой: error: line longer than 12 bytes; closing the connection.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial, [
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--max-line",
        "12",
      ]);
      const talk = await Talk.open(trial, server, address);
      await expectAccepted(talk, "привет", bytes("привет\n"), {
        en: 'a line of 12 bytes ("привет") with --max-line 12',
        ru: 'строка в 12 байтов ("привет") при --max-line 12',
      });
      await talk.reply("и тебе");
      await expectRefused(talk, 12, bytes("привет!\n"), {
        en: 'a line of 13 bytes ("привет!", 7 characters) with --max-line 12',
        ru: 'строка в 13 байтов ("привет!", 7 символов) при --max-line 12',
      });
    },
  },
  {
    id: "client-exit",
    title: {
      en:
        'only "exit" exactly ends a conversation; queued clients are served next, in the order they came, while the first lingers',
      ru:
        'разговор заканчивает только ровно "exit"; клиенты из очереди обслуживаются следующими, в порядке прихода, пока первый ещё закрывается',
    },
    hint: {
      en:
        'Compare the whole line with "exit". Then log it, closeGently(conn) (in the background) and go back to accept(): the next client has been waiting in the listen queue. One conversation at a time: no accept() while one lasts.',
      ru:
        'Сравнивайте со строкой "exit" всю строку. Затем запишите это в лог, closeGently(conn) (в фоне) и вернитесь к accept(): следующий клиент ждёт в очереди listen. Один разговор за раз: пока он идёт, accept() не вызывается.',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const first = await Talk.open(trial, server, address, "grader (first)");
      await first.exchange("hello", "hello, first");
      // Two more clients connect and speak while the first is served.
      const second = await Talk.open(trial, server, address, "grader (second)");
      const third = await Talk.open(trial, server, address, "grader (third)");
      await third.send("me third\n");
      await second.send("me second\n");
      await sleep(150);
      for (const waiting of [second, third]) {
        waiting.expectNoMorePrinted(0, {
          en: "the server printed the line of a client that connected during another conversation: " +
            "one conversation at a time; the others wait in the listen queue",
          ru: "сервер вывел строку клиента, подключившегося во время чужого разговора: " +
            "один разговор за раз, остальные ждут в очереди listen",
        });
        if (waiting.peer.received.length > 0 || waiting.peer.done) {
          throw new CheckFailure({
            en: "a client waiting in the queue was told something, or closed, while another conversation went on",
            ru: "клиенту, ждущему в очереди, что-то отправили или закрыли его соединение во время чужого разговора",
          }, {
            expected: { en: "nothing: to it the server looks slow", ru: "ничего: для него сервер просто медлит" },
            actual: waiting.peer.done ? "EOF" : visible(waiting.peer.received),
          });
        }
      }
      for (const almost of ["exit now", "Exit", "exit "]) {
        const count = first.printed().length;
        await first.send(`${almost}\n`);
        await until(() => first.printed().length > count || first.peer.done);
        if (first.printed().length === count && first.peer.done) {
          throw new CheckFailure({
            en: `the server ended the conversation on ${visible(almost)}: only the line "exit", exactly, ends it`,
            ru: `сервер закончил разговор на ${
              visible(almost)
            }: разговор заканчивает только строка "exit", ровно такая`,
          }, {
            expected: visible(first.prefix + almost),
            actual: { en: "the connection closed", ru: "соединение закрыто" },
          });
        }
        await first.expectPrinted([...first.printed().slice(0, count), almost], {
          en: `${visible(almost)} is a message, not "exit"`,
          ru: `${visible(almost)} — это сообщение, а не "exit"`,
        });
        await first.reply("we go on");
      }
      const mark = server.stdout.length;
      // The line exit, then more the client had pasted.
      await first.send(new Uint8Array([...bytes("exit\n"), ...typing(200)]));
      const exited = { en: 'after the client said "exit"', ru: 'после того, как клиент сказал "exit"' };
      if (!await first.peer.waitForEof(PROMPT_MS)) {
        const printed = first.printed().at(-1);
        throw new CheckFailure({
          en: `the server did not close the connection within ${PROMPT_MS / 1000} s ${exited.en}`,
          ru: `сервер не закрыл соединение за ${PROMPT_MS / 1000} с ${exited.ru}`,
        }, {
          expected: "EOF",
          actual: printed === "exit"
            ? visible(`${first.prefix}exit`)
            : { en: "the connection still open", ru: "соединение всё ещё открыто" },
        });
      }
      await first.expectLingering({
        en: 'just after the client said "exit" and kept typing',
        ru: 'сразу после того, как клиент сказал "exit" и продолжал печатать',
      }, GENTLY);
      await first.expectMention(mark, { en: 'it said "exit"', ru: 'он сказал "exit"' });
      await second.expectPrinted(["me second"], {
        en: "it was sent while the first client was served, and it connected before the third",
        ru: "она была отправлена, пока обслуживался первый клиент, а подключился он раньше третьего",
      });
      third.expectNoMorePrinted(0, {
        en: "the server served the third client before the second, which came first: the queue is served in order",
        ru: "сервер обслужил третьего клиента раньше второго, который пришёл первым: очередь обслуживается по порядку",
      });
      // The first client never hung up: its lingering close must not hold up the next client.
      await first.expectLingering({
        en: "while it served the next client (it closed the first connection before serving the next one)",
        ru: "пока обслуживал следующего клиента (закрыл первое соединение до того, как взяться за следующее)",
      }, {
        en: "closeGently runs in the background: return to accept() at once, do not await the lingering close.",
        ru: "closeGently работает в фоне: сразу возвращайтесь к accept(), не дожидаясь затяжного закрытия.",
      });
      await second.reply("yes, you");
      await second.send("exit\n");
      await third.expectPrinted(["me third"], {
        en: "it was sent while two other clients were served",
        ru: "она была отправлена, пока обслуживались два других клиента",
      });
      await third.reply("and now you");
    },
  },
  {
    id: "client-leaves",
    title: {
      en:
        "a client that half-closes still gets the reply typed for it; then its conversation ends and the next is served",
      ru:
        "клиент, закрывший свою сторону, всё равно получает набранный для него ответ; затем его разговор заканчивается, и обслуживается следующий",
    },
    hint: {
      en:
        'An end of stream (null) during the server\'s turn means "no more from me", not "gone": send the reply, and end the conversation at the client\'s next turn, with a log line naming the client.',
      ru:
        "Конец потока (null) во время хода сервера значит «больше от меня ничего не будет», а не «ушёл»: отправьте ответ и закончите разговор на следующем ходе клиента, записав в лог строку с его адресом.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("one question\n");
      await talk.peer.closeWrite();
      await talk.expectPrinted(["one question"], {
        en: "the client sent it and half-closed at once",
        ru: "клиент отправил её и сразу закрыл свою сторону",
      });
      const mark = server.stdout.length;
      await server.type("one answer\n");
      await talk.expectFromServer("one answer\n", {
        en: 'the reply typed at its console, "one answer"',
        ru: 'ответ, введённый на его консоли, "one answer"',
      }, {
        en: 'the client had half-closed ("no more from me"), but it still reads: send the reply',
        ru: "клиент закрыл свою сторону («больше от меня ничего не будет»), но всё ещё читает: отправьте ответ",
      });
      await talk.expectClosed({
        en: "after its reply to a client that had half-closed",
        ru: "после ответа клиенту, закрывшему свою сторону",
      });
      await talk.expectMention(mark, { en: "it closed the connection", ru: "он закрыл соединение" });
      await stillServing(trial, server, address, {
        en: "a client closed its connection",
        ru: "клиент закрыл своё соединение",
      });
    },
  },
  {
    id: "server-exit",
    title: {
      en:
        "exit typed at the server's console is sent to the client, then a gentle close, even while the client is still typing; the next client is served",
      ru:
        "exit, введённый на консоли сервера, отправляется клиенту, затем бережное закрытие, даже пока клиент ещё печатает; следующий клиент обслуживается",
    },
    hint: {
      en:
        'If the reply typed is "exit", send it (the client must know), close with closeGently (it reads and discards what the client still sends), go back to accept().',
      ru:
        'Если с консоли введено "exit", отправьте его (клиент должен узнать), закройте через closeGently (он читает и выбрасывает то, что клиент ещё присылает), вернитесь к accept().',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("anything new?\n");
      await talk.expectPrinted(["anything new?"], SENT_WHOLE);
      // The client goes on typing (16 KiB) while the operator decides.
      await talk.send(typing(300));
      await server.type("exit\n");
      await talk.expectFromServer("exit\n", {
        en: 'the line "exit" typed at its console',
        ru: 'строку "exit", введённую на его консоли',
      });
      await talk.expectClosed({ en: 'after sending "exit"', ru: 'после отправки "exit"' });
      await talk.expectLingering({
        en: 'after it said "exit" to a client that was still typing',
        ru: 'после того, как сказал "exit" клиенту, который ещё печатал',
      }, GENTLY);
      await stillServing(trial, server, address, {
        en: 'the server said "exit" to a client',
        ru: 'сервер сказал клиенту "exit"',
      });
    },
  },
  {
    id: "console-closed",
    title: {
      en:
        "closing the server's console (Ctrl+D) mid-conversation sends exit to the client and stops the server, code 0",
      ru:
        "закрытие консоли сервера (Ctrl+D) посреди разговора отправляет клиенту exit и останавливает сервер с кодом 0",
    },
    hint: {
      en:
        'A null from the console is its end: say "exit" to the client, close gently, and stop the server (return "stop"), as on Ctrl+C.',
      ru:
        'null из консоли — это её конец: скажите клиенту "exit", закройте соединение бережно и остановите сервер (верните "stop"), как на Ctrl+C.',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("last words?\n");
      await talk.expectPrinted(["last words?"], SENT_WHOLE);
      await server.closeConsole();
      await talk.expectFromServer("exit\n", {
        en: '"exit" when its console was closed',
        ru: '"exit", когда его консоль закрыли',
      });
      await talk.expectClosed({ en: 'after sending "exit"', ru: 'после отправки "exit"' });
      // The client hangs up, as the course's client does; nothing holds the server any more.
      await talk.peer[Symbol.asyncDispose]();
      const status = await server.exitWithin(PROMPT_MS);
      if (!status) {
        throw new CheckFailure({
          en: `the server was still running ${
            PROMPT_MS / 1000
          } s after its console was closed: a closed console stops the server`,
          ru: `сервер всё ещё работал через ${
            PROMPT_MS / 1000
          } с после закрытия консоли: закрытая консоль останавливает сервер`,
        }, {
          expected: { en: "exit with code 0", ru: "завершение с кодом 0" },
          actual: visible(server.stdout.slice(-2).join("\n")),
        });
      }
      const stderr = server.stderr.filter((line) => line.trim() !== "");
      if (status.code !== 0 || stderr.length > 0) {
        throw new CheckFailure({
          en: `a closed console is a normal way to stop the server, yet it ended with code ${status.code}`,
          ru: `закрытая консоль — обычный способ остановить сервер, а он завершился с кодом ${status.code}`,
        }, {
          expected: { en: "exit code 0, nothing on stderr", ru: "код выхода 0, в stderr ничего" },
          actual: `code ${status.code}; stderr: ${visible(stderr.join("\n") || "(empty)")}`,
        });
      }
    },
  },
  ctrlCMidConversation(),
];

/**
 * The course's Ctrl+C check, with the server mid-conversation: a client has
 * said a line and waits for the reply, and never hangs up. Once the server
 * has stopped, that client must have been told "exit", then the close. The
 * shared check does not hand its server to `engage`, so this one watches
 * `trial.start` for it.
 */
function ctrlCMidConversation(): Check {
  const servers = new WeakMap<Trial, LearnerProcess>();
  const talks = new WeakMap<Trial, Talk>();
  const check = stopsOnCtrlC({
    situation: {
      en: "a client waits for its reply and never hangs up (the client gets exit first)",
      ru: "клиент ждёт ответа и не отключается (клиент сначала получает exit)",
    },
    async engage(trial, address) {
      const talk = await Talk.open(trial, servers.get(trial)!, address);
      await talk.send("are you there?\n");
      await talk.expectPrinted(["are you there?"], SENT_WHOLE);
      talks.set(trial, talk);
    },
  });
  return {
    ...check,
    // Two seconds of it are the lingering close, which the client never ends: start it first.
    slow: true,
    async run(trial) {
      const watched: Trial = {
        ...trial,
        start(label, args, options) {
          const program = trial.start(label, args, options);
          servers.set(watched, program);
          return program;
        },
      };
      await check.run(watched);
      const talk = talks.get(watched)!;
      await talk.expectFromServer("exit\n", {
        en: '"exit" when Ctrl+C stopped it mid-conversation',
        ru: '"exit", когда Ctrl+C остановил его посреди разговора',
      }, {
        en: "on Ctrl+C a conversation ends as if exit were typed: the client is told, then the server stops",
        ru: "на Ctrl+C разговор заканчивается так, будто набрали exit: клиенту сообщают, затем сервер останавливается",
      });
      await talk.expectClosed({ en: 'after "exit"', ru: 'после "exit"' });
    },
  };
}

/** Checks of what real servers meet: floods, clients that vanish, a console typed at with nobody listening. */
export const serverHardening: Check[] = [
  {
    id: "long-line",
    title: {
      en: "64 KiB without a newline get the error line and a gentle close; the next client is served",
      ru: "на 64 КиБ без перевода строки — строка с ошибкой и бережное закрытие; следующий клиент обслуживается",
    },
    hint: {
      en:
        "Bound the buffer: when it is full and holds no \\n, send the error line and close with closeGently(conn): a plain close() with unread bytes resets the connection. Never buffer without limit.",
      ru:
        "Ограничьте буфер: если он полон, а \\n в нём нет, отправьте строку с ошибкой и закройте через closeGently(conn): простой close() с непрочитанными байтами сбрасывает соединение. Не копите данные без предела.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address, "grader (long line)");
      // 64 KiB without a "\n"; the server may close while we still write.
      await talk.send(new Uint8Array(64 * 1024).fill(0x78)).catch(() => {});
      await talk.expectFromServer(`${tooLong(4096)}\n`, {
        en: "the error line the lesson text fixes, after 64 KiB without a newline",
        ru: "строку с ошибкой, которую задаёт текст урока, после 64 КиБ без перевода строки",
      }, {
        en: "a full buffer without a \\n is a line over the limit",
        ru: "полный буфер без \\n — это строка длиннее лимита",
      });
      await talk.expectClosed({ en: "after its error line", ru: "после своей строки с ошибкой" });
      await talk.expectLingering({
        en: "after its error line, with 60 KiB of the flood still unread",
        ru: "после строки с ошибкой, когда 60 КиБ лавины ещё не прочитаны",
      }, GENTLY);
      await stillServing(trial, server, address, {
        en: "a client sent a 64 KiB line",
        ru: "клиент отправил строку в 64 КиБ",
      });
    },
  },
  {
    id: "mid-line",
    title: {
      en:
        "a client that resets or closes in the middle of a line ends its conversation, nothing printed; the next is served",
      ru:
        "клиент, сбросивший или закрывший соединение посреди строки, заканчивает свой разговор, ничего не выводится; следующий обслуживается",
    },
    hint: {
      en:
        "A read can fail with ConnectionReset, or end (null) with half a line in the buffer: that is CutShort, not a message. Either way: log it, close, wait for the next client.",
      ru:
        "read() может упасть с ConnectionReset или закончиться (null) на середине строки: это CutShort, а не сообщение. В обоих случаях: запишите в лог, закройте, ждите следующего клиента.",
    },
    async run(trial) {
      const { server, address: announced } = await startTalkServer(trial);
      const address = tcpAddress(announced);
      await resetConnection(address.host, address.port, 3000, bytes("half a li"));
      trial.transcript.event("grader", 'sent "half a li" and reset the connection (RST)');
      await sleep(100);
      assertAlive(server, {
        en: "a client reset the connection mid-line",
        ru: "клиент сбросил соединение посреди строки",
      });
      const talk = await Talk.open(trial, server, address, "grader (half a line, then FIN)");
      await talk.send("half a li");
      await talk.peer.closeWrite();
      const message = /^\S+:\d+: half a li$/;
      await until(() => talk.peer.done || server.stdout.some((line) => message.test(line)));
      const printed = server.stdout.find((line) => message.test(line));
      if (printed !== undefined) {
        throw new CheckFailure({
          en: 'the server printed "half a li" as a message, though it never got its "\\n": ' +
            "a stream that ends in the middle of a line is cut short, and the piece is no message",
          ru: 'сервер вывел "half a li" как сообщение, хотя "\\n" так и не пришёл: ' +
            "поток, закончившийся посреди строки, оборван, и этот кусок — не сообщение",
        }, { expected: { en: "no message printed", ru: "сообщение не выводится" }, actual: visible(printed) });
      }
      await talk.expectClosed({
        en: "after the client closed in the middle of a line",
        ru: "после того, как клиент закрыл соединение посреди строки",
      });
      await stillServing(trial, server, address, {
        en: "clients left in the middle of a line",
        ru: "клиенты ушли посреди строки",
      });
    },
  },
  {
    id: "console-idle",
    title: {
      en:
        "a reset while the operator types ends the turn at once; lines typed when no client waits are reported, never sent to the next",
      ru:
        "сброс, пока оператор печатает, сразу заканчивает ход; строки, набранные, когда никто не ждёт ответа, помечаются и не уходят следующему",
    },
    hint: {
      en:
        "During the server's turn keep the read of the client's next line pending (serverTurn), so a reset ends the turn without waiting for the console; read the console all the time (Console) and drop a line nobody waits for.",
      ru:
        "Во время хода сервера держите чтение следующей строки клиента незавершённым (serverTurn), чтобы сброс заканчивал ход, не дожидаясь консоли; читайте консоль всё время (Console) и выбрасывайте строку, которой никто не ждёт.",
    },
    async run(trial) {
      const { server, address: announced } = await startTalkServer(trial);
      const address = tcpAddress(announced);
      let mark = server.stdout.length;
      await server.type("nobody here\n");
      if (!await until(() => newLine(server, mark) !== undefined)) {
        throw new CheckFailure({
          en: "the server said nothing about a line typed at its console while no client was connected",
          ru: "сервер ничего не сказал о строке, набранной на его консоли, когда ни один клиент не был подключён",
        }, {
          expected: {
            en: "a line saying it was not sent (any words)",
            ru: "строка о том, что она не отправлена (слова любые)",
          },
          actual: { en: "nothing within 3 s", ru: "ничего за 3 с" },
        });
      }
      // A client says a line, then resets the connection while the operator "types".
      const leaving = await ResettableClient.connect(trial, address.host, address.port);
      const who = leaving.address;
      leaving.send(bytes("bye soon\n"));
      const said = await server.waitFor(
        () => server.stdout.find((line) => line === `${who}: bye soon`),
        PROMPT_MS,
        { en: 'the client\'s line "bye soon"', ru: 'строку клиента "bye soon"' },
      );
      leaving.reset();
      mark = server.stdout.indexOf(said) + 1;
      const noticed = await until(() => server.stdout.slice(mark).some((line) => line.includes(who)));
      if (!noticed) {
        throw new CheckFailure({
          en: `the server did not notice that ${who} reset the connection while it waited for its console: ` +
            "keep a read of the client's next line pending during the server's turn",
          ru: `сервер не заметил, что ${who} сбросил соединение, пока ждал своей консоли: ` +
            "во время хода сервера держите чтение следующей строки клиента незавершённым",
        }, {
          expected: { en: `a line naming ${who}, at once`, ru: `строка с адресом ${who}, сразу` },
          actual: visible(server.stdout.slice(mark).join("\n") || "(nothing)"),
        });
      }
      mark = server.stdout.length;
      await server.type("too late\n");
      await until(() => newLine(server, mark) !== undefined, 1000);
      const next = await Talk.open(trial, server, address, "grader (next client)");
      await next.send("hello?\n");
      await next.expectPrinted(["hello?"], SENT_WHOLE);
      await server.type("for you\n");
      await next.peer.readUntil((data) => data.includes(0x0a), PROMPT_MS);
      const first = new TextDecoder().decode(next.peer.received).split("\n")[0];
      if (first === "nobody here" || first === "too late") {
        throw new CheckFailure({
          en: `a line typed when no client waited for a reply, ${visible(first)}, was sent to the next client: ` +
            "drop it (and say so); the next client never saw the message it would answer",
          ru: `строка, набранная, когда ни один клиент не ждал ответа, ${visible(first)}, ушла следующему клиенту: ` +
            "выбросьте её (и скажите об этом); следующий клиент не видел сообщения, на которое она отвечала бы",
        }, { expected: visible("for you\n"), actual: visible(next.peer.received) });
      }
      await next.expectFromServer("for you\n", {
        en: 'the reply typed for it, "for you"',
        ru: 'ответ, набранный для него, "for you"',
      });
    },
  },
];
