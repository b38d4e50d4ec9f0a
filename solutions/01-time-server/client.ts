/**
 * Lesson 1, reference: the time client.
 *
 * It connects, reads until the server closes the connection, and prints what
 * arrived. Reading once is not enough: TCP delivers a byte stream, and the
 * line may come in several pieces.
 *
 * @module
 */
import { showControl } from "@course/program.ts";

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
  /** Where the client prints (the console, or the demo's labelled printer). */
  log: (line: string) => void;
}

/** A time line is a few dozen bytes; a server that sends far more is broken. */
const MAX_BYTES = 64 * 1024;

/** Connects, reads the server's whole answer, prints it. */
export async function runClient(options: ClientOptions): Promise<void> {
  // socket() + connect() in one call. A refused connection throws
  // Deno.errors.ConnectionRefused, which main.ts turns into one line.
  const conn = options.unix === undefined
    ? await Deno.connect({ hostname: options.host, port: options.port })
    : await Deno.connect({ transport: "unix", path: options.unix });

  // A server that never closes would keep us waiting forever: closing the
  // connection after the deadline makes the pending read() end.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.close();
  }, options.timeoutMs);

  // A streaming decoder keeps a character whose bytes were split between two
  // reads until the rest of it arrives.
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    const buffer = new Uint8Array(1024);
    // recv() in a loop until it returns nothing: read() resolves null at EOF,
    // when the server has closed its side.
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      size += n;
      if (size > MAX_BYTES) throw new Error(`the server sent more than ${MAX_BYTES} bytes; a time line is short`);
      text += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    text += decoder.decode();
  } catch (error) {
    if (timedOut) {
      throw new Deno.errors.TimedOut(`the server did not close the connection within ${options.timeoutMs} ms`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    if (!timedOut) conn.close();
  }

  // Given: the server ends its line with "\n"; log adds its own. Control
  // characters from the network are shown escaped (\x1b, not ESC): a server
  // must not be able to drive the terminal of whoever reads its answer.
  options.log(showControl(text.endsWith("\n") ? text.slice(0, -1) : text));
}
