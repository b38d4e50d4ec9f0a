/**
 * Lesson 2's checks of the client: the grader plays the server. It speaks
 * first, dribbles and joins its lines, never answers, says exit, hangs up,
 * resets, and reads late while the client types megabytes.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { seconds, sleep, within } from "../../harness/deadline.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import type { Peer } from "../../harness/socket.ts";
import { expectClientLeaves } from "../../harness/programs.ts";
import {
  bytes,
  clientConnects,
  dribble,
  expectClientFails,
  expectClientPrinted,
  expectFromClient,
  PROMPT_MS,
  ResettingServer,
} from "./talk.ts";

/** Fails unless the client printed (stdout or stderr) a line after its `from`th; `event` says what happened. */
async function expectSaysSo(client: LearnerProcess, from: { out: number; err: number }, event: Bilingual) {
  const said = () =>
    [...client.stdout.slice(from.out), ...client.stderr.slice(from.err)].some((line) => line.trim() !== "")
      ? true
      : undefined;
  await client.waitFor(said, PROMPT_MS, { en: "a line", ru: "строку" }).catch(() => {
    throw new CheckFailure({
      en: `the client said nothing when ${event.en}: print a line saying what happened (any words)`,
      ru: `клиент ничего не сказал, когда ${event.ru}: выведите строку о том, что случилось (слова любые)`,
    }, {
      expected: { en: "one line saying so", ru: "одна строка об этом" },
      actual: { en: "nothing printed", ru: "ничего не выведено" },
    });
  });
}

/** How the program ended, or undefined while it runs. */
function exitStatus(program: LearnerProcess): Deno.CommandStatus | undefined {
  return program.exited;
}

/** Where the client's output stands now. */
function mark(client: LearnerProcess): { out: number; err: number } {
  return { out: client.stdout.length, err: client.stderr.length };
}

/** After the client's last message, the grader waits for its "exit" (or its FIN), then hangs up. */
async function hangUpAfterExit(peer: Peer, from: number): Promise<void> {
  await peer.readUntil((data) => new TextDecoder().decode(data.subarray(from)).includes("exit\n"), 1000);
  await peer[Symbol.asyncDispose]();
}

/**
 * The messages of client-timeout's patient client, each answered 250 ms late: together (1250 ms and more) they
 * overrun its --timeout of 1200, so only a deadline per reply passes, with some 900 ms to spare for a busy machine.
 */
const REPLIED = ["one", "two", "three", "four", "five"];

/** The time the client gets to end after something that ends it. */
const ENDS_MS = PROMPT_MS;

/** Lines the partial-writes check types: numbered, 4000 bytes each, under the client's 4096-byte limit. */
function bulkLines(from: number, count: number): string {
  let text = "";
  for (let i = from; i < from + count; i++) {
    const tag = `line ${String(i).padStart(6, "0")} `;
    text += tag + "x".repeat(4000 - tag.length) + "\n";
  }
  return text;
}

export const clientChecks: Check[] = [
  {
    id: "client-both-at-once",
    title: {
      en:
        "the client prints the server's lines while nothing is typed, and sends typed lines without waiting for replies; Ctrl+C ends it, code 0",
      ru:
        "клиент выводит строки сервера, пока ничего не набрано, и отправляет набранное, не дожидаясь ответов; Ctrl+C завершает его с кодом 0",
    },
    hint: {
      en:
        "Run two loops side by side: one reads the socket and prints each line at once, the other reads the console and sends. Neither waits for the other.",
      ru:
        "Запустите два цикла бок о бок: один читает сокет и сразу выводит каждую строку, другой читает консоль и отправляет. Ни один не ждёт другого.",
    },
    async run(trial) {
      const { client, peer, port } = await clientConnects(trial, [], true);
      await peer.write(bytes("welcome! anyone there?\n"));
      await expectClientPrinted(client, ["welcome! anyone there?"], {
        en: "the server spoke first, while nothing was typed at the client's console",
        ru: "сервер заговорил первым, пока на консоли клиента ничего не набирали",
      });
      await client.type("first\n");
      await client.type("second\n");
      await expectFromClient(
        peer,
        "first\nsecond\n",
        {
          en: 'both lines typed, "first" and "second"',
          ru: 'обе набранные строки, "first" и "second"',
        },
        0,
        {
          en:
            "the server had not replied to the first; a client does not wait for a reply before it sends the next line",
          ru: "сервер ещё не ответил на первую; клиент не ждёт ответа, чтобы отправить следующую строку",
        },
      );
      trial.transcript.event("grader", "presses Ctrl+C (SIGINT) at the client");
      client.signal("SIGINT");
      await expectClientLeaves(client, { en: "Ctrl+C was pressed", ru: "нажали Ctrl+C" }, ENDS_MS);
      const address = `127.0.0.1:${port}`;
      if (!client.stdout.some((line) => line.includes(address))) {
        throw new CheckFailure({
          en: `the client did not say that it connected to ${address}: print a line naming the server (any words)`,
          ru: `клиент не сообщил, что подключился к ${address}: выведите строку с адресом сервера (слова любые)`,
        }, {
          expected: visible(`connected to ${address}; …`),
          actual: visible(client.stdout.join("\n") || "(nothing)"),
        });
      }
    },
  },
  {
    id: "client-one-shot",
    title: {
      en: "client --message A --message B sends each line, prints each reply and exits 0",
      ru: "client --message A --message B отправляет каждую строку, выводит каждый ответ и завершается с кодом 0",
    },
    hint: {
      en:
        "For each message: send it with its \\n, read one whole line back, print it as `server: TEXT`. Then say exit (or half-close), wait for the close, exit 0.",
      ru:
        "Для каждого сообщения: отправьте его с \\n, прочитайте в ответ одну целую строку, выведите её как `server: ТЕКСТ`. Затем скажите exit (или закройте свою сторону), дождитесь закрытия, завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "hello there", "--message", "привет 👋"]);
      await expectFromClient(peer, "hello there\n", {
        en: 'the first message, "hello there", and its "\\n"',
        ru: 'первое сообщение, "hello there", вместе с его "\\n"',
      });
      await peer.write(bytes("general kenobi\n"));
      await expectClientPrinted(client, ["general kenobi"], { en: "the reply came whole", ru: "ответ пришёл целиком" });
      const from = bytes("hello there\n").length;
      await expectFromClient(peer, "привет 👋\n", {
        en: 'the second message, "привет 👋", and its "\\n"',
        ru: 'второе сообщение, "привет 👋", вместе с его "\\n"',
      }, from);
      await peer.write(bytes("и тебе 🙂\n"));
      await expectClientPrinted(client, ["general kenobi", "и тебе 🙂"], {
        en: "each reply came whole",
        ru: "каждый ответ пришёл целиком",
      });
      await hangUpAfterExit(peer, from + bytes("привет 👋\n").length);
      await expectClientLeaves(client, { en: "its replies arrived", ru: "пришли его ответы" });
    },
  },
  {
    id: "client-dribbled-reply",
    title: {
      en: "a reply that arrives one byte at a time, Cyrillic and emoji cut inside, is printed once, whole",
      ru: "ответ, пришедший по одному байту (кириллица и эмодзи разрезаны посередине), выводится один раз и целиком",
    },
    hint: {
      en: "Read the server's reply with the same line reader: keep reading until the \\n, decode the whole line.",
      ru: "Читайте ответ сервера тем же построчным чтением: читайте, пока не придёт \\n, декодируйте строку целиком.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "slowly, please"]);
      await expectFromClient(peer, "slowly, please\n", {
        en: 'the message "slowly, please" and its "\\n"',
        ru: 'сообщение "slowly, please" вместе с его "\\n"',
      });
      await dribble(peer, bytes("byte by byte, по байту 👋\n"), 1, 5);
      await expectClientPrinted(client, ["byte by byte, по байту 👋"], {
        en: "the server sent it one byte per write",
        ru: "сервер отправлял его по одному байту за запись",
      });
    },
  },
  {
    id: "client-two-replies",
    title: {
      en:
        'lines from the server in one write ("\\r\\n", an empty line, "\\n") are each printed, and the client goes on; so it does after "Exit" and "exit" padded with spaces, printed as they came',
      ru:
        'строки сервера, пришедшие одной записью ("\\r\\n", пустая строка, "\\n"), выводятся по одной, и клиент продолжает работу; так же и после "Exit" и "exit" с пробелами по краям, выведенных как пришли',
    },
    hint: {
      en:
        'After a line, the rest of the read is the next line: print every complete line, keep the remainder. Drop the "\\r" of a "\\r\\n"; an empty line is a line, not the end. Print a line as it came (no trimming); only "exit", exactly, ends the conversation.',
      ru:
        'После строки остаток прочитанного — начало следующей: выводите каждую целую строку, остаток сохраняйте. Отбрасывайте "\\r" из "\\r\\n"; пустая строка — это строка, а не конец. Выводите строку такой, какой она пришла (без обрезки пробелов); разговор заканчивает только ровно "exit".',
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("ping\n");
      await expectFromClient(peer, "ping\n", {
        en: 'the line typed at its console, "ping"',
        ru: 'строку, введённую на его консоли, "ping"',
      });
      await peer.write(bytes("pong one\r\n\npong two\n"));
      const situation = {
        en: 'all came in one write: "pong one\\r\\n", "\\n", "pong two\\n"',
        ru: 'всё пришло одной записью: "pong one\\r\\n", "\\n", "pong two\\n"',
      };
      try {
        await expectClientPrinted(client, ["pong one", "pong two"], situation);
      } catch (error) {
        const kept = client.stdout.find((line) => line.endsWith("pong one\r"));
        if (kept === undefined && client.exited) {
          throw new CheckFailure({
            en: `the client ended (code ${client.exited.code}) at the empty line: an empty line is a message too, ` +
              "only null means the server closed",
            ru: `клиент завершился (код ${client.exited.code}) на пустой строке: пустая строка — тоже сообщение, ` +
              "закрытие соединения означает только null",
          }, { expected: visible("server: pong two"), actual: visible(client.stdout.join("\n")) });
        }
        if (kept === undefined) throw error;
        throw new CheckFailure({
          en: 'the client printed the "\\r" of a line that ended in "\\r\\n": drop it',
          ru: 'клиент вывел "\\r" строки, оканчивавшейся на "\\r\\n": его нужно отбросить',
        }, { expected: visible("server: pong one"), actual: visible(kept) });
      }
      if (client.exited) {
        throw new CheckFailure({
          en: "the client exited after the server's lines, though the server neither closed nor said exit",
          ru: "клиент завершился после строк сервера, хотя сервер не закрывал соединение и не говорил exit",
        }, { expected: { en: "still running", ru: "продолжает работу" }, actual: `code ${client.exited.code}` });
      }
      // Lines that are almost "exit": messages like any other, printed as they came, spaces and all.
      const almost = ["Exit", "  exit  "];
      const from = client.stdout.length;
      await peer.write(bytes(almost.map((line) => `${line}\n`).join("")));
      await client.waitFor(
        () => exitStatus(client) || client.stdout.length - from >= almost.length ? true : undefined,
        PROMPT_MS,
        { en: "the server's lines", ru: "строки сервера" },
      ).catch(() => {});
      const trimmed = client.stdout.slice(from).find((line) => /^(server: )?exit$/.test(line));
      if (trimmed !== undefined) {
        throw new CheckFailure({
          en: 'the client trimmed the server\'s line "  exit  " before printing it: print each line as it came, ' +
            "spaces and all (only the line ending is dropped)",
          ru: 'клиент обрезал пробелы у строки сервера "  exit  ", прежде чем вывести её: выводите каждую строку ' +
            "такой, какой она пришла, с пробелами (отбрасывается только окончание строки)",
        }, { expected: visible("server:   exit  "), actual: visible(trimmed) });
      }
      // Asked anew: the client may have ended since the check above.
      const ended = exitStatus(client);
      if (ended) {
        const at = client.stdout.slice(from).some((line) => line.endsWith("Exit")) ? almost[1] : almost[0];
        throw new CheckFailure({
          en: `the client ended (code ${ended.code}) at the server's line ${visible(at)}: ` +
            'only the line "exit", exactly, ends the conversation',
          ru: `клиент завершился (код ${ended.code}) на строке сервера ${visible(at)}: ` +
            'разговор заканчивает только строка "exit", ровно такая',
        }, { expected: visible(`server: ${at}`), actual: visible(client.stdout.slice(from).join("\n")) });
      }
      await expectClientPrinted(client, almost, {
        en: 'the server sent "Exit\\n" and "  exit  \\n", lines that are not "exit"',
        ru: 'сервер прислал "Exit\\n" и "  exit  \\n" — строки, которые не являются "exit"',
      });
      await client.type("still here\n");
      await expectFromClient(peer, "still here\n", {
        en: 'the next line typed, "still here"',
        ru: 'следующую набранную строку, "still here"',
      }, 5);
    },
  },
  {
    id: "client-server-exit",
    title: {
      en: 'the client exits 0 when the server says "exit", even while nothing is typed at its console',
      ru: 'клиент завершается с кодом 0, когда сервер говорит "exit", даже если на его консоли ничего не набирают',
    },
    hint: {
      en: 'Watch the socket while waiting for the console: when the server\'s line is "exit", say so and end.',
      ru: 'Следите за сокетом, пока ждёте ввода с консоли: если сервер прислал "exit", сообщите об этом и завершитесь.',
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("may I?\n");
      await expectFromClient(peer, "may I?\n", {
        en: 'the line typed at its console, "may I?"',
        ru: 'строку, введённую на его консоли, "may I?"',
      });
      const before = mark(client);
      await peer.write(bytes("exit\n"));
      await expectClientLeaves(client, {
        en: 'the server said "exit" (while nothing was typed at its console)',
        ru: 'сервер сказал "exit" (пока на консоли клиента ничего не вводили)',
      }, ENDS_MS);
      await expectSaysSo(client, before, { en: 'the server said "exit"', ru: 'сервер сказал "exit"' });
    },
  },
  {
    id: "client-server-closes",
    title: {
      en: "the client says so and exits 0 when the server closes the connection",
      ru: "когда сервер закрывает соединение, клиент сообщает об этом и завершается с кодом 0",
    },
    hint: {
      en: "read() returning null means the server has gone: print a line saying so and end with code 0.",
      ru: "read() вернул null: сервер ушёл. Выведите строку об этом и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("are you there?\n");
      await expectFromClient(peer, "are you there?\n", {
        en: 'the line typed at its console, "are you there?"',
        ru: 'строку, введённую на его консоли, "are you there?"',
      });
      await peer.write(bytes("going away now\n"));
      await expectClientPrinted(client, ["going away now"], { en: "the reply came whole", ru: "ответ пришёл целиком" });
      const before = mark(client);
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      await expectSaysSo(client, before, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
    },
  },
  {
    id: "client-types-exit",
    title: {
      en:
        'exit typed at the client is sent ("Exit" is just a message); the client ends when the server closes, or by itself 2 s later if it never does',
      ru:
        'exit, введённый в клиенте, отправляется ("Exit" — просто сообщение); клиент завершается, когда сервер закрывает соединение, или сам через 2 с, если тот так и не закрыл',
    },
    hint: {
      en:
        'Compare the whole typed line with "exit" ("Exit" is a message). Send "exit" like any line and stop reading the console; wait for the server to close, but at most 2 s, then close yourself and exit 0.',
      ru:
        'Сравнивайте с "exit" всю набранную строку ("Exit" — сообщение). Отправьте "exit" как обычную строку и перестаньте читать консоль; ждите, пока сервер закроет соединение, но не дольше 2 с, потом закройте сами и завершитесь с кодом 0.',
    },
    timeoutMs: 15_000,
    // Two seconds of it are the client's own deadline: start it first.
    slow: true,
    async run(trial) {
      // Two clients at once: the server closes for the first at once, and never for the second.
      const [polite, deaf] = await Promise.all([
        clientConnects(trial, [], true, "client"),
        clientConnects(trial, [], true, "client (server never closes)"),
      ]);
      // The polite one types "Exit" first: a message, not the end.
      await Promise.all([polite.client.type("Exit\nexit\n"), deaf.client.type("exit\n")]);
      await expectFromClient(
        polite.peer,
        "Exit\nexit\n",
        {
          en: 'the lines "Exit" and "exit"',
          ru: 'строки "Exit" и "exit"',
        },
        0,
        {
          en: '"Exit" is a message like any other: only the line "exit", exactly, ends the conversation',
          ru: '"Exit" — такое же сообщение, как любое другое: разговор заканчивает только строка "exit", ровно такая',
        },
      );
      await expectFromClient(deaf.peer, "exit\n", { en: 'the line "exit"', ru: 'строку "exit"' });
      const before = mark(polite.client);
      await polite.peer[Symbol.asyncDispose]();
      await expectClientLeaves(polite.client, {
        en: 'it said "exit" and the server closed the connection',
        ru: 'клиент сказал "exit", а сервер закрыл соединение',
      }, ENDS_MS);
      await expectSaysSo(polite.client, before, {
        en: 'it said "exit" and the server closed the connection',
        ru: 'он сказал "exit", а сервер закрыл соединение',
      });
      await expectClientLeaves(deaf.client, {
        en: 'it said "exit" and the server kept the connection open (the client gives up after 2 s)',
        ru: 'клиент сказал "exit", а сервер не закрыл соединение (клиент сдаётся через 2 с)',
      }, 2000 + ENDS_MS);
    },
  },
  {
    id: "client-half-close",
    title: {
      en:
        "when its console ends, the client half-closes, still prints the reply, and exits 0 when the server closes, showing a last line the close cut short",
      ru:
        "когда консоль кончается, клиент закрывает свою сторону, всё равно выводит ответ и завершается с кодом 0, когда сервер закрывает соединение, показав последнюю строку, оборванную закрытием",
    },
    hint: {
      en:
        'On the console\'s end (null) call conn.closeWrite(): a FIN says "no more from me", while the reading loop goes on until the server closes. Bytes still unread at the end of the stream are a line cut short: CutShort with those bytes (lines.ts, TODO 1).',
      ru:
        "В конце консоли (null) вызовите conn.closeWrite(): FIN говорит «больше от меня ничего не будет», а цикл чтения продолжается, пока сервер не закроет соединение. Байты, оставшиеся непрочитанными в конце потока, — оборванная строка: CutShort с этими байтами (lines.ts, TODO 1).",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("one question\n");
      await client.closeConsole();
      await expectFromClient(peer, "one question\n", {
        en: 'the line typed at its console, "one question"',
        ru: 'строку, введённую на его консоли, "one question"',
      });
      const finned = await peer.waitForEof(PROMPT_MS);
      if (client.exited) {
        throw new CheckFailure({
          en: `the client exited (code ${client.exited.code}) when its console ended, ` +
            "before the server could answer: half-close and keep reading",
          ru: `клиент завершился (код ${client.exited.code}), когда кончилась его консоль, ` +
            "не дождавшись ответа сервера: закройте свою сторону и продолжайте читать",
        }, {
          expected: { en: "a FIN, and the client still reading", ru: "FIN, и клиент продолжает читать" },
          actual: visible(client.stderr.join("\n") || client.stdout.slice(-1).join("")),
        });
      }
      if (!finned) {
        throw new CheckFailure({
          en: "the client did not half-close when its console ended: call conn.closeWrite(), so the server knows",
          ru:
            "клиент не закрыл свою сторону, когда кончилась его консоль: вызовите conn.closeWrite(), чтобы сервер узнал",
        }, {
          expected: { en: "EOF (FIN) from the client", ru: "EOF (FIN) от клиента" },
          actual: { en: "the connection open both ways", ru: "соединение открыто в обе стороны" },
        });
      }
      await peer.write(bytes("one answer\n"));
      await expectClientPrinted(client, ["one answer"], {
        en: "the reply came after the client had half-closed",
        ru: "ответ пришёл после того, как клиент закрыл свою сторону",
      });
      const before = mark(client);
      // A last line cut short: its "\n" never comes.
      await peer.write(bytes("and th"));
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      await expectSaysSo(client, before, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      const said = [...client.stdout.slice(before.out), ...client.stderr.slice(before.err)];
      if (!said.some((line) => line.includes("and th"))) {
        throw new CheckFailure({
          en: 'the client said nothing of "and th", the server\'s last bytes, which never got their "\\n": ' +
            "bytes left unread at the end of the stream are a line cut short (CutShort, with those bytes), " +
            "not a clean end",
          ru: 'клиент ничего не сказал об "and th", последних байтах сервера, которые так и не получили свой "\\n": ' +
            "непрочитанные байты в конце потока — оборванная строка (CutShort с этими байтами), а не чистое завершение",
        }, {
          expected: { en: 'a line showing "and th" (any words)', ru: 'строка, где видно "and th" (слова любые)' },
          actual: visible(said.join("\n") || "(nothing)"),
        });
      }
    },
  },
  {
    id: "client-one-shot-endings",
    title: {
      en:
        'client --message: a message "exit" needs no reply; the server\'s "exit" ends it, code 0; a close before the reply is a one-line error',
      ru:
        'client --message: на сообщение "exit" ответа не ждут; "exit" от сервера завершает его с кодом 0; закрытие до ответа — ошибка в одну строку',
    },
    hint: {
      en:
        'After sending "exit", stop: there is no reply to wait for. A reply "exit" ends the conversation: say so and return. null (closed) before a reply is an error: throw one.',
      ru:
        'Отправив "exit", остановитесь: ответа на него не будет. Ответ "exit" заканчивает разговор: скажите об этом и выйдите. null (закрыто) вместо ответа — ошибка: бросьте её.',
    },
    async run(trial) {
      const [leaver, told, dropped] = await Promise.all([
        clientConnects(trial, ["--message", "one", "--message", "exit"], false, "client (--message exit)"),
        clientConnects(trial, ["--message", "first?", "--message", "second?"], false, "client (told exit)"),
        clientConnects(trial, ["--message", "hello?"], false, "client (dropped)"),
      ]);
      await expectFromClient(leaver.peer, "one\n", { en: 'the message "one"', ru: 'сообщение "one"' });
      await leaver.peer.write(bytes("ok\n"));
      await expectFromClient(leaver.peer, "exit\n", {
        en: 'its second message, "exit", after the reply to the first',
        ru: 'второе сообщение, "exit", после ответа на первое',
      }, 4);
      await leaver.peer[Symbol.asyncDispose]();
      await expectClientLeaves(leaver.client, {
        en: 'its last message was "exit" and the server closed the connection',
        ru: 'его последним сообщением был "exit", и сервер закрыл соединение',
      }, ENDS_MS);

      await expectFromClient(told.peer, "first?\n", { en: 'the message "first?"', ru: 'сообщение "first?"' });
      const before = mark(told.client);
      await told.peer.write(bytes("exit\n"));
      await expectClientLeaves(told.client, {
        en: 'the server answered its first message with "exit"',
        ru: 'сервер ответил на его первое сообщение "exit"',
      }, ENDS_MS);
      await expectSaysSo(told.client, before, { en: 'the server said "exit"', ru: 'сервер сказал "exit"' });

      await expectFromClient(dropped.peer, "hello?\n", { en: 'the message "hello?"', ru: 'сообщение "hello?"' });
      await dropped.peer[Symbol.asyncDispose]();
      await expectClientFails(dropped.client, {
        en: 'the server closed the connection without replying to "hello?"',
        ru: 'сервер закрыл соединение, не ответив на "hello?"',
      });
    },
  },
  {
    id: "client-timeout",
    title: {
      en:
        "client --timeout bounds the wait for each reply: five replies, each 250 ms after its message, pass with --timeout 1200, and no reply at all is a one-line error",
      ru:
        "client --timeout ограничивает ожидание каждого ответа: пять ответов, каждый через 250 мс после своего сообщения, проходят при --timeout 1200, а отсутствие ответа — ошибка в одну строку",
    },
    // It waits more than a second for replies that come late on purpose: start it first.
    slow: true,
    hint: {
      en:
        "Start a timer for each reply and clear it when the line comes; when it fires, close the connection and throw a one-line error.",
      ru:
        "Для каждого ответа заводите таймер и снимайте его, когда строка пришла; если он сработал, закройте соединение и бросьте ошибку в одну строку.",
    },
    async run(trial) {
      // Both start at once, but the slow replies do not wait for the other client to connect: its --timeout runs
      // from its first message, and a busy machine may take seconds to start the second.
      const connecting = clientConnects(
        trial,
        ["--timeout", "1200", ...REPLIED.flatMap((message) => ["--message", message])],
        false,
        "client (slow replies)",
      );
      const ignoring = clientConnects(trial, ["--timeout", "500", "--message", "anyone?"], false, "client (no reply)");
      // Awaited below; until then a failure must not count as unhandled.
      ignoring.catch(() => {});
      const patient = await connecting;
      const started = performance.now();
      const gaveUp = () =>
        new CheckFailure({
          en:
            `the client gave up ${
              seconds(Math.round(performance.now() - started))
            } after its first message, though each reply came 250 ms after its message and --timeout is 1200: ` +
            "the deadline is per reply",
          ru:
            `клиент сдался через ${
              seconds(Math.round(performance.now() - started))
            } после первого сообщения, хотя каждый ответ приходил через 250 мс после своего сообщения, ` +
            "а --timeout равен 1200: срок даётся на каждый ответ",
        }, {
          expected: { en: "all five replies printed", ru: "выведены все пять ответов" },
          actual: visible(patient.client.stderr.join("\n") || patient.client.stdout.join("\n")),
        });
      let from = 0;
      for (const message of REPLIED) {
        try {
          await expectFromClient(patient.peer, `${message}\n`, {
            en: `the message "${message}"`,
            ru: `сообщение "${message}"`,
          }, from);
          from += message.length + 1;
          await sleep(250);
          await patient.peer.write(bytes(`re: ${message}\n`));
        } catch (error) {
          // A client that gave up meanwhile ends at once: say why.
          if (error instanceof CheckFailure && from > 0 && await patient.client.exitWithin(1000)) throw gaveUp();
          throw error;
        }
      }
      try {
        await expectClientPrinted(patient.client, REPLIED.map((message) => `re: ${message}`), {
          en: "each reply came 250 ms after its message",
          ru: "каждый ответ пришёл через 250 мс после своего сообщения",
        });
      } catch (error) {
        // It may give up while the last reply is on its way: say why.
        if (error instanceof CheckFailure && patient.client.exited?.code) throw gaveUp();
        throw error;
      }
      await hangUpAfterExit(patient.peer, from);
      await expectClientLeaves(patient.client, { en: "its replies arrived", ru: "пришли его ответы" });

      const ignored = await ignoring;
      await expectFromClient(ignored.peer, "anyone?\n", { en: 'the message "anyone?"', ru: 'сообщение "anyone?"' });
      await expectClientFails(ignored.client, {
        en: 'the server never replied to "anyone?" (--timeout 500)',
        ru: 'сервер так и не ответил на "anyone?" (--timeout 500)',
      }, 500 + PROMPT_MS);
    },
  },
  {
    id: "client-max-line",
    title: {
      en:
        'client --max-line 12 sends "привет" (12 bytes), refuses to send "привет!" (13) and says so; a --message over it is an error; a longer line from the server ends it',
      ru:
        'client --max-line 12 отправляет "привет" (12 байтов), отказывается отправлять "привет!" (13) и сообщает об этом; --message длиннее — ошибка; более длинная строка от сервера завершает его',
    },
    hint: {
      en:
        "Measure a line in bytes (byteLength), not characters: over the limit, say so and do not send it; a line at the limit goes.",
      ru:
        "Измеряйте строку в байтах (byteLength), а не в символах: длиннее лимита — сообщите и не отправляйте; строка ровно в лимит уходит.",
    },
    async run(trial) {
      const [typed, flagged] = await Promise.all([
        clientConnects(trial, ["--max-line", "12"], true, "client"),
        clientConnects(trial, ["--max-line", "12", "--message", "привет!"], false, "client (--message привет!)"),
      ]);
      const receiver = typed;
      const { client, peer } = typed;
      const before = mark(client);
      await client.type("привет!\n");
      await client.type("привет\n");
      await expectFromClient(
        peer,
        "привет\n",
        {
          en: 'only "привет" (12 bytes, within --max-line 12)',
          ru: 'только "привет" (12 байтов, в пределах --max-line 12)',
        },
        0,
        {
          en: '"привет!" is 13 bytes (7 characters): over the limit, it is not sent; "привет", 12 bytes, is',
          ru:
            '"привет!" — это 13 байтов (7 символов): она длиннее лимита и не отправляется; "привет", 12 байтов, отправляется',
        },
      );
      await expectSaysSo(client, before, {
        en: 'a line of 13 bytes ("привет!") was typed with --max-line 12, and not sent',
        ru: 'с --max-line 12 набрали строку в 13 байтов ("привет!"), и она не ушла',
      });
      await expectClientFails(flagged.client, {
        en: 'it was given --message "привет!" (13 bytes) with --max-line 12',
        ru: 'ему дали --message "привет!" (13 байтов) при --max-line 12',
      });
      if (flagged.peer.received.length > 0) {
        throw new CheckFailure({
          en: "the client sent a --message over its --max-line before it failed",
          ru: "клиент отправил --message длиннее своего --max-line, прежде чем сообщить об ошибке",
        }, { expected: { en: "nothing sent", ru: "ничего не отправлено" }, actual: visible(flagged.peer.received) });
      }
      // The server sends a line of 20 bytes: the client's reader cannot take it, and nothing after it.
      await receiver.peer.write(bytes("привет, мир\n"));
      const printedIt = () => receiver.client.stdout.find((line) => line.includes("привет, мир"));
      const deadline = performance.now() + PROMPT_MS;
      while (!receiver.client.exited && printedIt() === undefined && performance.now() < deadline) await sleep(20);
      const shown = printedIt();
      const status = shown === undefined ? await receiver.client.exitWithin(100) : undefined;
      if (shown !== undefined || !status) {
        throw new CheckFailure({
          en: shown !== undefined
            ? "the client printed a line of 20 bytes from the server, over its --max-line 12"
            : "the client was still running 3 s after the server sent a line of 20 bytes, over its --max-line 12",
          ru: shown !== undefined
            ? "клиент вывел строку сервера в 20 байтов, хотя его --max-line равен 12"
            : "клиент всё ещё работал через 3 с после того, как сервер прислал строку в 20 байтов при --max-line 12",
        }, {
          expected: {
            en: "the client ends: a line over the limit cannot be read, nor anything after it",
            ru: "клиент завершается: строку длиннее лимита не прочитать, как и всё, что за ней",
          },
          actual: visible(shown ?? receiver.client.stdout.slice(-1).join("")),
        });
      }
      const trace = receiver.client.stderr.find((line) => /^\s+at\s/.test(line) || /Uncaught/.test(line));
      if (trace !== undefined) {
        throw new CheckFailure({
          en: "the client printed a stack trace after a line over its --max-line; an error is one line",
          ru: "клиент напечатал трассировку стека после строки длиннее своего --max-line; ошибка — это одна строка",
        }, { expected: { en: "one line", ru: "одна строка" }, actual: visible(receiver.client.stderr.join("\n")) });
      }
    },
  },
  {
    id: "client-sends-all",
    title: {
      en:
        "when the connection's send buffer fills, every byte of every typed line still goes out (write() takes only part)",
      ru:
        "когда буфер отправки соединения заполняется, каждый байт каждой набранной строки всё равно уходит (write() берёт только часть)",
    },
    hint: {
      en:
        "write() resolves with how many bytes it took, maybe fewer than all: loop, writing what is left, until every byte is written (TODO 4 in lines.ts).",
      ru:
        "write() возвращает, сколько байтов он взял, возможно, не все: повторяйте, дописывая остаток, пока не будет записан каждый байт (TODO 4 в lines.ts).",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      trial.defer({ [Symbol.dispose]: () => listener.close() });
      const client = trial.start("client", ["client", "--host", "127.0.0.1", "--port", String(listener.addr.port)], {
        stdin: "piped",
      });
      const conn = await acceptRaw(listener, trial, client);
      // Type 64-line batches (256 KB) while reading nothing, until the client stops taking input: its socket is
      // full and a write() is waiting. Then read everything.
      let typed = "";
      const batch = 64;
      // Stalled: two batches in a row not taken within 300 ms each (one alone may be a busy machine).
      let late = 0;
      for (let line = 0; line < 64 * 128 && late < 2; line += batch) {
        const text = bulkLines(line, batch);
        typed += text;
        try {
          await client.type(text, 300);
          late = 0;
        } catch (error) {
          if (!(error instanceof CheckFailure) || client.exited) throw error;
          late++;
        }
      }
      trial.transcript.event("grader server", `typed ${typed.length} bytes, reading only now`);
      const last = "that was all\n";
      typed += last;
      const finish = client.type(last, 20_000);
      const want = bytes(typed);
      const got = await readRaw(conn, want.length, bytes(last), 5000);
      await finish.catch(() => {});
      const difference = firstDifference(want, got);
      if (difference) {
        let at = 0;
        while (at < want.length && at < got.length && want[at] === got[at]) at++;
        const lineNo = new TextDecoder().decode(want.subarray(0, at)).split("\n").length - 1;
        const lines = typed.split("\n");
        throw new CheckFailure({
          en: `the client lost bytes when the send buffer was full: line ${lineNo} (of ${
            lines.length - 1
          }, 4000 bytes each) arrived broken. write() took only part of it, and the rest was never sent`,
          ru: `клиент потерял байты, когда буфер отправки заполнился: строка ${lineNo} (из ${
            lines.length - 1
          }, по 4000 байтов) пришла испорченной. write() взял только её часть, а остаток так и не отправлен`,
        }, {
          expected: { en: `${want.length} bytes, exactly as typed`, ru: `${want.length} байтов, ровно как набрано` },
          actual: {
            en: `${got.length} bytes; ${difference}, near ${visible(got.subarray(Math.max(0, at - 20), at + 20))}`,
            ru: `${got.length} байтов; ${firstDifference(want, got, "ru")}, рядом с ${
              visible(got.subarray(Math.max(0, at - 20), at + 20))
            }`,
          },
        });
      }
    },
  },
];

/** Checks of the client against servers that misbehave. */
export const clientHardening: Check[] = [
  {
    id: "client-server-resets",
    title: {
      en: "when the server resets the connection, the client ends with a one-line error, no stack trace",
      ru: "когда сервер сбрасывает соединение, клиент завершается с ошибкой в одну строку, без трассировки стека",
    },
    hint: {
      en:
        "A reset makes the read fail (ConnectionReset): let the error end the client (main.ts prints it in one line), or print one line yourself; never a stack trace, never keep waiting.",
      ru:
        "Сброс проваливает чтение (ConnectionReset): дайте ошибке завершить клиента (main.ts напечатает её одной строкой) или напечатайте строку сами; никакой трассировки стека и никакого ожидания.",
    },
    async run(trial) {
      const server = await ResettingServer.listen(trial);
      const client = trial.start("client", ["client", "--host", "127.0.0.1", "--port", String(server.port)], {
        stdin: "piped",
      });
      await client.type("hello?\n");
      await within(
        Promise.race([
          server.reset,
          client.status.then(() => {
            throw new CheckFailure({
              en: `the client exited (code ${client.exited?.code}) before its line reached the server`,
              ru: `клиент завершился (код ${client.exited?.code}), не отправив строку серверу`,
            });
          }),
        ]),
        PROMPT_MS,
        {
          en: 'line typed at the client\'s console, "hello?", sent to the server',
          ru: 'отправленной серверу строки "hello?", введённой на консоли клиента',
        },
      );
      await expectClientFails(client, {
        en: "the server reset the connection (RST)",
        ru: "сервер сбросил соединение (RST)",
      });
    },
  },
];

/** Accepts the client's connection without reading from it. */
async function acceptRaw(listener: Deno.Listener, trial: Trial, client: LearnerProcess): Promise<Deno.Conn> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const accepting = listener.accept();
  const conn = await Promise.race([
    accepting,
    new Promise<never>((_, reject) =>
      timer = setTimeout(() =>
        reject(
          new CheckFailure({
            en: `the client did not connect within 8 s${
              client.exited ? `; it exited with code ${client.exited.code}` : ""
            }`,
            ru: `клиент не подключился за 8 с${client.exited ? `; он завершился с кодом ${client.exited.code}` : ""}`,
          }),
        ), 8000)
    ),
  ]).finally(() => clearTimeout(timer));
  trial.defer({
    [Symbol.dispose]() {
      try {
        conn.close();
      } catch { /* closed */ }
    },
  });
  trial.transcript.event("grader server", "accepted the client (and reads nothing for now)");
  return conn;
}

/**
 * Reads from `conn` until `size` bytes came, or what came ends with `end` (bytes were lost on the way), or the
 * stream ended, or `ms` passed with nothing new.
 */
async function readRaw(conn: Deno.Conn, size: number, end: Uint8Array, ms: number): Promise<Uint8Array> {
  const all = new Uint8Array(size);
  let got = 0;
  const buffer = new Uint8Array(256 * 1024);
  const ended = () => got >= end.length && all.subarray(got - end.length, got).every((byte, i) => byte === end[i]);
  while (got < size && !ended()) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      conn.read(buffer),
      new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms)),
    ]).catch(() => null).finally(() => clearTimeout(timer));
    if (n === null || n === "late") break;
    const take = Math.min(n, size - got);
    all.set(buffer.subarray(0, take), got);
    got += take;
  }
  return all.subarray(0, got);
}
