/**
 * Lesson 2's checks: a conversation in lines over one TCP connection. The
 * grader plays each side against the learner's other one: a client that
 * splits and joins its lines in every way TCP may, and a server that
 * dribbles its replies, joins them, says exit or just hangs up.
 *
 * @module
 */
import type { Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import type { Bilingual } from "../harness/text.ts";
import { firstDifference, visible } from "../harness/bytes.ts";
import { sleep } from "../harness/deadline.ts";
import type { Address, LearnerProcess } from "../harness/process.ts";
import { Peer, resetConnection } from "../harness/socket.ts";
import { assertAlive, expectClientLeaves, startServer, tcpAddress } from "../harness/programs.ts";
import { clientRefused, portInUse } from "./common.ts";

/** How long a program may take to print a line, or to answer on the wire. */
const PROMPT_MS = 3000;
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
/** `text` with its first letter in upper case, to start a sentence. */
const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

/** Starts the learner's server with a console (stdin) the grader can type at. */
function startTalkServer(trial: Trial): Promise<{ server: LearnerProcess; address: Address }> {
  return startServer(trial, { stdin: "piped" });
}

/**
 * One client's conversation with the learner's server, from the grader's
 * side: it sends lines, watches the server print them, types the replies at
 * the server's console and checks what comes back on the wire.
 */
class Talk {
  readonly peer: Peer;
  readonly server: LearnerProcess;
  /** The start of every line the server prints for this client: `127.0.0.1:40123: `. */
  readonly prefix: string;
  /** How many of the server's bytes the grader has already judged. */
  #seen = 0;

  private constructor(peer: Peer, server: LearnerProcess) {
    this.peer = peer;
    this.server = server;
    this.prefix = `${peer.localAddress}: `;
  }

  /** Connects a new client to the server. */
  static async open(trial: Trial, server: LearnerProcess, address: Address, label = "grader"): Promise<Talk> {
    const peer = await Peer.connect(address, trial.transcript, label);
    trial.defer(peer);
    return new Talk(peer, server);
  }

  /** The messages the server has printed for this client so far. */
  printed(): string[] {
    return this.server.stdout.filter((line) => line.startsWith(this.prefix)).map((l) => l.slice(this.prefix.length));
  }

  /** Waits until the server has printed exactly `expected` for this client (in order), or fails saying what differs. */
  async expectPrinted(expected: string[], situation: Bilingual): Promise<void> {
    const enough = () => this.printed().length >= expected.length ? true : undefined;
    const last = visible(expected.at(-1)!);
    try {
      await this.server.waitFor(enough, PROMPT_MS, { en: `the client's line ${last}`, ru: `строку клиента ${last}` });
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      const got = this.printed();
      const loose = expected.length > 1 && this.server.stdout.includes(expected.at(-1)!);
      const missing = got.length < expected.length ? visible(expected[got.length]) : "";
      throw new CheckFailure(
        loose
          ? {
            en: `the server printed ${visible(expected.at(-2)!)} and ${last} as one message: ${situation.en}, ` +
              `so they arrived in one read(). One read() is not one message: split at each "\\n"`,
            ru: `сервер вывел ${visible(expected.at(-2)!)} и ${last} как одно сообщение: ${situation.ru}, ` +
              `и их вернул один вызов read(). Один read() — это не одно сообщение: делите данные по каждому "\\n"`,
          }
          : got.length < expected.length && got.length > 0 && expected.length > 1
          ? {
            en: `the server printed ${got.length} of ${expected.length} lines and never the line ${missing}: ` +
              `${situation.en}. Keep the bytes after a "\\n": they are the start of the next line`,
            ru: `из ${expected.length} строк сервер вывел только ${got.length}, а строку ${missing} так и не вывел: ` +
              `${situation.ru}. Сохраняйте байты после "\\n": это начало следующей строки`,
          }
          : {
            en: `${error.text.en} (${situation.en}). Print each line as "${this.prefix}TEXT" as soon as it is complete`,
            ru: `${error.text.ru} (${situation.ru}). Выводите каждую строку как "${this.prefix}ТЕКСТ", ` +
              `как только она пришла целиком`,
          },
        {
          expected: expected.map((text) => visible(this.prefix + text)).join(", "),
          actual: got.length
            ? got.map((text) => visible(this.prefix + text)).join(", ")
            : { en: "no such line", ru: "такой строки нет" },
        },
      );
    }
    const got = this.printed().slice(0, expected.length);
    for (const [i, text] of expected.entries()) {
      if (got[i] === text) continue;
      const piece = got[i].length > 0 && text.startsWith(got[i]);
      throw new CheckFailure(
        piece
          ? {
            en: `the server printed a piece of the line as if it were the whole message: ${visible(got[i])}. ` +
              `${capitalized(situation.en)}; a read() returns whatever has arrived, so wait for the "\\n"`,
            ru: `сервер вывел кусок строки так, будто это всё сообщение: ${visible(got[i])}. ` +
              `${capitalized(situation.ru)}; read() возвращает то, что уже пришло, поэтому дождитесь "\\n"`,
          }
          : {
            en: `the server printed the client's line wrongly (${situation.en})`,
            ru: `сервер неверно вывел строку клиента (${situation.ru})`,
          },
        {
          expected: visible(this.prefix + text),
          actual: {
            en: `${visible(this.prefix + got[i])}; ${firstDifference(text, got[i])}`,
            ru: `${visible(this.prefix + got[i])}; ${firstDifference(text, got[i], "ru")}`,
          },
        },
      );
    }
  }

  /** Types `text` at the server's console and checks that exactly `text\n` arrives next. */
  async reply(text: string): Promise<void> {
    await this.server.type(`${text}\n`);
    await this.expectFromServer(`${text}\n`, {
      en: `the reply typed at the server's console, ${visible(text)}`,
      ru: `ответ, введённый на консоли сервера, ${visible(text)}`,
    });
  }

  /** Waits for the server to send exactly `wanted` next; `what` names it (in Russian, in the accusative). */
  async expectFromServer(wanted: string, what: Bilingual): Promise<void> {
    const want = bytes(wanted);
    const from = this.#seen;
    const arrived = await this.peer.readUntil((data) => data.length - from >= want.length, PROMPT_MS);
    const got = this.peer.received.subarray(from, from + want.length);
    if (!arrived) {
      throw new CheckFailure(
        {
          en: `the server did not send ${what.en} within ${PROMPT_MS / 1000} s${
            this.peer.eof ? "; it closed the connection" : ""
          }`,
          ru: `за ${PROMPT_MS / 1000} с сервер не отправил ${what.ru}${this.peer.eof ? "; он закрыл соединение" : ""}`,
        },
        { expected: visible(want), actual: got.length ? visible(got) : { en: "nothing", ru: "ничего" } },
      );
    }
    const difference = firstDifference(want, got);
    if (difference) {
      throw new CheckFailure({
        en: `the server sent something else than ${what.en}`,
        ru: `сервер должен был отправить ${what.ru}, а отправил другое`,
      }, {
        expected: visible(want),
        actual: { en: `${visible(got)}; ${difference}`, ru: `${visible(got)}; ${firstDifference(want, got, "ru")}` },
      });
    }
    this.#seen = from + want.length;
  }

  /** Waits for the server to close the connection, after at most one more line (a goodbye). */
  async expectClosed(situation: Bilingual): Promise<string> {
    const closed = await this.peer.waitForEof(PROMPT_MS);
    const rest = new TextDecoder().decode(this.peer.received.subarray(this.#seen));
    if (!closed) {
      throw new CheckFailure({
        en: `the server did not close the connection within ${PROMPT_MS / 1000} s ${situation.en}`,
        ru: `сервер не закрыл соединение за ${PROMPT_MS / 1000} с ${situation.ru}`,
      }, {
        expected: { en: "EOF (maybe after one goodbye line)", ru: "EOF (возможно, после одной прощальной строки)" },
        actual: {
          en: `${rest ? visible(rest) : "nothing"} and the connection still open`,
          ru: `${rest ? visible(rest) : "ничего"}, и соединение всё ещё открыто`,
        },
      });
    }
    return rest;
  }

  /** Sends `text` as raw bytes. */
  send(text: string | Uint8Array): Promise<void> {
    return this.peer.write(typeof text === "string" ? bytes(text) : text);
  }

  /** One full turn: send `text`, see it printed, type `reply`, receive it. */
  async exchange(text: string, reply: string): Promise<void> {
    await this.send(`${text}\n`);
    await this.expectPrinted([...this.printed(), text], {
      en: "the line was sent whole",
      ru: "строка была отправлена целиком",
    });
    await this.reply(reply);
  }
}

/** Proves the server still holds conversations: a new client gets one full exchange. */
async function stillServing(trial: Trial, server: LearnerProcess, address: Address, after: Bilingual): Promise<void> {
  await sleep(200);
  assertAlive(server, after);
  const next = await Talk.open(trial, server, address, "grader (next client)");
  await next.exchange("are you still there?", "yes, still here");
}

/** Writes `data` in `chunk`-byte pieces, `pauseMs` apart. */
async function dribble(peer: Peer, data: Uint8Array, chunk: number, pauseMs: number): Promise<void> {
  for (let at = 0; at < data.length; at += chunk) {
    await peer.write(data.subarray(at, at + chunk));
    await sleep(pauseMs);
  }
}

/**
 * The grader as the server: it listens, starts the learner's client with
 * `args` (and `--port`), and accepts its connection.
 */
async function clientConnects(
  trial: Trial,
  args: string[],
  console = false,
): Promise<{ client: LearnerProcess; peer: Peer }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  trial.defer({ [Symbol.dispose]: () => listener.close() });
  const client = trial.start(
    "client",
    ["client", "--host", "127.0.0.1", "--port", String(listener.addr.port), ...args],
    { stdin: console ? "piped" : "null" },
  );
  const peer = await Peer.accept(listener, trial.transcript).catch((error) => {
    throw client.exited
      ? new CheckFailure({
        en: `the client exited with code ${client.exited.code} without connecting`,
        ru: `клиент завершился с кодом ${client.exited.code}, так и не подключившись`,
      }, {
        actual: client.stderr.join(" | ") || { en: "nothing on stderr", ru: "в stderr ничего" },
      })
      : error;
  });
  trial.defer(peer);
  return { client, peer };
}

/**
 * Waits until the grader, as the server, has received exactly `wanted` from the client (from byte `from`); `what`
 * names it (in Russian, in the accusative).
 */
async function expectFromClient(peer: Peer, wanted: string, what: Bilingual, from = 0): Promise<void> {
  const want = bytes(wanted);
  const arrived = await peer.readUntil((data) => data.length - from >= want.length, PROMPT_MS);
  const got = peer.received.subarray(from, from + want.length);
  if (!arrived || firstDifference(want, got)) {
    throw new CheckFailure(
      arrived
        ? {
          en: `the client sent something else than ${what.en}`,
          ru: `клиент должен был отправить ${what.ru}, а отправил другое`,
        }
        : { en: `the client did not send ${what.en} within 3 s`, ru: `за 3 с клиент не отправил ${what.ru}` },
      {
        expected: visible(want),
        actual: got.length
          ? {
            en: `${visible(got)}; ${firstDifference(want, got)}`,
            ru: `${visible(got)}; ${firstDifference(want, got, "ru")}`,
          }
          : { en: "nothing", ru: "ничего" },
      },
    );
  }
}

/** The replies the client printed: lines `server: TEXT` (or just `TEXT`). */
function repliesPrinted(client: LearnerProcess, candidates: string[]): string[] {
  return client.stdout.map((line) => line.startsWith("server: ") ? line.slice("server: ".length) : line)
    .filter((text) => candidates.some((c) => c === text || (text.length > 0 && c.startsWith(text))));
}

/** Waits until the client printed each of `replies`, in order, once and whole. */
async function expectClientPrinted(client: LearnerProcess, replies: string[], situation: Bilingual): Promise<void> {
  const whole = () => {
    const printed = repliesPrinted(client, replies);
    return replies.every((r) => printed.includes(r)) ? printed : undefined;
  };
  try {
    await client.waitFor(
      whole,
      PROMPT_MS,
      replies.length > 1
        ? { en: "the server's lines", ru: "строки сервера" }
        : { en: "the server's line", ru: "строку сервера" },
    );
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const printed = repliesPrinted(client, replies);
    const piece = printed.find((text) => !replies.includes(text));
    const stdout = client.stdout.join("\n");
    throw new CheckFailure(
      piece !== undefined
        ? {
          en: `the client printed only a piece of the server's line: ${visible(piece)} (${situation.en}). ` +
            `A read() returns whatever has arrived; a line ends at "\\n"`,
          ru: `клиент вывел только кусок строки сервера: ${visible(piece)} (${situation.ru}). ` +
            `read() возвращает то, что уже пришло; строка заканчивается на "\\n"`,
        }
        : {
          en: `the client did not print ${
            replies.map((r) => visible(r)).join(" and ")
          } (${situation.en}): ${error.text.en}`,
          ru: `клиент не вывел ${replies.map((r) => visible(r)).join(" и ")} (${situation.ru}): ${error.text.ru}`,
        },
      {
        expected: replies.map((r) => visible(`server: ${r}`)).join(", "),
        actual: stdout ? visible(stdout) : { en: visible("(nothing on stdout)"), ru: visible("(в stdout ничего)") },
      },
    );
  }
  const printed = repliesPrinted(client, replies);
  const extra = printed.find((text) => !replies.includes(text));
  if (extra !== undefined || printed.length !== replies.length) {
    throw new CheckFailure({
      en: `the client printed the server's lines in pieces or more than once (${situation.en})`,
      ru: `клиент вывел строки сервера по кускам или больше одного раза (${situation.ru})`,
    }, {
      expected: replies.map((r) => visible(`server: ${r}`)).join(", "),
      actual: visible(client.stdout.join("\n")),
    });
  }
}

const checks: Check[] = [
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
      await startTalkServer(trial);
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
      const talk = await Talk.open(trial, server, address);
      await talk.send("hello, server\n");
      try {
        await talk.expectPrinted(["hello, server"], {
          en: "the line was sent whole",
          ru: "строка была отправлена целиком",
        });
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
      await talk.reply("hello, client");
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
      await dribble(talk.peer, bytes("one byte at a time\n"), 1, 15);
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
      en: "two lines in one write are printed and answered one by one",
      ru: "две строки, отправленные одной записью, выводятся и получают ответ по очереди",
    },
    hint: {
      en:
        "One read() may hold several lines. Take the first line, keep the rest: the second line is already there, waiting for its turn.",
      ru:
        "В одном read() может оказаться несколько строк. Возьмите первую, остальное сохраните: вторая строка уже пришла и ждёт своей очереди.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("first line\nsecond line\n");
      const situation = { en: "both came in one write", ru: "обе строки были отправлены одной записью" };
      await talk.expectPrinted(["first line"], situation);
      await talk.reply("answer one");
      await talk.expectPrinted(["first line", "second line"], situation);
      await talk.reply("answer two");
    },
  },
  {
    id: "crlf",
    title: {
      en: 'a line ending in "\\r\\n" is printed without the "\\r"',
      ru: 'строка, оканчивающаяся на "\\r\\n", выводится без "\\r"',
    },
    hint: {
      en: 'Clients such as telnet end lines with "\\r\\n". Drop a "\\r" just before the "\\n".',
      ru: 'Некоторые клиенты (например, telnet) заканчивают строки "\\r\\n". Отбросьте "\\r" перед "\\n".',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("from telnet\r\n");
      await talk.expectPrinted(["from telnet"], {
        en: 'the line ended in "\\r\\n"',
        ru: 'строка оканчивалась на "\\r\\n"',
      });
      await talk.reply("noted");
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
        await sleep(60);
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
      en: "a line that is not UTF-8 gets an error line, and the conversation goes on",
      ru: "на строку не в UTF-8 сервер отвечает строкой с ошибкой, и разговор продолжается",
    },
    hint: {
      en:
        'Decode with new TextDecoder("utf-8", { fatal: true }): it throws instead of printing "\\uFFFD". Answer with a line starting "error", then read on.',
      ru:
        'Декодируйте через new TextDecoder("utf-8", { fatal: true }): он бросает ошибку, а не печатает "\\uFFFD". Ответьте строкой, начинающейся с "error", и читайте дальше.',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send(new Uint8Array([0x6f, 0x6b, 0xff, 0xfe, 0x21, 0x0a]));
      const answered = await talk.peer.readUntil((data) => data.includes(0x0a), PROMPT_MS);
      const mangled = talk.printed().find((text) => text.includes("\uFFFD"));
      if (mangled !== undefined) {
        throw new CheckFailure({
          en: 'the server printed the bytes as "\\uFFFD" instead of rejecting the line',
          ru: 'сервер вывел байты как "\\uFFFD", вместо того чтобы отвергнуть строку',
        }, {
          expected: {
            en: 'a reply line starting with "error", nothing printed as the message',
            ru: 'строка-ответ, начинающаяся с "error"; как сообщение ничего не выводится',
          },
          actual: visible(mangled),
        });
      }
      const text = new TextDecoder().decode(talk.peer.received);
      if (!answered || !text.toLowerCase().startsWith("error")) {
        throw new CheckFailure({
          en: "the server did not answer an invalid UTF-8 line with an error line",
          ru: "сервер не ответил строкой с ошибкой на строку в некорректном UTF-8",
        }, {
          expected: {
            en: 'a line starting with "error", e.g. "error: not valid UTF-8\\n"',
            ru: 'строка, начинающаяся с "error", например "error: not valid UTF-8\\n"',
          },
          actual: talk.peer.received.length
            ? visible(talk.peer.received)
            : { en: "nothing within 3 s", ru: "ничего за 3 с" },
        });
      }
      await talk.expectFromServer(text.slice(0, text.indexOf("\n") + 1), {
        en: "the error line",
        ru: "строку с ошибкой",
      });
      await talk.exchange("and now in UTF-8", "welcome back");
    },
  },
  {
    id: "long-line",
    title: {
      en: "a line over 4 KiB gets an error and the connection closed; the next client is served",
      ru: "на строку длиннее 4 КиБ сервер отвечает ошибкой и закрывает соединение; следующий клиент обслуживается",
    },
    hint: {
      en:
        "Bound the buffer: when more than the limit has arrived without a \\n, send an error line and close. Never buffer without limit.",
      ru:
        "Ограничьте буфер: если пришло больше лимита, а \\n всё нет, отправьте строку с ошибкой и закройте соединение. Не копите данные без предела.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address, "grader (long line)");
      // 64 KiB without a "\n"; the server may close while we still write.
      await talk.send(new Uint8Array(64 * 1024).fill(0x78)).catch(() => {});
      const rest = await talk.expectClosed({
        en: "after 64 KiB without a newline",
        ru: "после 64 КиБ без перевода строки",
      });
      if (!rest.toLowerCase().startsWith("error") || !rest.endsWith("\n")) {
        throw new CheckFailure({
          en: "the server closed the connection without an error line first",
          ru: "сервер закрыл соединение, не отправив перед этим строку с ошибкой",
        }, {
          expected: {
            en: 'a line starting with "error" (e.g. "error: line longer than 4096 bytes\\n"), then EOF',
            ru: 'строка, начинающаяся с "error" (например, "error: line longer than 4096 bytes\\n"), затем EOF',
          },
          actual: rest ? visible(rest) : { en: visible("(nothing)"), ru: visible("(ничего)") },
        });
      }
      await stillServing(trial, server, address, {
        en: "a client sent a 64 KiB line",
        ru: "клиент отправил строку в 64 КиБ",
      });
    },
  },
  {
    id: "reset-mid-line",
    title: {
      en: "a client that resets the connection in the middle of a line does not stop the server",
      ru: "клиент, сбросивший соединение (RST) посреди строки, не останавливает сервер",
    },
    hint: {
      en:
        "A read can fail with ConnectionReset, or end (null) with half a line in the buffer. Either way: log it, close, wait for the next client.",
      ru:
        "read() может упасть с ConnectionReset или закончиться (null) на середине строки. В обоих случаях: запишите в лог, закройте, ждите следующего клиента.",
    },
    async run(trial) {
      const { server, address: announced } = await startTalkServer(trial);
      const address = tcpAddress(announced);
      await resetConnection(address.host, address.port, 3000, bytes("half a li"));
      trial.transcript.event("grader", 'sent "half a li" and reset the connection (RST)');
      await stillServing(trial, server, address, {
        en: "a client sent half a line and reset the connection",
        ru: "клиент отправил полстроки и сбросил соединение (RST)",
      });
    },
  },
  {
    id: "client-leaves",
    title: {
      en: "a client that closes the connection ends its conversation; the next client is served",
      ru: "клиент, закрывший соединение, заканчивает свой разговор; следующий клиент обслуживается",
    },
    hint: {
      en: "read() returns null when the client has closed: that ends the conversation, not the server.",
      ru: "read() возвращает null, когда клиент закрыл соединение: это конец разговора, а не сервера.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.exchange("see you", "bye then");
      await talk.peer.closeWrite();
      await talk.expectClosed({
        en: "after the client closed its side",
        ru: "после того, как клиент закрыл свою сторону",
      });
      await stillServing(trial, server, address, {
        en: "a client closed its connection",
        ru: "клиент закрыл своё соединение",
      });
    },
  },
  {
    id: "client-exit",
    title: {
      en: "a client's exit ends the conversation; the client waiting in the queue is served next",
      ru: "exit от клиента заканчивает разговор; следующим обслуживается клиент, ждавший в очереди",
    },
    hint: {
      en:
        'When the line is "exit", close the connection and go back to accept(): the next client has been waiting in the listen queue.',
      ru:
        'Если пришла строка "exit", закройте соединение и вернитесь к accept(): следующий клиент ждёт в очереди listen.',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const first = await Talk.open(trial, server, address, "grader (first)");
      await first.exchange("hello", "hello, first");
      // A second client connects and speaks while the first is served.
      const second = await Talk.open(trial, server, address, "grader (second)");
      await second.send("me next?\n");
      await sleep(300);
      if (second.printed().length > 0) {
        throw new CheckFailure({
          en: "the server printed the second client's line while still talking to the first",
          ru: "сервер вывел строку второго клиента, ещё не закончив разговор с первым",
        }, {
          expected: {
            en: "one conversation at a time: the second client waits",
            ru: "один разговор за раз: второй клиент ждёт",
          },
          actual: visible(second.prefix + second.printed()[0]),
        });
      }
      await first.send("exit\n");
      await first.expectClosed({
        en: 'after the client said "exit"',
        ru: 'после того, как клиент сказал "exit"',
      });
      await second.expectPrinted(["me next?"], {
        en: "it was sent while the first client was served",
        ru: "она была отправлена, пока обслуживался первый клиент",
      });
      await second.reply("yes, you");
    },
  },
  {
    id: "server-exit",
    title: {
      en: "exit typed at the server's console tells the client and closes; the next client is served",
      ru:
        "exit, введённый на консоли сервера, сообщается клиенту, и соединение закрывается; следующий клиент обслуживается",
    },
    hint: {
      en: 'If the reply typed is "exit", send it (the client must know), close the connection, go back to accept().',
      ru:
        'Если с консоли введено "exit", отправьте его (клиент должен узнать), закройте соединение, вернитесь к accept().',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("anything new?\n");
      await talk.expectPrinted(["anything new?"], {
        en: "the line was sent whole",
        ru: "строка была отправлена целиком",
      });
      await server.type("exit\n");
      await talk.expectFromServer("exit\n", {
        en: 'the line "exit" typed at its console',
        ru: 'строку "exit", введённую на его консоли',
      });
      await talk.expectClosed({ en: 'after sending "exit"', ru: 'после отправки "exit"' });
      await stillServing(trial, server, address, {
        en: 'the server said "exit" to a client',
        ru: 'сервер сказал клиенту "exit"',
      });
    },
  },
  portInUse("given"),
  {
    id: "client-one-shot",
    title: {
      en: "client --message sends the line, prints the reply and exits 0",
      ru: "client --message отправляет строку, выводит ответ и завершается с кодом 0",
    },
    hint: {
      en:
        "Send the message with its \\n, read one whole line back, print it as `server: TEXT`; then say exit (or close) and exit 0.",
      ru:
        "Отправьте сообщение с \\n, прочитайте в ответ одну целую строку, выведите её как `server: ТЕКСТ`; затем скажите exit (или закройте соединение) и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "hello there"]);
      await expectFromClient(peer, "hello there\n", {
        en: 'the message "hello there" and its "\\n"',
        ru: 'сообщение "hello there" вместе с его "\\n"',
      });
      await peer.write(bytes("general kenobi\n"));
      await expectClientPrinted(client, ["general kenobi"], {
        en: "the reply came whole",
        ru: "ответ пришёл целиком",
      });
      // The client may say exit before it leaves; then the grader closes.
      await peer.readUntil((data) => new TextDecoder().decode(data).includes("\nexit\n"), 1000);
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "its reply arrived", ru: "пришёл его ответ" });
    },
  },
  {
    id: "client-dribbled-reply",
    title: {
      en: "a reply that arrives one byte at a time is printed once, whole",
      ru: "ответ, пришедший по одному байту, выводится один раз и целиком",
    },
    hint: {
      en: "Read the server's reply with the same line reader: keep reading until the \\n.",
      ru: "Читайте ответ сервера тем же построчным чтением: читайте, пока не придёт \\n.",
    },
    timeoutMs: 25_000,
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "slowly, please"]);
      await expectFromClient(peer, "slowly, please\n", {
        en: 'the message "slowly, please" and its "\\n"',
        ru: 'сообщение "slowly, please" вместе с его "\\n"',
      });
      await dribble(peer, bytes("byte by byte, по байту 👋\n"), 1, 20);
      await expectClientPrinted(client, ["byte by byte, по байту 👋"], {
        en: "the server sent it one byte per write",
        ru: "сервер отправлял его по одному байту за запись",
      });
    },
  },
  {
    id: "client-two-replies",
    title: {
      en: "two lines from the server in one segment are both printed",
      ru: "обе строки от сервера, пришедшие в одном сегменте, выводятся",
    },
    hint: {
      en: "After a line, the rest of the read is the next line: print every complete line, keep the remainder.",
      ru: "После строки остаток прочитанного — начало следующей: выводите каждую целую строку, остаток сохраняйте.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("ping\n");
      await expectFromClient(peer, "ping\n", {
        en: 'the line typed at its console, "ping"',
        ru: 'строку, введённую на его консоли, "ping"',
      });
      await peer.write(bytes("pong one\npong two\n"));
      await expectClientPrinted(client, ["pong one", "pong two"], {
        en: "both came in one write",
        ru: "обе строки были отправлены одной записью",
      });
    },
  },
  {
    id: "client-server-exit",
    title: {
      en: 'the client exits 0 when the server says "exit"',
      ru: 'клиент завершается с кодом 0, когда сервер говорит "exit"',
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
      await peer.write(bytes("exit\n"));
      await expectClientLeaves(client, {
        en: 'the server said "exit" (while nothing was typed at its console)',
        ru: 'сервер сказал "exit" (пока на консоли клиента ничего не вводили)',
      });
    },
  },
  {
    id: "client-server-closes",
    title: {
      en: "the client exits 0 with a message when the server closes the connection",
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
      await expectClientPrinted(client, ["going away now"], {
        en: "the reply came whole",
        ru: "ответ пришёл целиком",
      });
      const before = client.stdout.length;
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      if (client.stdout.length === before && client.stderr.length === 0) {
        throw new CheckFailure({
          en: "the client left without a word when the server closed the connection",
          ru: "клиент молча завершился, когда сервер закрыл соединение",
        }, {
          expected: {
            en: 'a line such as "the server closed the connection"',
            ru: 'строка вроде "the server closed the connection"',
          },
          actual: { en: "nothing printed", ru: "ничего не выведено" },
        });
      }
    },
  },
  {
    id: "client-types-exit",
    title: {
      en: 'exit typed at the client sends "exit" and ends the client',
      ru: 'exit, введённый в клиенте, отправляет "exit" и завершает клиент',
    },
    hint: {
      en: 'Send "exit" like any line, then stop reading the console; end when the server closes.',
      ru:
        'Отправьте "exit" как обычную строку, перестаньте читать консоль; завершитесь, когда сервер закроет соединение.',
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("exit\n");
      await expectFromClient(peer, "exit\n", { en: 'the line "exit"', ru: 'строку "exit"' });
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, {
        en: 'it said "exit" and the server closed the connection',
        ru: 'клиент сказал "exit", а сервер закрыл соединение',
      });
    },
  },
  clientRefused("given"),
];

/** Known mistakes, each patched into a copy of the reference; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "reads-once",
    mistake: "the server takes one read() as one message",
    file: "lines.ts",
    patch: [[
      "  async readLine(): Promise<string | null> {\n",
      '  async readLine(): Promise<string | null> {\n    const got = await this.#source.read(this.#buffer);\n    if (got === null) return null;\n    return this.#decode(this.#buffer.subarray(0, got)).replace(/\\r?\\n$/, "");\n',
    ]],
    rejectedBy: "two-lines-one-write",
    message: /printed "first line" and "second line" as one message/,
  },
  {
    id: "splits-per-read",
    mistake: 'a line ends where a read() ends, not at "\\n"',
    file: "lines.ts",
    patch: [[
      "      this.#end += n;\n",
      "      this.#end += n;\n      if (!this.#buffer.subarray(this.#start, this.#end).includes(NEWLINE)) {\n        const piece = this.#buffer.subarray(this.#start, this.#end);\n        this.#start = this.#searched = this.#end;\n        return this.#decode(piece);\n      }\n",
    ]],
    rejectedBy: "byte-by-byte",
    message: /printed a piece of the line as if it were the whole message: "o"/,
  },
  {
    id: "loses-second",
    mistake: "the bytes after the first line of a read are thrown away",
    file: "lines.ts",
    patch: [["this.#start = this.#searched = newline + 1;", "this.#start = this.#searched = this.#end;"]],
    rejectedBy: "two-lines-one-write",
    message: /never the line "second line"/,
  },
  {
    id: "answers-before-printing",
    mistake: "the server waits for the console before printing the client's line",
    file: "server.ts",
    patch: [
      ["      options.log(`${peer}: ${got.line}`);\n", ""],
      [
        "      if (reply === null) return",
        "      options.log(`${peer}: ${got.line}`);\n      if (reply === null) return",
      ],
    ],
    rejectedBy: "prints-and-replies",
    message: /printed the client's line only after something was typed at its console/,
  },
  {
    id: "server-ignores-exit",
    mistake: 'the server treats the client\'s "exit" as an ordinary message and hangs on',
    file: "server.ts",
    patch: [['      if (got.line === "exit") {', '      if (got.line === "exit" && false) {']],
    rejectedBy: "client-exit",
    message: /did not close the connection within 3 s after the client said "exit"/,
  },
  {
    id: "client-ignores-exit",
    mistake: 'the client prints the server\'s "exit" and keeps waiting for the console',
    file: "client.ts",
    patch: [['      if (line === "exit") return "the server ended the conversation";\n', ""]],
    rejectedBy: "client-server-exit",
    message: /client was still running 3 s after the server said "exit"/,
  },
  {
    id: "client-reads-once",
    mistake: "the client prints whatever one read() returned as the reply",
    file: "client.ts",
    patch: [[
      "      return await lines.readLine();",
      '      const buffer = new Uint8Array(1024);\n      const n = await conn.read(buffer);\n      return n === null ? null : new TextDecoder().decode(buffer.subarray(0, n)).replace(/\\n$/, "");',
    ]],
    rejectedBy: "client-dribbled-reply",
    message: /client printed only a piece of the server's line: "b"/,
  },
  {
    id: "no-line-limit",
    mistake: "the server buffers a line without limit",
    file: "lines.ts",
    patch: [["    this.#buffer = new Uint8Array(limit + 2);", "    this.#buffer = new Uint8Array(1024 * 1024);"]],
    rejectedBy: "long-line",
    message: /did not close the connection within 3 s after 64 KiB without a newline/,
  },
];

/** Lesson 2 as the grader knows it. */
export const lesson: Lesson = {
  number: 2,
  slug: "02-messaging",
  title: { en: "Bidirectional messaging", ru: "Обмен сообщениями в обе стороны" },
  checks,
  variants,
  given: ["main.ts", "experiment.ts"],
};
