/**
 * Lesson 2's grader peers: the grader as a client of the learner's server
 * (a {@linkcode Talk}, which also types at the server's console), and the
 * grader as the server of the learner's client ({@linkcode clientConnects}).
 *
 * @module
 */
import net from "node:net";
import type { Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { sleep, within } from "../../harness/deadline.ts";
import type { Address, LearnerProcess } from "../../harness/process.ts";
import { Peer } from "../../harness/socket.ts";
import { assertAlive, assertCleanError, startServer } from "../../harness/programs.ts";

/** How long a program may take to print a line, or to answer on the wire. */
export const PROMPT_MS = 3000;
const encoder = new TextEncoder();
/** `text` as UTF-8 bytes. */
export const bytes = (text: string): Uint8Array => encoder.encode(text);
/** `text` with its first letter in upper case, to start a sentence. */
const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

/** The line the lesson text fixes for a line over the limit (`error: line longer than 4096 bytes; …`). */
export const tooLong = (limit: number): string => `error: line longer than ${limit} bytes; closing the connection`;
/** The line the lesson text fixes for a line that is not UTF-8. */
export const NOT_UTF8 = "error: that line is not valid UTF-8 text; send UTF-8";

/** Starts the learner's server with a console (stdin) the grader can type at. */
export function startTalkServer(
  trial: Trial,
  args?: string[],
): Promise<{ server: LearnerProcess; address: Address }> {
  return startServer(trial, { stdin: "piped", ...(args ? { args } : {}) });
}

/**
 * One client's conversation with the learner's server, from the grader's
 * side: it sends lines, watches the server print them, types the replies at
 * the server's console and checks what comes back on the wire.
 */
export class Talk {
  readonly peer: Peer;
  readonly server: LearnerProcess;
  /** The grader's end, as the server names this client: `127.0.0.1:40123`. */
  readonly address: string;
  /** The start of every line the server prints for this client: `127.0.0.1:40123: `. */
  readonly prefix: string;
  /** How many of the server's bytes the grader has already judged. */
  #seen = 0;

  /** The server's bytes the grader has not judged yet. */
  get unseen(): Uint8Array {
    return this.peer.received.subarray(this.#seen);
  }

  private constructor(peer: Peer, server: LearnerProcess) {
    this.peer = peer;
    this.server = server;
    this.address = peer.localAddress;
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

  /** The other lines the server printed that name this client (`Client 127.0.0.1:40123 connected`), from `from` on. */
  mentions(from = 0): string[] {
    return this.server.stdout.slice(from).filter((line) =>
      !line.startsWith(this.prefix) && new RegExp(`(^|[^\\d.:])${escape(this.address)}(?![\\d])`).test(line)
    );
  }

  /**
   * Waits until the server prints a line about this client (not one of its
   * messages) after its `from`th line of stdout; `event` says what happened.
   */
  async expectMention(from: number, event: Bilingual): Promise<void> {
    try {
      await this.server.waitFor(() => this.mentions(from)[0], PROMPT_MS, {
        en: `a line about the client ${this.address}`,
        ru: `строку о клиенте ${this.address}`,
      });
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      throw new CheckFailure({
        en: `the server said nothing about the client ${this.address} after ${event.en}: log a line that names it (${
          visible(`Client ${this.address} …`)
        }, any words)`,
        ru:
          `сервер ничего не сообщил о клиенте ${this.address} после того, как ${event.ru}: выведите строку с его адресом (${
            visible(`Client ${this.address} …`)
          }, слова любые)`,
      }, {
        expected: { en: `a line naming ${this.address}`, ru: `строка с адресом ${this.address}` },
        actual: visible(this.server.stdout.slice(from).join("\n") || "(nothing)"),
      });
    }
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
      const loose = expected.length > 1 && got.some((text) => text.includes(`${expected.at(-2)!}\n`)) ||
        this.server.stdout.includes(expected.at(-1)!);
      const missing = got.length < expected.length ? visible(expected[got.length]) : "";
      throw new CheckFailure(
        this.peer.eof && !loose
          ? {
            en: `the server closed the connection instead of printing the client's line ${missing} (${situation.en})`,
            ru: `сервер закрыл соединение, вместо того чтобы вывести строку клиента ${missing} (${situation.ru})`,
          }
          : loose
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
      if (got[i] === `${text}\r`) {
        throw new CheckFailure({
          en: `the server kept the "\\r" of a line that ended in "\\r\\n" (${situation.en}): drop it`,
          ru: `сервер оставил "\\r" строки, оканчивавшейся на "\\r\\n" (${situation.ru}): его нужно отбросить`,
        }, { expected: visible(this.prefix + text), actual: visible(this.prefix + got[i]) });
      }
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

  /**
   * Fails if the server printed more than `count` messages of this client:
   * the next one must wait for its turn. `why` says what the extra line is.
   */
  expectNoMorePrinted(count: number, why: Bilingual): void {
    const got = this.printed();
    if (got.length <= count) return;
    throw new CheckFailure(why, {
      expected: got.slice(0, count).map((text) => visible(this.prefix + text)).join(", ") ||
        { en: "nothing printed yet", ru: "пока ничего не выведено" },
      actual: got.map((text) => visible(this.prefix + text)).join(", "),
    });
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
  async expectFromServer(wanted: string, what: Bilingual, hint?: Bilingual): Promise<void> {
    const want = bytes(wanted);
    const from = this.#seen;
    const arrived = await this.peer.readUntil((data) => enoughFor(want, data, from), PROMPT_MS);
    const got = this.peer.received.subarray(from, from + want.length);
    if (!arrived) {
      throw new CheckFailure(
        {
          en: `the server did not send ${what.en} within ${PROMPT_MS / 1000} s${
            this.peer.eof ? "; it closed the connection" : ""
          }${hint ? `: ${hint.en}` : ""}`,
          ru: `за ${PROMPT_MS / 1000} с сервер не отправил ${what.ru}${this.peer.eof ? "; он закрыл соединение" : ""}${
            hint ? `: ${hint.ru}` : ""
          }`,
        },
        { expected: visible(want), actual: got.length ? visible(got) : { en: "nothing", ru: "ничего" } },
      );
    }
    const difference = firstDifference(want, got);
    if (difference) {
      throw new CheckFailure({
        en: `the server sent something else than ${what.en}${hint ? `: ${hint.en}` : ""}`,
        ru: `сервер должен был отправить ${what.ru}, а отправил другое${hint ? `: ${hint.ru}` : ""}`,
      }, {
        expected: visible(want),
        actual: { en: `${visible(got)}; ${difference}`, ru: `${visible(got)}; ${firstDifference(want, got, "ru")}` },
      });
    }
    this.#seen = from + want.length;
  }

  /** Waits for the server to close the connection; fails if it sends anything more first. */
  async expectClosed(situation: Bilingual): Promise<void> {
    const closed = await this.peer.waitForEof(PROMPT_MS);
    const rest = this.peer.received.subarray(this.#seen);
    if (!closed) {
      throw new CheckFailure({
        en: `the server did not close the connection within ${PROMPT_MS / 1000} s ${situation.en}`,
        ru: `сервер не закрыл соединение за ${PROMPT_MS / 1000} с ${situation.ru}`,
      }, {
        expected: "EOF",
        actual: {
          en: `${rest.length ? visible(rest) : "nothing"} and the connection still open`,
          ru: `${rest.length ? visible(rest) : "ничего"}, и соединение всё ещё открыто`,
        },
      });
    }
    if (rest.length > 0) {
      throw new CheckFailure({
        en: `the server sent more than it should ${situation.en}, then closed`,
        ru: `сервер отправил больше, чем нужно, ${situation.ru}, и закрыл соединение`,
      }, { expected: "EOF", actual: visible(rest) });
    }
  }

  /**
   * After the server's FIN, this client is "still typing": it sends two
   * more lines, 50 ms apart. A server that closes gently reads and
   * discards them until the client closes too; one that closed the socket
   * outright (or with unread bytes, which sends a reset at once) answers
   * with a reset, and the second send fails.
   */
  async expectLingering(situation: Bilingual, hint: Bilingual): Promise<void> {
    for (const text of ["sorry, one more thing\n", "are you still there?\n"]) {
      try {
        await this.peer.write(bytes(text), 1000);
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        throw new CheckFailure({
          en: `the server reset the connection (RST) ${situation.en}: a client that is still typing gets an error, ` +
            `and may lose the server's last line unread. ${hint.en}`,
          ru: `сервер сбросил соединение (RST) ${situation.ru}: клиент, который ещё печатает, получает ошибку ` +
            `и может потерять непрочитанную последнюю строку сервера. ${hint.ru}`,
        }, {
          expected: {
            en: "the server half-closes, reads and discards what still comes (up to 2 s), then closes",
            ru: "сервер закрывает свою сторону, читает и выбрасывает то, что ещё приходит (до 2 с), потом закрывает",
          },
          actual: error.text,
        });
      }
      await sleep(50);
    }
  }

  /** Sends `text` as raw bytes. */
  send(text: string | Uint8Array): Promise<void> {
    return this.peer.write(typeof text === "string" ? bytes(text) : text);
  }

  /** One full turn: send `text`, see it printed, type `reply`, receive it. */
  async exchange(text: string, reply: string, situation?: Bilingual): Promise<void> {
    await this.send(`${text}\n`);
    await this.expectPrinted([...this.printed(), text], situation ?? SENT_WHOLE);
    await this.reply(reply);
  }
}

const SENT_WHOLE = { en: "the line was sent whole", ru: "строка была отправлена целиком" };

/**
 * Whether `data` from byte `from` on can be judged against `want`: as many
 * bytes as it has, or, when it is made of lines, as many lines (a shorter
 * wrong line is judged at once, without waiting for bytes that never come).
 */
function enoughFor(want: Uint8Array, data: Uint8Array, from: number): boolean {
  if (data.length - from >= want.length) return true;
  const lines = want.filter((byte) => byte === 0x0a).length;
  return lines > 0 && data.subarray(from).filter((byte) => byte === 0x0a).length >= lines;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Proves the server still holds conversations: a new client gets one full exchange. */
export async function stillServing(
  trial: Trial,
  server: LearnerProcess,
  address: Address,
  after: Bilingual,
): Promise<void> {
  await sleep(100);
  assertAlive(server, after);
  const next = await Talk.open(trial, server, address, "grader (next client)");
  await next.send("are you still there?\n");
  try {
    await next.expectPrinted(["are you still there?"], SENT_WHOLE);
  } catch (error) {
    if (!(error instanceof CheckFailure) || next.printed().length > 0) throw error;
    throw new CheckFailure({
      en: `the server did not serve the next client after ${after.en}: ${error.text.en}`,
      ru: `сервер не стал обслуживать следующего клиента после того, как ${after.ru}: ${error.text.ru}`,
    }, { expected: error.expected, actual: error.actual });
  }
  await next.reply("yes, still here");
}

/** Writes `data` in `chunk`-byte pieces, `pauseMs` apart. */
export async function dribble(peer: Peer, data: Uint8Array, chunk: number, pauseMs: number): Promise<void> {
  for (let at = 0; at < data.length; at += chunk) {
    await peer.write(data.subarray(at, at + chunk));
    await sleep(pauseMs);
  }
}

/**
 * The grader as the server: it listens, starts the learner's client with
 * `args` (and `--port`), and accepts its connection.
 */
export async function clientConnects(
  trial: Trial,
  args: string[],
  console = false,
  label = "client",
): Promise<{ client: LearnerProcess; peer: Peer; port: number }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  trial.defer({ [Symbol.dispose]: () => listener.close() });
  const client = trial.start(
    label,
    ["client", "--host", "127.0.0.1", "--port", String(listener.addr.port), ...args],
    { stdin: console ? "piped" : "null" },
  );
  const peer = await acceptClient(listener, trial, client);
  // At a console the client greets first ("connected to …"); wait a little for that, so what it prints later is
  // told apart from it. A client that says nothing is judged elsewhere.
  if (console) await client.waitFor(() => client.stdout[0], 1000, { en: "", ru: "" }).catch(() => {});
  return { client, peer, port: listener.addr.port };
}

/** Accepts the learner's client on `listener`, or fails saying it never connected. */
async function acceptClient(listener: Deno.Listener, trial: Trial, client: LearnerProcess): Promise<Peer> {
  const peer = await Peer.accept(listener, trial.transcript, `grader server (${client.label})`).catch((error) => {
    throw client.exited
      ? new CheckFailure({
        en: `the ${client.label} exited with code ${client.exited.code} without connecting`,
        ru: `программа ${client.label} завершилась с кодом ${client.exited.code}, так и не подключившись`,
      }, {
        actual: client.stderr.join(" | ") || { en: "nothing on stderr", ru: "в stderr ничего" },
      })
      : error;
  });
  trial.defer(peer);
  return peer;
}

/**
 * Waits until the grader, as the server, has received exactly `wanted` from the client (from byte `from`); `what`
 * names it (in Russian, in the accusative).
 */
export async function expectFromClient(
  peer: Peer,
  wanted: string,
  what: Bilingual,
  from = 0,
  hint?: Bilingual,
): Promise<void> {
  const want = bytes(wanted);
  const arrived = await peer.readUntil((data) => enoughFor(want, data, from), PROMPT_MS);
  const got = peer.received.subarray(from, from + want.length);
  if (!arrived || firstDifference(want, got)) {
    const tail = hint ? { en: `: ${hint.en}`, ru: `: ${hint.ru}` } : { en: "", ru: "" };
    throw new CheckFailure(
      arrived
        ? {
          en: `the client sent something else than ${what.en}${tail.en}`,
          ru: `клиент должен был отправить ${what.ru}, а отправил другое${tail.ru}`,
        }
        : {
          en: `the client did not send ${what.en} within 3 s${peer.eof ? "; it closed its side" : ""}${tail.en}`,
          ru: `за 3 с клиент не отправил ${what.ru}${peer.eof ? "; он закрыл свою сторону" : ""}${tail.ru}`,
        },
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
export async function expectClientPrinted(
  client: LearnerProcess,
  replies: string[],
  situation: Bilingual,
): Promise<void> {
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

/**
 * Waits up to `ms` for the client to exit after `event`, which is an error:
 * it must end with a non-zero code and one line on stderr, no stack trace.
 */
export async function expectClientFails(client: LearnerProcess, event: Bilingual, ms = PROMPT_MS): Promise<void> {
  const status = await client.exitWithin(ms);
  if (!status) {
    throw new CheckFailure({
      en: `the client was still running ${ms / 1000} s after ${event.en}`,
      ru: `клиент всё ещё работал через ${ms / 1000} с после того, как ${event.ru}`,
    }, {
      expected: {
        en: "a one-line error on stderr and a non-zero exit code",
        ru: "ошибка в одну строку в stderr и ненулевой код выхода",
      },
      actual: {
        en: `still running; last output: ${visible(client.stdout.slice(-2).join("\n") || "(none)")}`,
        ru: `всё ещё работает; последний вывод: ${visible(client.stdout.slice(-2).join("\n") || "(нет)")}`,
      },
    });
  }
  assertCleanError(client, status, { en: `after ${event.en}`, ru: `после того, как ${event.ru}` });
}

/**
 * A server for one client that resets the connection (RST) once the client
 * has sent a line, the way a crashed server or a pulled cable does.
 * Deno's own sockets cannot send a reset; node:net's `resetAndDestroy` can.
 */
export class ResettingServer implements AsyncDisposable {
  #server: net.Server;
  #sockets: Set<net.Socket>;
  /** Resolves when the reset has been sent. */
  readonly reset: Promise<void>;

  private constructor(server: net.Server, sockets: Set<net.Socket>, reset: Promise<void>) {
    this.#server = server;
    this.#sockets = sockets;
    this.reset = reset;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Listens on a free loopback port; the first client is reset once it has sent a whole line. */
  static async listen(trial: Trial): Promise<ResettingServer> {
    const { promise: reset, resolve } = Promise.withResolvers<void>();
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      trial.transcript.event("grader server", "accepted a client");
      let received = "";
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
      socket.on("data", (data) => {
        trial.transcript.bytes("grader server received", new Uint8Array(data));
        received += new TextDecoder().decode(data);
        if (received.includes("\n")) {
          trial.transcript.event("grader server", "resets the connection (RST)");
          socket.resetAndDestroy();
          resolve();
        }
      });
    });
    const self = new ResettingServer(server, sockets, reset);
    trial.defer(self);
    await within(
      new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok())),
      3000,
      { en: "listening socket for the grader's server", ru: "слушающего сокета для сервера проверки" },
    );
    return self;
  }

  /** Stops listening and destroys what is left. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#server.listening) return;
    await new Promise<void>((done) => this.#server.close(() => done()));
  }
}

/**
 * A client the grader can reset (RST) whenever it likes, the way a crashed
 * client does: node:net's `resetAndDestroy` sends the reset Deno's own
 * sockets cannot.
 */
export class ResettableClient implements AsyncDisposable {
  /** Its end of the connection, as the server names it: `127.0.0.1:40123`. */
  readonly address: string;
  #socket: net.Socket;
  #trial: Trial;

  private constructor(socket: net.Socket, trial: Trial) {
    this.#socket = socket;
    this.#trial = trial;
    this.address = `${socket.localAddress}:${socket.localPort}`;
  }

  /** Connects to the server at `host`:`port`. */
  static async connect(trial: Trial, host: string, port: number): Promise<ResettableClient> {
    const socket = net.connect({ host, port });
    socket.on("error", () => {});
    trial.defer({ [Symbol.dispose]: () => socket.destroy() });
    await within(
      new Promise<void>((ok, fail) => {
        socket.once("connect", () => ok());
        socket.once("error", fail);
      }),
      3000,
      { en: `connection accepted at ${host}:${port}`, ru: `принятого соединения на ${host}:${port}` },
    );
    const client = new ResettableClient(socket, trial);
    trial.transcript.event(`grader (${client.address})`, `connected to ${host}:${port}`);
    return client;
  }

  /** Sends `data`. */
  send(data: Uint8Array): void {
    this.#trial.transcript.bytes(`grader (${this.address}) sent`, data);
    this.#socket.write(data);
  }

  /** Aborts the connection with a reset. */
  reset(): void {
    this.#trial.transcript.event(`grader (${this.address})`, "resets the connection (RST)");
    this.#socket.resetAndDestroy();
  }

  /** Destroys the socket if it still stands. */
  [Symbol.asyncDispose](): Promise<void> {
    this.#socket.destroy();
    return Promise.resolve();
  }
}
