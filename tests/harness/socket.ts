/**
 * The grader's own end of a connection: raw sockets with deadlines, every
 * byte recorded in the transcript. Plus the odd ones a real network produces:
 * a connection reset, a port where nothing listens.
 *
 * @module
 */
import net from "node:net";
import { CheckFailure } from "./failure.ts";
import { within } from "./deadline.ts";
import type { Address } from "./process.ts";
import type { Transcript } from "./transcript.ts";

/** Formats an address for messages: `127.0.0.1:4000`, `[::1]:4000`, `unix:/tmp/x.sock`. */
export function describe(address: Address): string {
  if (address.transport === "unix") return `unix:${address.path}`;
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * One connection from the grader to a learner's server. Reads run in the
 * background into {@linkcode Peer.received}; {@linkcode Peer.readUntil} waits
 * for enough of it with a deadline. Dispose it to close.
 */
export class Peer implements AsyncDisposable {
  /** Every byte received so far. */
  received: Uint8Array = new Uint8Array(0);
  /** True once the server closed its side (read returned EOF). */
  eof = false;
  /** The error that ended reading, if any (e.g. a reset). */
  error?: Error;
  #conn: Deno.Conn;
  #reading: Promise<void>;
  #wake: () => void = () => {};
  #changed: Promise<void>;
  #closed = false;
  #source: string;
  #transcript: Transcript;

  private constructor(conn: Deno.Conn, source: string, transcript: Transcript, read = true) {
    this.#conn = conn;
    this.#source = source;
    this.#transcript = transcript;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
    this.#reading = read ? this.#readLoop() : Promise.resolve();
  }

  /** The grader's own end of the connection, as the learner's program sees it: `127.0.0.1:40123`. */
  get localAddress(): string {
    const addr = this.#conn.localAddr;
    if (addr.transport !== "tcp") return "unix";
    return addr.hostname.includes(":") ? `[${addr.hostname}]:${addr.port}` : `${addr.hostname}:${addr.port}`;
  }

  /**
   * Waits at most `ms` for the next client of `listener` (the grader playing
   * the server), or fails saying the client never connected.
   */
  static async accept(
    listener: Deno.Listener,
    transcript: Transcript,
    label = "grader server",
    ms = 8000,
  ): Promise<Peer> {
    const accepting = listener.accept();
    let conn: Deno.Conn;
    try {
      conn = await within(accepting, ms, { en: "connection from the client", ru: "соединения от клиента" });
    } catch (error) {
      accepting.then((late) => late.close(), () => {});
      throw error;
    }
    const { hostname, port } = conn.remoteAddr as Deno.NetAddr;
    transcript.event(label, `accepted a client from ${describe({ transport: "tcp", host: hostname, port })}`);
    return new Peer(conn, label, transcript);
  }

  /** Half-closes: sends FIN ("no more from me") and keeps reading. */
  async closeWrite(): Promise<void> {
    this.#transcript.event(this.#source, "half-closes (sends FIN, keeps reading)");
    await this.#conn.closeWrite();
  }

  /**
   * Connects to `address` within `ms`, or fails saying nothing accepted the
   * connection. With `read: false` the peer never reads: a client that has
   * stalled, whose unread bytes pile up in the kernel.
   */
  static async connect(
    address: Address,
    transcript: Transcript,
    label = "grader",
    ms = 3000,
    { read = true }: { read?: boolean } = {},
  ): Promise<Peer> {
    const connecting: Promise<Deno.Conn> = address.transport === "unix"
      ? Deno.connect({ transport: "unix", path: address.path })
      : Deno.connect({ hostname: address.host, port: address.port });
    let conn: Deno.Conn;
    try {
      conn = await within(connecting, ms, {
        en: `connection accepted at ${describe(address)}`,
        ru: `принятого соединения на ${describe(address)}`,
      });
    } catch (error) {
      connecting.then((late) => late.close(), () => {});
      if (error instanceof CheckFailure) throw error;
      throw new CheckFailure({
        en: `could not connect to ${describe(address)}: ${(error as Error).message}`,
        ru: `не удалось подключиться к ${describe(address)}: ${(error as Error).message}`,
      });
    }
    transcript.event(label, `connected to ${describe(address)}${read ? "" : " (and will read nothing)"}`);
    return new Peer(conn, label, transcript, read);
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.eof = true;
          this.#transcript.event(this.#source, "received EOF (the other side closed)");
          break;
        }
        const chunk = buffer.slice(0, n);
        this.#transcript.bytes(`${this.#source} received`, chunk);
        const joined = new Uint8Array(this.received.length + n);
        joined.set(this.received);
        joined.set(chunk, this.received.length);
        this.received = joined;
        this.#notify();
      }
    } catch (error) {
      if (!this.#closed) {
        this.error = error as Error;
        this.#transcript.event(this.#source, `read failed: ${(error as Error).name}`);
      }
    }
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
    wake();
  }

  /** True when reading has ended: EOF, an error, or we closed. */
  get done(): boolean {
    return this.eof || this.error !== undefined || this.#closed;
  }

  /**
   * Waits until `enough(received)` is true or the reading ends, at most `ms`.
   * Returns whether `enough` was satisfied; never throws on timeout, so the
   * check can say precisely what was missing.
   */
  async readUntil(enough: (data: Uint8Array) => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!enough(this.received) && !this.done) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#changed, new Promise((r) => timer = setTimeout(r, left))]);
      clearTimeout(timer);
    }
    return enough(this.received);
  }

  /** Waits up to `ms` for the other side to close; returns whether it did. */
  async waitForEof(ms: number): Promise<boolean> {
    await this.readUntil(() => false, ms);
    return this.eof || this.error !== undefined;
  }

  /** Writes all of `bytes` (looping over partial writes) within `ms`. */
  async write(bytes: Uint8Array, ms = 3000): Promise<void> {
    const writing = (async () => {
      for (let at = 0; at < bytes.length;) at += await this.#conn.write(bytes.subarray(at));
    })();
    this.#transcript.bytes(`${this.#source} sent`, bytes);
    try {
      await within(writing, ms, {
        en: `room to send ${bytes.length} bytes`,
        ru: `места, чтобы отправить ${bytes.length} байт`,
      }, { en: "the other side stopped reading", ru: "другая сторона перестала читать" });
    } catch (error) {
      if (error instanceof CheckFailure) throw error;
      // Reset or broken pipe: the other side closed or died while we sent.
      this.#transcript.event(this.#source, `send failed: ${(error as Error).name}`);
      throw new CheckFailure({
        en: `could not send to the other side: the connection is closed (${
          (error as Error).name
        }); did the program stop?`,
        ru: `не удалось отправить другой стороне: соединение закрыто (${
          (error as Error).name
        }); программа остановилась?`,
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
    }
    await this.#reading;
  }
}

/**
 * Connects and at once aborts the connection with a TCP reset (RST), the way
 * a crashed client or a pulled cable does; with `first`, sends those bytes
 * and waits `afterMs` before the reset (a client that dies mid-line, or one
 * that joined a chat and crashed later). (Deno's own sockets cannot set
 * SO_LINGER; node:net's `resetAndDestroy` does exactly this.)
 */
export function resetConnection(
  host: string,
  port: number,
  ms = 3000,
  first?: Uint8Array,
  afterMs = 100,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve) => {
    const socket = net.connect({ host, port }, () => {
      if (!first) return socket.resetAndDestroy();
      // Send `first`, wait `afterMs` (reading nothing), then reset.
      socket.write(first, () => timer = setTimeout(() => socket.resetAndDestroy(), afterMs));
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      // Closed by the other side before our reset: nothing left to do.
      clearTimeout(timer);
      resolve();
    });
  });
  return within(done, ms, {
    en: `reset of a connection to ${host}:${port}`,
    ru: `сброса соединения с ${host}:${port}`,
  });
}

/**
 * A TCP port on `host` where nothing listens. It is taken from below Linux's
 * ephemeral range (32768–60999), where port 0 never lands: a port the system
 * handed out and took back could go at once to another check's server started
 * with `--port 0`, and a client pointed at it would find someone listening.
 * Each candidate is bound and released first, to skip one a program holds.
 */
export function closedPort(host = "127.0.0.1"): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: host, port }).close();
      return port;
    } catch {
      // In use, or not ours to take: try another.
    }
  }
  const listener = Deno.listen({ hostname: host, port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Whether this machine has an IPv6 loopback (some containers do not). */
export function hasIpv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

/** A Unix socket path no other run uses. Short, because such paths are limited to ~100 bytes. */
export function uniqueSocketPath(): string {
  return `/tmp/deno-course-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.sock`;
}
