/**
 * The conversation on the wire as a picture: `deno task lesson-N --trace`
 * puts a relay between the demo's client and server, records what crossed
 * it (connections opened, each write's bytes, half-closes, closes, resets,
 * and when), and draws it as a ladder diagram, client left, server right,
 * time going down. No privileges and no packet capture: the relay is one
 * more TCP hop on loopback, so what it shows is what each side wrote and
 * read, segment boundaries as the relay's reads saw them.
 *
 * @module
 */

/** One thing that happened on a relayed connection. */
export interface WireEvent {
  /** Which connection (1, 2, …, in the order they were opened). */
  connection: number;
  /** Milliseconds since the relay started. */
  ms: number;
  /** Which way: from the client to the server, or back. */
  from: "client" | "server";
  /** What: the connection opened, bytes went across, a half-close (FIN), a reset, or the end of the connection. */
  kind: "open" | "data" | "fin" | "reset" | "close";
  /** The bytes, for "data". */
  bytes?: Uint8Array;
}

/** A relay on loopback in front of `target`: connect to `port` instead, and it records the traffic both ways. */
export class Relay {
  readonly events: WireEvent[] = [];
  readonly #listener: Deno.TcpListener;
  readonly #target: { hostname: string; port: number };
  readonly #started = performance.now();
  readonly #open = new Set<Deno.TcpConn>();
  readonly #pumps = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;
  #count = 0;

  private constructor(listener: Deno.TcpListener, target: { hostname: string; port: number }) {
    this.#listener = listener;
    this.#target = target;
    this.#accepting = this.#accept();
  }

  /** Starts a relay on a free port of `target`'s host, in front of `target`. */
  static start(target: { hostname: string; port: number }): Relay {
    return new Relay(Deno.listen({ hostname: target.hostname, port: 0 }), target);
  }

  /** The port to connect to instead of the target's. */
  get port(): number {
    return this.#listener.addr.port;
  }

  #note(event: Omit<WireEvent, "ms">): void {
    this.events.push({ ...event, ms: performance.now() - this.#started });
  }

  async #accept(): Promise<void> {
    for await (const client of this.#listener) {
      const connection = ++this.#count;
      let server: Deno.TcpConn;
      try {
        server = await Deno.connect(this.#target);
      } catch {
        this.#note({ connection, from: "server", kind: "reset" });
        client.close();
        continue;
      }
      this.#open.add(client).add(server);
      this.#note({ connection, from: "client", kind: "open" });
      const both = Promise.all([
        this.#pump(connection, "client", client, server),
        this.#pump(connection, "server", server, client),
      ]).then(() => {
        for (const conn of [client, server]) {
          this.#open.delete(conn);
          try {
            conn.close();
          } catch { /* already closed */ }
        }
        this.#note({ connection, from: "client", kind: "close" });
      });
      this.#pumps.add(both);
      both.finally(() => this.#pumps.delete(both));
    }
  }

  /** Copies `source` to `sink` with a read() loop (not a stream: its end would close the whole connection). */
  async #pump(connection: number, from: "client" | "server", source: Deno.TcpConn, sink: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await source.read(buffer);
        if (n === null) {
          this.#note({ connection, from, kind: "fin" });
          await sink.closeWrite().catch(() => {});
          return;
        }
        const bytes = buffer.slice(0, n);
        this.#note({ connection, from, kind: "data", bytes });
        for (let at = 0; at < n;) at += await sink.write(bytes.subarray(at));
      }
    } catch (error) {
      if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) return;
      this.#note({ connection, from, kind: "reset" });
      // Pass the trouble on: the other side's reads end too.
      for (const conn of [source, sink]) {
        try {
          conn.close();
        } catch { /* already closed */ }
        this.#open.delete(conn);
      }
    }
  }

  /** Stops accepting, waits up to 1 s for the connections in flight to end, then closes what is left. */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting.catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise((resolve) => timer = setTimeout(resolve, 1000));
    await Promise.race([Promise.all(this.#pumps), deadline]);
    clearTimeout(timer);
    for (const conn of this.#open) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    await Promise.all(this.#pumps);
  }
}

/** Bytes as text with `\r`, `\n`, `\t`, quotes and other control bytes visible, cut to `max` characters. */
export function shown(bytes: Uint8Array, max = 28): string {
  const text = new TextDecoder().decode(bytes);
  let out = "";
  let count = 0;
  for (const char of text) {
    if (count++ >= max) return `"${out}…"`;
    out += char === "\r"
      ? "\\r"
      : char === "\n"
      ? "\\n"
      : char === "\t"
      ? "\\t"
      : char === '"'
      ? '\\"'
      : char < " " || char === "\x7f"
      ? `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`
      : char;
  }
  return `"${out}"`;
}

/** Words of the picture in one language. */
export interface LadderWords {
  connection: (n: number) => string;
  client: string;
  server: string;
  open: string;
  fin: string;
  reset: string;
  close: string;
  bytes: (n: number) => string;
  ms: string;
}

/** The picture's words in English and Russian. */
export const LADDER_WORDS: { en: LadderWords; ru: LadderWords } = {
  en: {
    connection: (n) => `connection ${n}`,
    client: "client",
    server: "server",
    open: "connect (SYN, SYN-ACK, ACK)",
    fin: "FIN (no more from me)",
    reset: "RST (reset)",
    close: "both sides closed",
    bytes: (n) => `${n} B`,
    ms: "ms",
  },
  ru: {
    connection: (n) => `соединение ${n}`,
    client: "клиент",
    server: "сервер",
    open: "подключение (SYN, SYN-ACK, ACK)",
    fin: "FIN (больше ничего не пошлю)",
    reset: "RST (сброс)",
    close: "обе стороны закрыли",
    bytes: (n) => `${n} Б`,
    ms: "мс",
  },
};

/**
 * Draws `events` as ladder diagrams, one per connection: the client's line
 * on the left, the server's on the right, an arrow per event with what it
 * carried, and the time since the connection opened on the right.
 *
 * @example
 * ```ts
 * const lines = ladder([
 *   { connection: 1, ms: 0, from: "client", kind: "open" },
 *   { connection: 1, ms: 2, from: "server", kind: "data", bytes: new TextEncoder().encode("hi\n") },
 * ], LADDER_WORDS.en);
 * // lines[3] is '  |<-------------- "hi\n" 3 B -------------|  +2 ms'
 * ```
 */
export function ladder(events: WireEvent[], words: LadderWords, width = 40): string[] {
  const lines: string[] = [];
  const connections = [...new Set(events.map((e) => e.connection))].sort((a, b) => a - b);
  for (const connection of connections) {
    const mine = events.filter((e) => e.connection === connection);
    const start = mine[0].ms;
    lines.push(`${words.connection(connection)}:`);
    lines.push(`  ${words.client.padEnd(width + 1)}${words.server}`);
    for (const event of mine) {
      // The bytes, shortened until the arrow fits the ladder (a dash at least on each side).
      let label = event.kind === "data" ? "" : words[event.kind];
      for (let max = 28; event.kind === "data" && max > 0; max--) {
        label = `${shown(event.bytes!, max)} ${words.bytes(event.bytes!.length)}`;
        if (label.length + 4 <= width - 2) break;
      }
      const time = `+${Math.round(event.ms - start)} ${words.ms}`;
      if (event.kind === "close") {
        lines.push(
          `  |${` ${label} `.padStart(Math.floor((width + label.length + 2) / 2), " ").padEnd(width)}|  ${time}`,
        );
        continue;
      }
      // An arrow across: ----label----> one way, <----label---- the other.
      const room = Math.max(width - 2, label.length + 4);
      const body = ` ${label} `;
      const left = Math.max(1, Math.floor((room - body.length) / 2));
      const right = Math.max(1, room - body.length - left);
      const arrow = event.from === "client"
        ? `${"-".repeat(left)}${body}${"-".repeat(right)}->`
        : `<-${"-".repeat(left)}${body}${"-".repeat(right)}`;
      lines.push(`  |${arrow}|  ${time}`);
    }
  }
  return lines;
}
