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
  async expectPrinted(expected: string[], situation: string): Promise<void> {
    const enough = () => this.printed().length >= expected.length ? true : undefined;
    try {
      await this.server.waitFor(enough, PROMPT_MS, `the client's line ${visible(expected.at(-1)!)}`);
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      const got = this.printed();
      const loose = expected.length > 1 && this.server.stdout.includes(expected.at(-1)!);
      throw new CheckFailure(
        loose
          ? `the server printed ${visible(expected.at(-2)!)} and ${
            visible(expected.at(-1)!)
          } as one message: ${situation}, so they arrived in one read(). One read() is not one message: split at each "\\n"`
          : got.length < expected.length && got.length > 0 && expected.length > 1
          ? `the server printed ${got.length} of ${expected.length} lines and never the line ${
            visible(expected[got.length])
          }: ${situation}. Keep the bytes after a "\\n": they are the start of the next line`
          : `${error.message} (${situation}). Print each line as "${this.prefix}TEXT" as soon as it is complete`,
        {
          expected: expected.map((text) => visible(this.prefix + text)).join(", "),
          actual: got.length ? got.map((text) => visible(this.prefix + text)).join(", ") : "no such line",
        },
      );
    }
    const got = this.printed().slice(0, expected.length);
    for (const [i, text] of expected.entries()) {
      if (got[i] === text) continue;
      const piece = got[i].length > 0 && text.startsWith(got[i]);
      throw new CheckFailure(
        piece
          ? `the server printed a piece of the line as if it were the whole message: ${visible(got[i])}. ${
            situation[0].toUpperCase() + situation.slice(1)
          }; a read() returns whatever has arrived, so wait for the "\\n"`
          : `the server printed the client's line wrongly (${situation})`,
        {
          expected: visible(this.prefix + text),
          actual: `${visible(this.prefix + got[i])}; ${firstDifference(text, got[i])}`,
        },
      );
    }
  }

  /** Types `text` at the server's console and checks that exactly `text\n` arrives next. */
  async reply(text: string): Promise<void> {
    await this.server.type(`${text}\n`);
    await this.expectFromServer(`${text}\n`, `the reply typed at the server's console, ${visible(text)}`);
  }

  /** Waits for the server to send exactly `wanted` next. */
  async expectFromServer(wanted: string, what: string): Promise<void> {
    const want = bytes(wanted);
    const from = this.#seen;
    const arrived = await this.peer.readUntil((data) => data.length - from >= want.length, PROMPT_MS);
    const got = this.peer.received.subarray(from, from + want.length);
    if (!arrived) {
      throw new CheckFailure(
        `the server did not send ${what} within ${PROMPT_MS / 1000} s${
          this.peer.eof ? "; it closed the connection" : ""
        }`,
        { expected: visible(want), actual: got.length ? visible(got) : "nothing" },
      );
    }
    const difference = firstDifference(want, got);
    if (difference) {
      throw new CheckFailure(`the server sent something else than ${what}`, {
        expected: visible(want),
        actual: `${visible(got)}; ${difference}`,
      });
    }
    this.#seen = from + want.length;
  }

  /** Waits for the server to close the connection, after at most one more line (a goodbye). */
  async expectClosed(situation: string): Promise<string> {
    const closed = await this.peer.waitForEof(PROMPT_MS);
    const rest = new TextDecoder().decode(this.peer.received.subarray(this.#seen));
    if (!closed) {
      throw new CheckFailure(`the server did not close the connection within ${PROMPT_MS / 1000} s ${situation}`, {
        expected: "EOF (maybe after one goodbye line)",
        actual: `${rest ? visible(rest) : "nothing"} and the connection still open`,
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
    await this.expectPrinted([...this.printed(), text], "the line was sent whole");
    await this.reply(reply);
  }
}

/** Proves the server still holds conversations: a new client gets one full exchange. */
async function stillServing(trial: Trial, server: LearnerProcess, address: Address, after: string): Promise<void> {
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
      ? new CheckFailure(`the client exited with code ${client.exited.code} without connecting`, {
        actual: client.stderr.join(" | ") || "nothing on stderr",
      })
      : error;
  });
  trial.defer(peer);
  return { client, peer };
}

/** Waits until the grader, as the server, has received exactly `wanted` from the client (from byte `from`). */
async function expectFromClient(peer: Peer, wanted: string, what: string, from = 0): Promise<void> {
  const want = bytes(wanted);
  const arrived = await peer.readUntil((data) => data.length - from >= want.length, PROMPT_MS);
  const got = peer.received.subarray(from, from + want.length);
  if (!arrived || firstDifference(want, got)) {
    throw new CheckFailure(
      arrived ? `the client sent something else than ${what}` : `the client did not send ${what} within 3 s`,
      {
        expected: visible(want),
        actual: got.length ? `${visible(got)}; ${firstDifference(want, got)}` : "nothing",
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
async function expectClientPrinted(client: LearnerProcess, replies: string[], situation: string): Promise<void> {
  const whole = () => {
    const printed = repliesPrinted(client, replies);
    return replies.every((r) => printed.includes(r)) ? printed : undefined;
  };
  try {
    await client.waitFor(whole, PROMPT_MS, `the server's ${replies.length > 1 ? "lines" : "line"}`);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const printed = repliesPrinted(client, replies);
    const piece = printed.find((text) => !replies.includes(text));
    throw new CheckFailure(
      piece !== undefined
        ? `the client printed only a piece of the server's line: ${
          visible(piece)
        } (${situation}). A read() returns whatever has arrived; a line ends at "\\n"`
        : `the client did not print ${replies.map((r) => visible(r)).join(" and ")} (${situation}): ${error.message}`,
      {
        expected: replies.map((r) => visible(`server: ${r}`)).join(", "),
        actual: visible(client.stdout.join("\n") || "(nothing on stdout)"),
      },
    );
  }
  const printed = repliesPrinted(client, replies);
  const extra = printed.find((text) => !replies.includes(text));
  if (extra !== undefined || printed.length !== replies.length) {
    throw new CheckFailure(`the client printed the server's lines in pieces or more than once (${situation})`, {
      expected: replies.map((r) => visible(`server: ${r}`)).join(", "),
      actual: visible(client.stdout.join("\n")),
    });
  }
}

const checks: Check[] = [
  {
    id: "announces-address",
    title: "the server prints 'listening on HOST:PORT' with the real port",
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
    title: "the server prints the client's line, then sends the reply typed at its console",
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
        await talk.expectPrinted(["hello, server"], "the line was sent whole");
      } catch (error) {
        if (!(error instanceof CheckFailure) || talk.printed().length > 0) throw error;
        // Nothing printed. Is the server waiting for its console before it prints?
        await server.type("hello, client\n");
        const printedLate = await server.waitFor(() => talk.printed()[0], 1500, "the line").catch(() => undefined);
        throw new CheckFailure(
          printedLate !== undefined
            ? "the server printed the client's line only after something was typed at its console: print it as soon as it arrives, then wait for the reply"
            : error.message,
          { expected: error.expected, actual: error.actual },
        );
      }
      await talk.reply("hello, client");
      await talk.exchange("how are you?", "fine, thanks");
    },
  },
  {
    id: "byte-by-byte",
    title: "a line that arrives one byte per read is printed once, whole",
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
      await talk.expectPrinted(["one byte at a time"], "the client sent it one byte per write");
      await talk.reply("got it whole");
    },
  },
  {
    id: "two-lines-one-write",
    title: "two lines in one write are printed and answered one by one",
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
      const situation = "both came in one write";
      await talk.expectPrinted(["first line"], situation);
      await talk.reply("answer one");
      await talk.expectPrinted(["first line", "second line"], situation);
      await talk.reply("answer two");
    },
  },
  {
    id: "crlf",
    title: 'a line ending in "\\r\\n" is printed without the "\\r"',
    hint: {
      en: 'Clients such as telnet end lines with "\\r\\n". Drop a "\\r" just before the "\\n".',
      ru: 'Некоторые клиенты (например, telnet) заканчивают строки "\\r\\n". Отбросьте "\\r" перед "\\n".',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("from telnet\r\n");
      await talk.expectPrinted(["from telnet"], 'the line ended in "\\r\\n"');
      await talk.reply("noted");
    },
  },
  {
    id: "utf8-split",
    title: "Cyrillic and emoji split in the middle of a character arrive intact",
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
      await talk.expectPrinted(["привет, мир 👋"], "it came in three writes, each cut inside a character");
      await talk.reply("и тебе привет 🙂");
    },
  },
  {
    id: "invalid-utf8",
    title: "a line that is not UTF-8 gets an error line, and the conversation goes on",
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
        throw new CheckFailure('the server printed the bytes as "\\uFFFD" instead of rejecting the line', {
          expected: 'a reply line starting with "error", nothing printed as the message',
          actual: visible(mangled),
        });
      }
      const text = new TextDecoder().decode(talk.peer.received);
      if (!answered || !text.toLowerCase().startsWith("error")) {
        throw new CheckFailure("the server did not answer an invalid UTF-8 line with an error line", {
          expected: 'a line starting with "error", e.g. "error: not valid UTF-8\\n"',
          actual: talk.peer.received.length ? visible(talk.peer.received) : "nothing within 3 s",
        });
      }
      await talk.expectFromServer(text.slice(0, text.indexOf("\n") + 1), "the error line");
      await talk.exchange("and now in UTF-8", "welcome back");
    },
  },
  {
    id: "long-line",
    title: "a line over 4 KiB gets an error and the connection closed; the next client is served",
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
      const rest = await talk.expectClosed("after 64 KiB without a newline");
      if (!rest.toLowerCase().startsWith("error") || !rest.endsWith("\n")) {
        throw new CheckFailure("the server closed the connection without an error line first", {
          expected: 'a line starting with "error" (e.g. "error: line longer than 4096 bytes\\n"), then EOF',
          actual: visible(rest || "(nothing)"),
        });
      }
      await stillServing(trial, server, address, "a client sent a 64 KiB line");
    },
  },
  {
    id: "reset-mid-line",
    title: "a client that resets the connection in the middle of a line does not stop the server",
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
      await stillServing(trial, server, address, "a client sent half a line and reset the connection");
    },
  },
  {
    id: "client-leaves",
    title: "a client that closes the connection ends its conversation; the next client is served",
    hint: {
      en: "read() returns null when the client has closed: that ends the conversation, not the server.",
      ru: "read() возвращает null, когда клиент закрыл соединение: это конец разговора, а не сервера.",
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.exchange("see you", "bye then");
      await talk.peer.closeWrite();
      await talk.expectClosed("after the client closed its side");
      await stillServing(trial, server, address, "a client closed its connection");
    },
  },
  {
    id: "client-exit",
    title: "a client's exit ends the conversation; the client waiting in the queue is served next",
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
        throw new CheckFailure("the server printed the second client's line while still talking to the first", {
          expected: "one conversation at a time: the second client waits",
          actual: visible(second.prefix + second.printed()[0]),
        });
      }
      await first.send("exit\n");
      await first.expectClosed('after the client said "exit"');
      await second.expectPrinted(["me next?"], "it was sent while the first client was served");
      await second.reply("yes, you");
    },
  },
  {
    id: "server-exit",
    title: "exit typed at the server's console tells the client and closes; the next client is served",
    hint: {
      en: 'If the reply typed is "exit", send it (the client must know), close the connection, go back to accept().',
      ru:
        'Если с консоли введено "exit", отправьте его (клиент должен узнать), закройте соединение, вернитесь к accept().',
    },
    async run(trial) {
      const { server, address } = await startTalkServer(trial);
      const talk = await Talk.open(trial, server, address);
      await talk.send("anything new?\n");
      await talk.expectPrinted(["anything new?"], "the line was sent whole");
      await server.type("exit\n");
      await talk.expectFromServer("exit\n", 'the line "exit" typed at its console');
      await talk.expectClosed('after sending "exit"');
      await stillServing(trial, server, address, 'the server said "exit" to a client');
    },
  },
  portInUse("given"),
  {
    id: "client-one-shot",
    title: "client --message sends the line, prints the reply and exits 0",
    hint: {
      en:
        "Send the message with its \\n, read one whole line back, print it as `server: TEXT`; then say exit (or close) and exit 0.",
      ru:
        "Отправьте сообщение с \\n, прочитайте в ответ одну целую строку, выведите её как `server: ТЕКСТ`; затем скажите exit (или закройте соединение) и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "hello there"]);
      await expectFromClient(peer, "hello there\n", 'the message "hello there" and its "\\n"');
      await peer.write(bytes("general kenobi\n"));
      await expectClientPrinted(client, ["general kenobi"], "the reply came whole");
      // The client may say exit before it leaves; then the grader closes.
      await peer.readUntil((data) => new TextDecoder().decode(data).includes("\nexit\n"), 1000);
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, "its reply arrived");
    },
  },
  {
    id: "client-dribbled-reply",
    title: "a reply that arrives one byte at a time is printed once, whole",
    hint: {
      en: "Read the server's reply with the same line reader: keep reading until the \\n.",
      ru: "Читайте ответ сервера тем же построчным чтением: читайте, пока не придёт \\n.",
    },
    timeoutMs: 25_000,
    async run(trial) {
      const { client, peer } = await clientConnects(trial, ["--message", "slowly, please"]);
      await expectFromClient(peer, "slowly, please\n", 'the message "slowly, please" and its "\\n"');
      await dribble(peer, bytes("byte by byte, по байту 👋\n"), 1, 20);
      await expectClientPrinted(client, ["byte by byte, по байту 👋"], "the server sent it one byte per write");
    },
  },
  {
    id: "client-two-replies",
    title: "two lines from the server in one segment are both printed",
    hint: {
      en: "After a line, the rest of the read is the next line: print every complete line, keep the remainder.",
      ru: "После строки остаток прочитанного — начало следующей: выводите каждую целую строку, остаток сохраняйте.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("ping\n");
      await expectFromClient(peer, "ping\n", 'the line typed at its console, "ping"');
      await peer.write(bytes("pong one\npong two\n"));
      await expectClientPrinted(client, ["pong one", "pong two"], "both came in one write");
    },
  },
  {
    id: "client-server-exit",
    title: 'the client exits 0 when the server says "exit"',
    hint: {
      en: 'Watch the socket while waiting for the console: when the server\'s line is "exit", say so and end.',
      ru: 'Следите за сокетом, пока ждёте ввода с консоли: если сервер прислал "exit", сообщите об этом и завершитесь.',
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("may I?\n");
      await expectFromClient(peer, "may I?\n", 'the line typed at its console, "may I?"');
      await peer.write(bytes("exit\n"));
      await expectClientLeaves(client, 'the server said "exit" (while nothing was typed at its console)');
    },
  },
  {
    id: "client-server-closes",
    title: "the client exits 0 with a message when the server closes the connection",
    hint: {
      en: "read() returning null means the server has gone: print a line saying so and end with code 0.",
      ru: "read() вернул null: сервер ушёл. Выведите строку об этом и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("are you there?\n");
      await expectFromClient(peer, "are you there?\n", 'the line typed at its console, "are you there?"');
      await peer.write(bytes("going away now\n"));
      await expectClientPrinted(client, ["going away now"], "the reply came whole");
      const before = client.stdout.length;
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, "the server closed the connection");
      if (client.stdout.length === before && client.stderr.length === 0) {
        throw new CheckFailure("the client left without a word when the server closed the connection", {
          expected: 'a line such as "the server closed the connection"',
          actual: "nothing printed",
        });
      }
    },
  },
  {
    id: "client-types-exit",
    title: 'exit typed at the client sends "exit" and ends the client',
    hint: {
      en: 'Send "exit" like any line, then stop reading the console; end when the server closes.',
      ru:
        'Отправьте "exit" как обычную строку, перестаньте читать консоль; завершитесь, когда сервер закроет соединение.',
    },
    async run(trial) {
      const { client, peer } = await clientConnects(trial, [], true);
      await client.type("exit\n");
      await expectFromClient(peer, "exit\n", 'the line "exit"');
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, 'it said "exit" and the server closed the connection');
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
