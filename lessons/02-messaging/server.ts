// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 2, your part: a server that holds a conversation, in turns.
 *
 * It talks to one client at a time. The client speaks first; the server
 * prints the line, then its operator types the reply at the console, and the
 * server sends it. The line `exit`, from either side, ends the conversation;
 * then the next client, who has waited in the listen queue, is served.
 *
 * The listening, the accept loop and the waiting for the console are given;
 * the conversation is yours. Do lines.ts first: the server reads with it.
 *
 * @module
 */
import { acceptFailureLog, formatAddr, outOfResources, todo } from "@course/program.ts";
import { byteLength, CutShort, LineReader, LineTooLong, NotUtf8, writeLine } from "./lines.ts";

/** How `runServer` is configured; `main.ts` fills it from the command line. */
export interface ServerOptions {
  /** The address to bind: `localhost`, `127.0.0.1`, `::1`… */
  host: string;
  /** The port to bind; 0 lets the system pick a free one. */
  port: number;
  /** The longest line accepted, in bytes. */
  maxLine: number;
  /** Where the server's log lines go. */
  log: (line: string) => void;
  /** The console: resolves with the next line typed, or null once the console is closed. */
  console: () => Promise<string | null>;
  /** Aborted when the server should stop (Ctrl+C, or the end of the demo). */
  signal: AbortSignal;
}

/** How a conversation ended: the server goes on to the next client, or stops. */
type Ending = "next client" | "stop";

/** What became of one read of the client's next line. Never a rejection, so it can wait unobserved. */
type Incoming = { line: string } | { problem: unknown } | { end: "eof" };

/** Listens, then holds one conversation after another until `signal` is aborted or the console closes. */
export async function runServer(options: ServerOptions): Promise<void> {
  const listener = Deno.listen({ hostname: options.host, port: options.port });
  options.log(`listening on ${formatAddr(listener.addr)}`);
  const stop = () => listener.close();
  options.signal.addEventListener("abort", stop, { once: true });

  // One console for all conversations (see Console below).
  const console = new Console(options.console, options.log);
  const stopped = aborted(options.signal);
  const acceptFailed = acceptFailureLog(options.log);
  while (!options.signal.aborted) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      // One connection failed (its client reset it before accept() returned):
      // the next one is fine, so accept it at once; a storm of such failures
      // is logged as a count. Only when the process is out of resources (too
      // many open files) does every accept() fail: then wait for a client to
      // leave rather than spin.
      acceptFailed(error);
      if (outOfResources(error)) await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    // One conversation at a time: while it lasts, the next clients wait in
    // the kernel's listen queue. Their connections are established and what
    // they send is buffered; they are served in the order they came.
    const ending = await converse(conn, options, console, stopped);
    if (ending === "stop") break;
    options.log("waiting for the next client");
  }
  options.signal.removeEventListener("abort", stop);
  if (!options.signal.aborted) listener.close();
  await Promise.all(lingering.values());
  options.log("server stopped");
}

/** Holds one conversation. Never throws: whatever the client does, the server goes on. */
async function converse(
  conn: Deno.Conn,
  options: ServerOptions,
  console: Console,
  stopped: Promise<"abort">,
): Promise<Ending> {
  const peer = formatAddr(conn.remoteAddr);
  const lines = new LineReader(conn, options.maxLine);
  const next = (): Promise<Incoming> =>
    lines.readLine().then((line) => line === null ? { end: "eof" } : { line }, (problem) => ({ problem }));
  options.log(`Client ${peer} connected`);
  try {
    let incoming = next();
    while (true) {
      // The client's turn.
      const got = await Promise.race([incoming, stopped]);
      if (got === "abort") return await goodbye(conn, incoming, options, "the server is stopping", "stop");
      if ("end" in got) {
        todo(
          import.meta.url,
          4,
          {
            en:
              'the client closed the connection (read gave null): log it, and return "next client" so the server accepts the next one',
            ru:
              'клиент закрыл соединение (read вернул null): записать это в лог и вернуть "next client", чтобы сервер принял следующего',
          },
        );
      }
      if ("problem" in got) {
        const verdict = await refuse(conn, peer, got.problem, options);
        if (verdict === "go on") {
          incoming = next();
          continue;
        }
        return "next client";
      }
      if (got.line === "exit") {
        todo(
          import.meta.url,
          3,
          {
            en: 'the client said "exit": log it, close the connection with closeGently(conn), return "next client"',
            ru:
              'клиент сказал "exit": записать это в лог, закрыть соединение через closeGently(conn), вернуть "next client"',
          },
        );
      }
      options.log(todo(
        import.meta.url,
        1,
        {
          en:
            "replace this todo() with the line to print, `${peer}: ${got.line}`: print it now, before the server's turn",
          ru: "заменить этот todo() строкой для печати, `${peer}: ${got.line}`: напечатать её сейчас, до хода сервера",
        },
      ));

      // The server's turn.
      incoming = next();
      const turn = await serverTurn(console, incoming, stopped, options);
      if (turn === "abort") return await goodbye(conn, incoming, options, "the server is stopping", "stop");
      if ("gone" in turn) {
        options.log(
          `Client ${peer} is gone (${name(turn.gone)}) before your reply`,
        );
        console.cancel();
        return "next client";
      }
      const reply = turn.reply;
      await todo(
        import.meta.url,
        2,
        {
          en:
            'send the reply as a line (writeLine). But null means the console is closed: return goodbye(conn, incoming, options, "the console is closed", "stop"); and "exit" ends this conversation: return goodbye(…, "you said exit", "next client")',
          ru:
            'отправить ответ строкой (writeLine). Но null значит, что консоль закрыта: return goodbye(conn, incoming, options, "the console is closed", "stop"); а "exit" завершает этот разговор: return goodbye(…, "you said exit", "next client")',
        },
      );
    }
  } catch (error) {
    // A write to a client that has gone: ConnectionReset, BrokenPipe.
    options.log(`Client ${peer}: ${name(error)}; conversation over`);
    return "next client";
  } finally {
    // A connection handed to closeGently is closed there, later.
    if (!lingering.has(conn)) {
      try {
        conn.close();
      } catch { /* closed already */ }
    }
  }
}

/**
 * Waits for the reply typed at the console. Meanwhile `incoming`, the read of
 * the client's next line, keeps watching the socket: if the connection is
 * reset while the operator types, the turn ends at once. A line the client
 * sends meanwhile stays in `incoming` for its next turn, and so does an EOF:
 * a client that half-closed ("no more from me") still reads our reply.
 */
async function serverTurn(
  console: Console,
  incoming: Promise<Incoming>,
  stopped: Promise<"abort">,
  options: ServerOptions,
): Promise<{ reply: string | null } | { gone: unknown } | "abort"> {
  const gone = incoming.then((result) => "problem" in result ? { gone: result.problem } : never);
  while (true) {
    const typed = await Promise.race([console.next().then((reply) => ({ reply })), gone, stopped]);
    if (typed === "abort" || "gone" in typed) return typed;
    if (typed.reply === null || byteLength(typed.reply) <= options.maxLine) return typed;
    options.log(
      `your reply is ${byteLength(typed.reply)} bytes, over the ${options.maxLine}-byte limit; type it shorter`,
    );
  }
}

/** Answers a line the server cannot take. "go on" when the conversation can continue. */
async function refuse(
  conn: Deno.Conn,
  peer: string,
  problem: unknown,
  options: ServerOptions,
): Promise<"go on" | "over"> {
  return await todo(
    import.meta.url,
    5,
    {
      en:
        'not valid UTF-8 (NotUtf8): send a line starting "error: " and return "go on". LineTooLong: send an error line, closeGently(conn), return "over". Anything else (CutShort, ConnectionReset): log it, return "over"',
      ru:
        'не UTF-8 (NotUtf8): отправить строку, начинающуюся с "error: ", и вернуть "go on". LineTooLong: отправить строку с ошибкой, closeGently(conn), вернуть "over". Всё остальное (CutShort, ConnectionReset): записать в лог, вернуть "over"',
    },
  );
}

/** Ends the conversation from the server's side: tells the client `exit`, closes gently. */
async function goodbye(
  conn: Deno.Conn,
  pending: Promise<unknown>,
  options: ServerOptions,
  why: string,
  then: Ending,
): Promise<Ending> {
  options.log(`${why}: ending the conversation with ${formatAddr(conn.remoteAddr)}`);
  try {
    await writeLine(conn, "exit");
    closeGently(conn, pending);
  } catch { /* the client left meanwhile; nothing to tell */ }
  return then;
}

/** Connections being closed gently, each with the job that closes it. */
const lingering = new Map<Deno.Conn, Promise<void>>();

/**
 * Closes so the last line is not lost. `close()` with unread bytes in the
 * receive buffer makes the kernel send a reset (RST), and a reset can destroy
 * data the peer has not read yet. So: half-close (FIN: "no more from me"),
 * read and discard what the peer still sends until it closes too, at most
 * `ms`, then close. Web servers call this a lingering close. It runs in the
 * background, so the next client need not wait for a slow one to hang up.
 * A read already in flight (`pending`, which must not reject) is let finish
 * first: two reads of one socket at once would share its bytes at random.
 */
export function closeGently(conn: Deno.Conn, pending?: Promise<unknown>, ms = 2000): void {
  const job = (async () => {
    const timer = setTimeout(() => conn.close(), ms);
    try {
      await conn.closeWrite();
      await pending;
      const sink = new Uint8Array(16 * 1024);
      while (await conn.read(sink) !== null) { /* discard */ }
    } catch {
      /* reset, or closed by the timer */
    } finally {
      clearTimeout(timer);
      lingering.delete(conn);
      try {
        conn.close();
      } catch { /* the timer closed it */ }
    }
  })();
  lingering.set(conn, job);
}

/**
 * The console, read all the time in the background. A line goes to the turn
 * that is waiting for a reply; a line typed when no turn waits (no client, or
 * the client left while the operator typed) is reported and dropped, so it
 * can never reach the next client as an answer to a message it did not see.
 */
class Console {
  #waiting?: (line: string | null) => void;
  #closed = false;
  constructor(read: () => Promise<string | null>, log: (line: string) => void) {
    (async () => {
      while (!this.#closed) {
        const line = await read().catch(() => null);
        const waiting = this.#waiting;
        this.#waiting = undefined;
        if (line === null) this.#closed = true;
        if (waiting) waiting(line);
        else if (line !== null) log(`(no client is waiting for a reply; not sent: ${JSON.stringify(line)})`);
      }
    })();
  }
  /** The next line typed from now on; null once the console is closed. */
  next(): Promise<string | null> {
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiting = resolve);
  }
  /** The turn ended without a reply: nobody waits for a line any more. */
  cancel(): void {
    this.#waiting = undefined;
  }
}

const never = new Promise<never>(() => {});

function aborted(signal: AbortSignal): Promise<"abort"> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve("abort");
    signal.addEventListener("abort", () => resolve("abort"), { once: true });
  });
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}
