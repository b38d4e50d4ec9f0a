/**
 * Servers the grader plays when it tests a learner's client: they behave the
 * way real networks do but lessons' happy paths do not, e.g. sending one byte
 * at a time with pauses so a client that reads once is caught (the trick of
 * learnyounode's graders).
 *
 * @module
 */
import type { Address } from "./process.ts";
import type { Transcript } from "./transcript.ts";
import { sleep } from "./deadline.ts";

/** How {@linkcode DribbleServer} sends. */
export interface DribbleOptions {
  /** The bytes to send to each client. */
  message: Uint8Array;
  /** Bytes per write. */
  chunk: number;
  /** Pause between writes, in ms. */
  pauseMs: number;
}

/** A server that sends `message` to each client in small pieces, then closes. Dispose it to stop. */
export class DribbleServer implements AsyncDisposable {
  /** Where it listens. */
  readonly address: Address;
  /** How many clients it has served completely. */
  served = 0;
  #listener: Deno.Listener;
  #loop: Promise<void>;
  #open = new Set<Deno.Conn>();
  #jobs = new Set<Promise<void>>();
  #stopped = false;

  /** Starts listening at once; `transcript` records every piece sent. */
  constructor(options: DribbleOptions, transcript: Transcript) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#listener = listener;
    this.address = { transport: "tcp", host: listener.addr.hostname, port: listener.addr.port };
    this.#loop = this.#accept(options, transcript);
  }

  async #accept(options: DribbleOptions, transcript: Transcript): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#open.add(conn);
        const job = this.#dribble(conn, options, transcript).finally(() => {
          this.#open.delete(conn);
          this.#jobs.delete(job);
        });
        this.#jobs.add(job);
      }
    } catch (error) {
      if (!this.#stopped) throw error;
    }
  }

  async #dribble(conn: Deno.Conn, options: DribbleOptions, transcript: Transcript): Promise<void> {
    transcript.event("grader server", "accepted a client");
    try {
      for (let at = 0; at < options.message.length && !this.#stopped; at += options.chunk) {
        const piece = options.message.subarray(at, at + options.chunk);
        for (let done = 0; done < piece.length;) done += await conn.write(piece.subarray(done));
        transcript.bytes("grader server sent", piece);
        await sleep(options.pauseMs);
      }
      this.served++;
      transcript.event("grader server", "closes the connection");
    } catch (error) {
      transcript.event("grader server", `write failed: ${(error as Error).name}`);
    } finally {
      try {
        conn.close();
      } catch { /* closed by dispose */ }
    }
  }

  /** Stops listening, closes open connections and waits for everything to end. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopped = true;
    this.#listener.close();
    await this.#loop;
    await Promise.allSettled([...this.#jobs]);
  }
}
