/**
 * Lesson 1, reference: a TCP time server.
 *
 * For every client that connects, the server writes the current time as one
 * line of ISO 8601 text and closes the connection. The client never has to say
 * anything: connecting is the request.
 *
 * @module
 */
import { acceptFailureLog, formatAddr, outOfResources, ProgramError } from "@course/program.ts";

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
  /** Where the server's log lines go (the console, or the demo's labelled printer). */
  log: (line: string) => void;
  /** Aborted when the server should stop (Ctrl+C, or the end of the demo). */
  signal: AbortSignal;
}

const encoder = new TextEncoder();

/** Listens, then serves every client the time until `signal` is aborted. */
export async function runServer(options: ServerOptions): Promise<void> {
  // socket() + setsockopt(SO_REUSEADDR) + bind() + listen() are one call in
  // Deno. It sets SO_REUSEADDR itself, so a restarted server can bind again
  // while old connections sit in TIME_WAIT.
  const listener = options.unix === undefined
    ? Deno.listen({ hostname: options.host, port: options.port, tcpBacklog: options.backlog })
    : await listenUnix(options.unix);

  // The first line is the contract with the demo and the grader: it names the
  // real address, which matters when the port was 0.
  options.log(`listening on ${formatAddr(listener.addr)}`);

  const stop = () => listener.close();
  options.signal.addEventListener("abort", stop, { once: true });

  // Clients still being served, so that a stop lets them finish. A count, not a set of promises: at thousands of
  // clients a second, a Set entry and a .finally() per client cost the server a measurable share of its CPU.
  let serving = 0;
  let allServed: (() => void) | undefined;
  const served = () => {
    if (--serving === 0) allServed?.();
  };
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
    // Serve the client without awaiting it here, so a slow or broken client
    // never holds up the next one.
    // serveOne never throws; if it ever did, the rejection would go unhandled and stop the server loudly: a bug to
    // fix, not one to hide.
    serving++;
    serveOne(conn, options.log).then(served);
  }
  options.signal.removeEventListener("abort", stop);
  if (serving > 0) await new Promise<void>((resolve) => allServed = resolve);
  options.log("server stopped");
}

/** Serves one client. Never throws: one client's trouble is logged, not fatal. */
async function serveOne(conn: Deno.Conn, log: (line: string) => void): Promise<void> {
  const peer = formatAddr(conn.remoteAddr);
  try {
    log(`Client ${peer} connected`);
    await writeAll(conn, encoder.encode(timestamp(new Date()) + "\n"));
  } catch (error) {
    // A client that reset the connection, say, before we wrote.
    log(`Client ${peer}: ${error instanceof Error ? error.name : "error"}, dropped`);
  } finally {
    // We never read what the client sent. Closing with unread bytes makes the
    // kernel answer with a reset instead of a polite FIN; for this protocol
    // that is fine: the client was not supposed to send anything.
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

/**
 * Deno's `conn.write` is BSD `send`: it may write only part of the buffer and
 * returns how much it wrote. This loop is `sendall`.
 */
async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

/**
 * ISO 8601 in the server's own time zone, with its UTC offset:
 * `2026-11-23T15:04:05.123+03:00`. Without the offset a reader elsewhere
 * could not tell which moment is meant. (`toISOString()` gives the same
 * moment in UTC, ending in `Z`; that is correct too.)
 */
export function timestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const zone = offset === 0 ? "Z" : `${sign}${two(Math.trunc(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const time = `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  return `${date}T${time}.${String(now.getMilliseconds()).padStart(3, "0")}${zone}`;
}

/**
 * AF_UNIX: the address is a path in the file system. A socket file left by a
 * server that crashed blocks the path, so remove it, but only that: a path
 * that is not a socket (a file, a directory) belongs to someone else, and a
 * socket a live server answers on is that server's. Connecting is how to tell
 * a live socket from a leftover: a connection to a leftover is refused.
 */
async function listenUnix(path: string): Promise<Deno.Listener> {
  let info: Deno.FileInfo | undefined;
  try {
    // lstat, not stat: a symbolic link is not a socket either, wherever it points.
    info = await Deno.lstat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (info !== undefined) {
    if (!info.isSocket) {
      const kind = info.isDirectory ? "a directory" : info.isFile ? "a regular file" : "not a socket";
      throw new ProgramError(`${path} is ${kind}, not a socket: it is not ours to delete (choose another --unix path)`);
    }
    try {
      (await Deno.connect({ transport: "unix", path })).close();
      throw new Deno.errors.AddrInUse(`a server is already listening on ${path}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.ConnectionRefused)) throw error;
    }
    // A socket nobody answers on: what a crashed server left behind.
    await Deno.remove(path);
  }
  return Deno.listen({ transport: "unix", path });
}
