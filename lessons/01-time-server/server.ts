// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 1, your part: the time server.
 *
 * For every client that connects, send the current time as one line of text
 * and close the connection. Read lessons/01-time-server/README.md first; run
 * `deno task lesson-1` to try, `deno task grade 1` to check.
 *
 * Each `todo(...)` line stops the program and names the next step. Write the
 * step, then delete its `todo(...)` line.
 *
 * @module
 */
import { acceptFailureLog, formatAddr, outOfResources, todo } from "@course/program.ts";

/** How `runServer` is configured; `main.ts` fills it from the command line. */
export interface ServerOptions {
  /** The address to bind: `localhost`, `127.0.0.1`, `::1`, `0.0.0.0`… */
  host: string;
  /** The port to bind; 0 lets the system pick a free one. */
  port: number;
  /** When set, listen on this Unix domain socket path instead of TCP. */
  unix?: string;
  /** How many finished handshakes may wait for `accept` (the `listen(n)` of BSD sockets). */
  backlog: number;
  /** Where the server's log lines go: use it instead of console.log. */
  log: (line: string) => void;
  /** Aborted when the server should stop (Ctrl+C, or the end of the demo). */
  signal: AbortSignal;
}

/** Listens, then serves every client the time until `signal` is aborted. */
export async function runServer(options: ServerOptions): Promise<void> {
  const listener: Deno.Listener = todo(
    import.meta.url,
    1,
    {
      en:
        "listen on options.host:options.port with options.backlog (or on the Unix socket options.unix when it is set)",
      ru: "слушать options.host:options.port с options.backlog (или Unix-сокет options.unix, если он задан)",
    },
  );

  options.log(todo(
    import.meta.url,
    2,
    {
      en:
        "replace this todo() with the text 'listening on ADDRESS', the address you really got (formatAddr(listener.addr)): with --port 0 only the system knows the port",
      ru:
        "заменить этот todo() текстом 'listening on ADDRESS' с адресом, который вы на самом деле получили (formatAddr(listener.addr)): при --port 0 порт знает только система",
    },
  ));

  // Given: the accept() loop. Aborting the signal closes the listener, which
  // ends the loop. accept() can also fail for a single connection (a client
  // that reset it before accept() returned): that must not end the server.
  options.signal.addEventListener("abort", () => listener.close(), { once: true });
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
    todo(
      import.meta.url,
      3,
      {
        en:
          "serve this client: serveOne(conn, options.log), without waiting for it to finish, so the next client is accepted at once (here serving takes no time at all, so nobody can tell; from lesson 2 on a client can take minutes)",
        ru:
          "обслужить этого клиента: serveOne(conn, options.log), не дожидаясь, пока он закончит, чтобы следующий клиент был принят сразу (здесь обслуживание не занимает времени, и разницы не заметить; со второго урока клиент может занять минуты)",
      },
    );
  }
  options.log("server stopped");
}

/** Serves one client: logs it, sends the time line, closes. Must never throw. */
async function serveOne(conn: Deno.Conn, log: (line: string) => void): Promise<void> {
  log(`Client ${formatAddr(conn.remoteAddr)} connected`);
  await todo(
    import.meta.url,
    4,
    {
      en:
        "send the current time in ISO 8601, with a UTC offset or Z, plus one '\\n'; all of it, though write() may take only part (a line this short never is cut, but the loop is the habit); then close. A client that has gone must not crash the server",
      ru:
        "отправить текущее время в ISO 8601 со смещением от UTC или Z и одним '\\n' в конце, целиком, хотя write() может взять только часть (строку такой длины он не режет, но цикл — это привычка); затем закрыть соединение. Клиент, который уже ушёл, не должен обрушить сервер",
    },
  );
}
