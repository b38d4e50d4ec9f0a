// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars prefer-const
/**
 * Lesson 2, your part: the client side of the conversation.
 *
 * Typed lines go to the server and the server's lines are printed as they
 * come, both at once: one loop waits on the console, another on the socket.
 * With blocking calls (Python's `input()` then `recv()`), a program can wait
 * on only one of them, and misses the other until it returns.
 *
 * Connecting and running the two loops side by side are given; what each loop
 * does with a line is yours, and so is the one-shot `--message` mode.
 *
 * @module
 */
import { formatAddr, todo } from "@course/program.ts";
import { byteLength, CutShort, LineReader, NotUtf8, writeLine } from "./lines.ts";

/** How `runClient` is configured; `main.ts` fills it from the command line. */
export interface ClientOptions {
  /** The server's host name or address. */
  host: string;
  /** The server's port. */
  port: number;
  /** The longest line accepted, in bytes. */
  maxLine: number;
  /** One-shot use: send these lines and print the reply to each, in order. Empty: use the console. */
  messages: string[];
  /** One-shot use: how long to wait for each reply. */
  timeoutMs: number;
  /** Where the client prints: the server's lines and what happens. */
  log: (line: string) => void;
  /** The console: resolves with the next line typed, or null once the console is closed. */
  console: () => Promise<string | null>;
  /** Aborted on Ctrl+C: say exit and leave. */
  signal: AbortSignal;
}

/** Connects and holds the conversation, from the console or from `messages`. */
export async function runClient(options: ClientOptions): Promise<void> {
  const conn = await Deno.connect({ hostname: options.host, port: options.port });
  const lines = new LineReader(conn, options.maxLine);
  try {
    if (options.messages.length > 0) await oneShot(conn, lines, options);
    else await interactive(conn, lines, options);
  } finally {
    try {
      conn.close();
    } catch { /* closed by a deadline */ }
  }
}

/** Both directions at once, until the server closes or either side says exit. */
async function interactive(conn: Deno.Conn, lines: LineReader, options: ClientOptions): Promise<void> {
  options.log(`connected to ${formatAddr(conn.remoteAddr)}; type a line and press Enter to send it, exit to leave`);

  // Socket to screen. This loop decides when the conversation is over.
  const receiving = (async (): Promise<string> => {
    while (true) {
      let line: string | null;
      try {
        line = await lines.readLine();
      } catch (error) {
        if (error instanceof NotUtf8) {
          options.log(`(the server sent ${error.message}; skipped)`);
          continue;
        }
        if (error instanceof CutShort) {
          options.log(`server: ${error.partial} (cut off: the connection closed before the line ended)`);
          return "the server closed the connection";
        }
        throw error;
      }
      todo(
        import.meta.url,
        1,
        {
          en:
            'null: return "the server closed the connection". "exit": return "the server ended the conversation". Any other line: print it as `server: ${line}` and read on',
          ru:
            'null: вернуть "the server closed the connection". "exit": вернуть "the server ended the conversation". Любую другую строку напечатать как `server: ${line}` и читать дальше',
        },
      );
    }
  })();

  // Console to socket.
  let userLeft = false;
  const sending = (async () => {
    while (true) {
      const text = await options.console();
      await todo(
        import.meta.url,
        2,
        {
          en:
            'null (console closed): conn.closeWrite() (half-close: nothing more to say, but keep listening) and return. A line over options.maxLine bytes (byteLength): say so, do not send. Else send it (writeLine); after "exit" set userLeft = true and return',
          ru:
            'null (консоль закрыта): conn.closeWrite() (half-close (полузакрытие): больше сказать нечего, но продолжать слушать) и выйти (return). Строка длиннее options.maxLine байтов (byteLength): сообщить об этом и не отправлять. Иначе отправить её (writeLine); после "exit" установить userLeft = true и выйти (return)',
        },
      );
    }
  })();
  // A failed write means the connection is gone; the receiving loop will say how.
  sending.catch(() => {});

  const stopped = new Promise<"abort">((resolve) => {
    if (options.signal.aborted) resolve("abort");
    options.signal.addEventListener("abort", () => resolve("abort"), { once: true });
  });
  const first = await Promise.race([receiving, sending.then(() => "sent", () => "sent"), stopped]);
  if (first === "abort") {
    await writeLine(conn, "exit").catch(() => {});
    options.log("you pressed Ctrl+C: said exit, leaving");
    return;
  }
  if (first !== "sent") {
    options.log(first);
    return;
  }
  // We said exit (or closed our side). When we said exit, the server should
  // close at once; do not wait for it forever.
  const timer = userLeft ? setTimeout(() => conn.close(), 2000) : undefined;
  try {
    const ending = await receiving;
    options.log(userLeft ? "you said exit; the server closed the connection" : ending);
  } catch (error) {
    if (!userLeft) throw error;
    options.log("you said exit; the server did not close within 2 s, so the client closed the connection");
  } finally {
    clearTimeout(timer);
  }
}

/** Sends each message, waits for its reply, prints it; then says exit. */
async function oneShot(conn: Deno.Conn, lines: LineReader, options: ClientOptions): Promise<void> {
  // One deadline for each reply: a server that never answers must not hold
  // us forever. Closing the connection makes the pending read fail.
  const reply = async (what: string): Promise<string | null> => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      conn.close();
    }, options.timeoutMs);
    try {
      return await lines.readLine();
    } catch (error) {
      if (late) throw new Deno.errors.TimedOut(`no ${what} within ${options.timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  for (const message of options.messages) {
    await todo(
      import.meta.url,
      3,
      {
        en:
          'send message as a line, then wait for the reply with reply(`reply to ${message}`) and print it as `server: ${line}`. null: throw an Error saying the server closed before replying; "exit": print that the server ended the conversation and return. A message "exit" ends the loop (break) without waiting for a reply',
        ru:
          'отправить message строкой, затем дождаться ответа через reply(`reply to ${message}`) и напечатать его как `server: ${line}`. null: бросить Error о том, что сервер закрыл соединение, не ответив; "exit": напечатать, что сервер закончил разговор, и выйти (return). Сообщение "exit" завершает цикл (break) без ожидания ответа',
      },
    );
  }
  // Leave politely (unless a message already said exit), and wait for the
  // server to close its side.
  if (!options.messages.includes("exit")) await writeLine(conn, "exit");
  for (let line = await reply("close after exit"); line !== null; line = await reply("close after exit")) {
    if (line !== "exit") options.log(`server: ${line}`);
  }
}
