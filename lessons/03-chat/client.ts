// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 3, your part: the chat client.
 *
 * It sends its name, then does two things at once until the conversation
 * ends: prints every line the server sends, and sends every line typed. The
 * other people in the room speak whenever they like, so the client must print
 * their lines while its own user is still typing.
 *
 * Given: connecting, sending the name, racing the two loops and leaving.
 * Yours: what each loop does.
 *
 * @module
 */
import { formatAddr, todo } from "@course/program.ts";
import { lineReader } from "./framing.ts";

/** How `runClient` is configured; `main.ts` fills it from the command line. */
export interface ClientOptions {
  /** The server's host name or address. */
  host: string;
  /** The server's port. */
  port: number;
  /** The name to ask for; the server may add a number to make it unique. */
  name: string;
  /** Where the client prints the server's lines and what happens. */
  log: (line: string) => void;
  /** The console: resolves with the next line typed, or null once the console is closed. */
  console: () => Promise<string | null>;
  /** Aborted on Ctrl+C: say exit and leave. */
  signal: AbortSignal;
}

const encoder = new TextEncoder();

/** Joins the chat under `name` and stays until either side ends it. */
export async function runClient(options: ClientOptions): Promise<void> {
  const conn = await Deno.connect({ hostname: options.host, port: options.port });
  const server = formatAddr(conn.remoteAddr);
  try {
    await sendLine(conn, options.name);

    // Socket to screen: this loop decides when it is over.
    const incoming = lineReader(conn);
    const receiving = (async () => {
      await todo(
        import.meta.url,
        1,
        {
          en:
            "print every line from the server as it comes: incoming() resolves with the next line, or null when the server has closed the connection (then return)",
          ru:
            "печатать каждую строку от сервера, как только она приходит: incoming() разрешается следующей строкой или null, когда сервер закрыл соединение (тогда выйти: return)",
        },
      );
    })();

    // Console to socket.
    let saidExit = false;
    const sending = (async () => {
      await todo(
        import.meta.url,
        2,
        {
          en:
            'send every line typed: options.console() resolves with the next one, or null when the console is closed (then leave the loop). After sending "exit", set saidExit = true and return',
          ru:
            'отправлять каждую набранную строку: options.console() разрешается следующей строкой или null, когда консоль закрыта (тогда выйти из цикла). Отправив "exit", установить saidExit = true и выйти (return)',
        },
      );
      // The console closed (Ctrl+D, or the end of piped input): leave, but
      // keep reading until the server has closed its side.
      await conn.closeWrite();
    })();
    sending.catch(() => {}); // a failed send means the connection is gone; receiving says how

    const stopped = new Promise<"abort">((resolve) => {
      if (options.signal.aborted) resolve("abort");
      options.signal.addEventListener("abort", () => resolve("abort"), { once: true });
    });
    const first = await Promise.race([
      receiving.then(() => "closed"),
      sending.then(() => "sent", () => "sent"),
      stopped,
    ]);
    if (first === "abort") {
      await sendLine(conn, "exit").catch(() => {});
      saidExit = true;
    }
    if (first !== "closed") {
      // We are leaving; the server closes at once, but do not wait forever.
      const timer = setTimeout(() => conn.close(), 3000);
      try {
        await receiving;
      } catch {
        /* closed by the timer */
      } finally {
        clearTimeout(timer);
      }
    }
    options.log(saidExit ? "you left the chat" : `the server at ${server} closed the connection`);
  } finally {
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

/** Sends `text` and "\n", all of it. */
async function sendLine(conn: Deno.Conn, text: string): Promise<void> {
  const bytes = encoder.encode(`${text}\n`);
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}
