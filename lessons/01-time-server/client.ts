// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 1, your part: the time client.
 *
 * Connect to the server, read its whole answer, print it. Read
 * lessons/01-time-server/README.md first; run `deno task lesson-1 client` to
 * try, `deno task grade 1` to check.
 *
 * Each `todo(...)` line stops the program and names the next step. Write the
 * step, then delete its `todo(...)` line.
 *
 * @module
 */
import { showControl, todo } from "@course/program.ts";

/** How `runClient` is configured; `main.ts` fills it from the command line. */
export interface ClientOptions {
  /** The server's host name or address. */
  host: string;
  /** The server's port. */
  port: number;
  /** When set, connect to this Unix domain socket path instead of TCP. */
  unix?: string;
  /** Give up when the server has not closed the connection after this long. */
  timeoutMs: number;
  /** Where the client prints: use it instead of console.log. */
  log: (line: string) => void;
}

/** Connects, reads the server's whole answer, prints it. */
export async function runClient(options: ClientOptions): Promise<void> {
  const conn: Deno.Conn = await todo(
    import.meta.url,
    1,
    {
      en: "connect to options.host:options.port (or to the Unix socket options.unix when it is set)",
      ru: "подключиться к options.host:options.port (или к Unix-сокету options.unix, если он задан)",
    },
  );
  const text = await readUntilClosed(conn, options.timeoutMs);
  // Given: the server ends its line with "\n"; log adds its own. Control
  // characters from the network are shown escaped (\x1b, not ESC): a server
  // must not be able to drive the terminal of whoever reads its answer.
  options.log(showControl(text.endsWith("\n") ? text.slice(0, -1) : text));
}

/** Everything the server sends, as text, once it has closed the connection. Closes `conn`. */
async function readUntilClosed(conn: Deno.Conn, timeoutMs: number): Promise<string> {
  return await todo(
    import.meta.url,
    2,
    {
      en:
        "read from conn until the server closes it (read() gives null), not just once: the line may come in pieces. Close conn when done, and give up after timeoutMs if the server never closes it",
      ru:
        "читать из conn, пока сервер не закроет соединение (read() вернёт null), а не один раз: строка может прийти по частям. Закончив, закрыть conn, а если сервер так и не закроет соединение, через timeoutMs сдаться с ошибкой",
    },
  );
}
