/**
 * Lesson 3's peers: the grader's raw chat clients ({@linkcode Member}), one
 * that joins and then resets its connection, and the grader playing the chat
 * server for the learner's client. A member reads lines as they come (never
 * the whole stream again), so checks that push megabytes stay linear.
 *
 * @module
 */
import net from "node:net";
import type { Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import { type Bilingual, type Text, textIn } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { seconds, sleep, within } from "../../harness/deadline.ts";
import type { Address, LearnerProcess } from "../../harness/process.ts";
import { describe } from "../../harness/socket.ts";
import { startServer, tcpAddress } from "../../harness/programs.ts";

/** How long a line may take to reach a client. */
export const DELIVERY_MS = 3000;
export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** Starts the learner's chat server on a free port of 127.0.0.1, with a console the grader can type at. */
export async function startChat(
  trial: Trial,
  args: string[] = [],
): Promise<{ server: LearnerProcess; address: { transport: "tcp"; host: string; port: number } }> {
  const { server, address } = await startServer(trial, {
    args: ["--host", "127.0.0.1", "--port", "0", ...args],
    stdin: "piped",
  });
  return { server, address: tcpAddress(address) };
}

/** `count` numbered lines: `ann line 0001`… */
export const numbered = (name: string, count: number, from = 1): string[] =>
  Array.from({ length: count }, (_, i) => `${name} line ${String(from + i).padStart(4, "0")}`);

/** Lines as one piece of text, each ending in "\n". */
export const joined = (lines: string[]): string => lines.map((line) => `${line}\n`).join("");

/** The names a welcome line lists after `here:` (none for "nobody else yet" or any other words). */
export function hereList(welcome: string, candidates: string[]): string[] {
  const here = welcome.slice(welcome.indexOf("here:") + 5).split(",").map((name) => name.trim());
  return here.filter((name) => candidates.includes(name));
}

/**
 * One of the grader's raw chat clients: a TCP connection that reads in the
 * background (or not at all, until {@linkcode Member.resume}), cuts what
 * arrives into lines as it comes, and records every byte in the transcript.
 */
export class Member implements AsyncDisposable {
  /** The name the server gave it (from its welcome line), or the one it asked for. */
  name = "";
  /** Every complete line received, without its "\n". */
  readonly lines: string[] = [];
  /** Bytes received. */
  received = 0;
  /** True once the server closed its side (EOF). */
  eof = false;
  /** The error that ended reading (a reset), if any. */
  error?: Error;
  /** When reading ended (EOF or an error), as `performance.now()`. */
  endedAt?: number;
  #partial = "";
  #decoder = new TextDecoder();
  #judged = 0;
  #conn: Deno.Conn;
  #reading?: Promise<void>;
  #closed = false;
  #wake: () => void = () => {};
  #changed: Promise<void>;

  private constructor(readonly label: string, conn: Deno.Conn, readonly trial: Trial) {
    this.#conn = conn;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
  }

  /** Connects (within 3 s) and, unless `read` is false, starts reading. Closed when the check ends. */
  static async connect(trial: Trial, address: Address, label: string, read = true): Promise<Member> {
    if (address.transport !== "tcp") throw new Error("chat members connect over TCP");
    const connecting = Deno.connect({ hostname: address.host, port: address.port });
    let conn: Deno.Conn;
    try {
      conn = await within(connecting, 3000, {
        en: `connection accepted at ${describe(address)}`,
        ru: `принятого соединения на ${describe(address)}`,
      });
    } catch (error) {
      connecting.then((late) => late.close(), () => {});
      if (error instanceof CheckFailure) throw error;
      throw new CheckFailure({
        en: `${label} could not connect to ${describe(address)}: ${(error as Error).message}`,
        ru: `${label} не удалось подключиться к ${describe(address)}: ${(error as Error).message}`,
      });
    }
    trial.transcript.event(label, `connected to ${describe(address)}${read ? "" : " (and reads nothing for now)"}`);
    const member = new Member(label, conn, trial);
    trial.defer(member);
    if (read) member.resume();
    return member;
  }

  /**
   * Connects, sends `name` as the first line and waits for the welcome (the
   * name it got is taken from it). With `read` false it reads nothing, not
   * even the welcome: a client that has stalled.
   */
  static async join(trial: Trial, address: Address, name: string, read = true): Promise<Member> {
    const member = await Member.connect(trial, address, name, read);
    await member.say(`${name}\n`);
    member.name = name;
    if (read) await member.welcomed(name);
    return member;
  }

  /** This end of the connection as the server sees it: `127.0.0.1:40123`. */
  get localAddress(): string {
    const addr = this.#conn.localAddr as Deno.NetAddr;
    return addr.hostname.includes(":") ? `[${addr.hostname}]:${addr.port}` : `${addr.hostname}:${addr.port}`;
  }

  /** Starts reading (a member made with `read` false reads from now on). */
  resume(): void {
    this.#reading ??= this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.endedAt = performance.now();
          this.eof = true;
          this.trial.transcript.event(this.label, "received EOF (the server closed the connection); closes too");
          // As a real client does: the server's gentle close need not wait for us.
          this.#closed = true;
          this.#conn.close();
          break;
        }
        const chunk = buffer.subarray(0, n);
        this.trial.transcript.bytes(`${this.label} received`, chunk);
        this.received += n;
        const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
        const cut = text.lastIndexOf("\n");
        if (cut >= 0) {
          for (const line of text.slice(0, cut).split("\n")) this.lines.push(line);
          this.#partial = text.slice(cut + 1);
        } else {
          this.#partial = text;
        }
        this.#notify();
      }
    } catch (error) {
      if (!this.#closed) {
        this.endedAt = performance.now();
        this.error = error as Error;
        this.trial.transcript.event(this.label, `read failed: ${(error as Error).name}`);
      }
    }
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
    wake();
  }

  /** True once reading has ended: EOF, an error, or we closed. */
  get done(): boolean {
    return this.eof || this.error !== undefined || this.#closed;
  }

  /** Bytes of a line still waiting for its "\n". */
  get partial(): string {
    return this.#partial;
  }

  /** Waits until `test()` holds or reading ends, at most `ms`; returns whether `test()` holds. */
  async until(test: () => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!test() && !this.done) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#changed, new Promise((r) => timer = setTimeout(r, left))]);
      clearTimeout(timer);
    }
    return test();
  }

  /** Waits up to `ms` for the server to close the connection (EOF or reset); returns whether it did. */
  async closedWithin(ms: number): Promise<boolean> {
    this.resume();
    await this.until(() => false, ms);
    return this.eof || this.error !== undefined;
  }

  /** Sends text or bytes, all of them, within `ms`. */
  async say(data: string | Uint8Array, ms = 3000): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    this.trial.transcript.bytes(`${this.label} sent`, bytes);
    const writing = (async () => {
      for (let at = 0; at < bytes.length;) at += await this.#conn.write(bytes.subarray(at));
    })();
    try {
      await within(writing, ms, {
        en: `room to send ${bytes.length} bytes as ${this.label}`,
        ru: `места, чтобы отправить ${bytes.length} байт от имени ${this.label}`,
      }, { en: "the server stopped reading", ru: "сервер перестал читать" });
    } catch (error) {
      if (error instanceof CheckFailure) throw error;
      throw new CheckFailure({
        en: `${this.label} could not send: the server closed or reset the connection (${(error as Error).name})`,
        ru: `${this.label} не смог отправить: сервер закрыл или сбросил соединение (${(error as Error).name})`,
      });
    }
  }

  /** Sends `text` one byte at a time, each byte its own write, a moment apart: a slow typist on a slow link. */
  async dribble(text: string): Promise<void> {
    const bytes = encoder.encode(text);
    this.trial.transcript.event(this.label, `sends ${visible(text)} one byte at a time`);
    try {
      for (let i = 0; i < bytes.length; i++) {
        await this.#conn.write(bytes.subarray(i, i + 1));
        await sleep(2);
      }
    } catch (error) {
      throw new CheckFailure({
        en: `${this.label} could not send: the server closed or reset the connection (${(error as Error).name})`,
        ru: `${this.label} не смог отправить: сервер закрыл или сбросил соединение (${(error as Error).name})`,
      });
    }
  }

  /** Half-closes: "nothing more from me" (FIN), and keeps reading. */
  async closeWrite(): Promise<void> {
    this.trial.transcript.event(this.label, "half-closes (sends FIN)");
    await this.#conn.closeWrite();
  }

  /** Hangs up: closes the connection. */
  async hangUp(): Promise<void> {
    this.trial.transcript.event(this.label, "hangs up (closes its connection)");
    await this[Symbol.asyncDispose]();
  }

  /** Waits for the welcome line, `* welcome, NAME; here: …`, and takes the name from it. */
  async welcomed(asked: string): Promise<string> {
    await this.until(() => this.lines.length > 0, DELIVERY_MS);
    const first = this.lines[0];
    const name = first?.match(/^\* welcome, ([^;\s]+);/)?.[1];
    if (!name) {
      throw new CheckFailure({
        en: `${asked} got no welcome line after sending its name`,
        ru: `${asked} не получил приветственную строку после того, как отправил своё имя`,
      }, {
        expected: {
          en: `"* welcome, ${asked}; here: …\\n" as the first line`,
          ru: `"* welcome, ${asked}; here: …\\n" первой строкой`,
        },
        actual: first === undefined
          ? visible(this.#partial) === '""' ? { en: "nothing", ru: "ничего" } : visible(this.#partial)
          : visible(first),
      });
    }
    this.name = name;
    this.#judged = 1;
    return first;
  }

  /** Lines received since the last call of `take` (or the welcome). */
  take(): string[] {
    const fresh = this.lines.slice(this.#judged);
    this.#judged = this.lines.length;
    return fresh;
  }

  /** Lines received since the last `take`, without taking them. */
  fresh(): string[] {
    return this.lines.slice(this.#judged);
  }

  /** Waits until a line satisfying `test` has arrived (after the ones taken); returns it. */
  async expectLine(test: (line: string) => boolean, what: Text, ms = DELIVERY_MS): Promise<string> {
    const found = () => this.lines.slice(this.#judged).find(test);
    await this.until(() => found() !== undefined, ms);
    const line = found();
    if (line === undefined) {
      const since = this.fresh().join("\n");
      throw new CheckFailure({
        en: `${this.name || this.label} did not receive ${textIn(what, "en")} within ${seconds(ms)}`,
        ru: `${this.name || this.label} не получил ${textIn(what, "ru")} за ${seconds(ms)}`,
      }, {
        actual: {
          en: `received since: ${visible(since || "(nothing)", 300)}${this.done ? "; then the connection ended" : ""}`,
          ru: `с тех пор пришло: ${visible(since || "(ничего)", 300)}${
            this.done ? "; затем соединение закончилось" : ""
          }`,
        },
      });
    }
    return line;
  }

  /** Waits until `lines` have all arrived, in this order, each once, with nothing between them but notices. */
  async expectExactly(lines: string[], situation: Bilingual, ms = DELIVERY_MS): Promise<void> {
    const last = lines.at(-1)!;
    await this.until(() => this.lines.lastIndexOf(last) >= this.#judged, ms);
    const got = this.take().filter((line) => !line.startsWith("* "));
    const wanted = new Set(lines);
    const missing = lines.filter((line) => !got.includes(line));
    if (missing.length > 0) {
      const shown = got.slice(0, 5).join("\n");
      throw new CheckFailure({
        en: `${this.name} did not receive ${missing.length} of the ${lines.length} line(s) within ${
          seconds(ms)
        } (${situation.en})`,
        ru: `за ${
          seconds(ms)
        } ${this.name} получил не все строки: не хватает ${missing.length} из ${lines.length} (${situation.ru})`,
      }, {
        expected: visible(missing.slice(0, 3).join("\n")),
        actual: { en: visible(shown || "(nothing)"), ru: visible(shown || "(ничего)") },
      });
    }
    const order = got.filter((line) => wanted.has(line));
    const seen = new Set<string>();
    const twice = order.find((line) => seen.size === seen.add(line).size);
    if (twice) {
      throw new CheckFailure({
        en: `${this.name} received a line more than once (${situation.en})`,
        ru: `${this.name} получил одну и ту же строку несколько раз (${situation.ru})`,
      }, {
        expected: { en: "each line once", ru: "каждая строка по одному разу" },
        actual: visible(twice),
      });
    }
    const wrong = order.findIndex((line, i) => line !== lines[i]);
    if (wrong >= 0) {
      throw new CheckFailure({
        en: `${this.name} received the lines out of order (${situation.en})`,
        ru: `${this.name} получил строки не в том порядке (${situation.ru})`,
      }, {
        expected: visible(lines.slice(wrong, wrong + 2).join("\n")),
        actual: visible(order.slice(wrong, wrong + 2).join("\n")),
      });
    }
    const stray = got.find((line) => !wanted.has(line));
    if (stray !== undefined) {
      throw new CheckFailure({
        en: `${this.name} received a line nobody sent (${situation.en})`,
        ru: `${this.name} получил строку, которую никто не отправлял (${situation.ru})`,
      }, {
        expected: visible(lines.slice(0, 2).join("\n")),
        actual: visible(stray),
      });
    }
  }

  /** Fails if any line that `unwanted` matches has come since the last `take` (waiting `ms` first). */
  async expectNone(unwanted: (line: string) => boolean, what: Bilingual, ms = 0): Promise<void> {
    if (ms > 0) await sleep(ms);
    const bad = this.fresh().find(unwanted);
    if (bad !== undefined) {
      throw new CheckFailure({ en: `${this.name} received ${what.en}`, ru: `${this.name} получил ${what.ru}` }, {
        expected: { en: "no such line", ru: "ни одной такой строки" },
        actual: visible(bad),
      });
    }
  }

  /** Closes the connection and waits for the background read to end. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#conn.close();
      } catch { /* already closed */ }
      this.#notify();
    }
    await this.#reading;
  }
}

/**
 * A client that joins as `name`, waits for its welcome, sends `partial` (a
 * line without its "\n") and then resets its connection (a TCP RST, as a
 * crashed client or a pulled cable does). Resolves once the reset is sent.
 */
export function joinThenReset(trial: Trial, address: Address, name: string, partial: string): Promise<void> {
  if (address.transport !== "tcp") throw new Error("chat members connect over TCP");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: address.host, port: address.port }, () => {
      trial.transcript.event(name, `connected to ${describe(address)}; sends ${visible(`${name}\n`)}`);
      socket.write(`${name}\n`);
    });
    let welcomed = false;
    socket.on("data", (data: Uint8Array) => {
      trial.transcript.bytes(`${name} received`, data);
      if (welcomed || !data.includes(0x0a)) return;
      welcomed = true;
      trial.transcript.event(name, `sends ${visible(partial)} (no "\\n"), then resets its connection (RST)`);
      socket.write(partial, () => {
        timer = setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 50);
      });
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      if (!welcomed) {
        reject(
          new CheckFailure({
            en: `${name} got no welcome line after sending its name`,
            ru: `${name} не получил приветственную строку после того, как отправил своё имя`,
          }),
        );
      } else resolve();
    });
    trial.defer({ [Symbol.dispose]: () => socket.destroy() });
  });
  return within(done, DELIVERY_MS, {
    en: `welcome for ${name} (it then resets its connection)`,
    ru: `приветствия для ${name} (затем он сбрасывает соединение)`,
  });
}
