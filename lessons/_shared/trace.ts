/**
 * The conversation on the wire as a picture: `deno task lesson-N --trace`
 * puts a relay between the demo's client and server, records what crossed
 * it (connections opened, each write's bytes, half-closes, closes, resets,
 * and when), and draws it as a ladder diagram, client left, server right,
 * time going down. No privileges and no packet capture: the relay is one
 * more TCP hop on loopback, so what it shows is what each side wrote and
 * read, segment boundaries as the relay's reads saw them. For UDP,
 * `DatagramRelay` records each datagram both ways; `datagramLadder` draws
 * them, and given recorders on both sides of a middle relay, it marks a
 * datagram that went in and never came out as lost there.
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
  /** For "data" known only as text already made visible (the grader's transcript keeps no bytes): that text. */
  text?: string;
  /** For "data" given as `text`: how many bytes it stands for. */
  size?: number;
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
      // Forward each read as soon as it is read (no Nagle): the relay must not change the timing it draws.
      client.setNoDelay(true);
      server.setNoDelay(true);
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
  /** The middle column of a datagram ladder: the relay that plays a bad network. */
  relay: string;
  /** The heading of a datagram ladder. */
  datagrams: string;
  /** What an X on the relay's line means. */
  lost: string;
  /** What an X in place of an arrowhead means (two columns: the grader dropped it, playing a lossy network). */
  dropped: string;
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
    relay: "relay",
    datagrams: "udp (no connection: each datagram on its own)",
    lost: "X: lost there (the other side of the relay never saw it)",
    dropped: "X: lost on the way (the grader plays a network that drops it)",
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
    relay: "ретранслятор",
    datagrams: "udp (соединения нет: каждая датаграмма сама по себе)",
    lost: "X: потеряна здесь (другая сторона ретранслятора её не видела)",
    dropped: "X: потеряна в пути (проверка играет сеть, которая её теряет)",
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
export function ladder(
  events: WireEvent[],
  words: LadderWords,
  width = 40,
  describe: (bytes: Uint8Array) => string | undefined = () => undefined,
): string[] {
  const lines: string[] = [];
  const connections = [...new Set(events.map((e) => e.connection))].sort((a, b) => a - b);
  for (const connection of connections) {
    const mine = events.filter((e) => e.connection === connection);
    const start = mine[0].ms;
    lines.push(`${words.connection(connection)}:`);
    lines.push(`  ${words.client.padEnd(width + 1)}${words.server}`);
    for (const event of mine) {
      // The bytes, shortened until the arrow fits the ladder (a dash at least on each side).
      const label = event.kind !== "data"
        ? words[event.kind]
        : event.bytes
        ? dataLabel(event.bytes, words, width - 6, describe)
        : cut(`${event.text ?? ""}`, `${words.bytes(event.size ?? 0)}`, width - 6);
      const time = `+${Math.round(event.ms - start)} ${words.ms}`;
      if (event.kind === "close") {
        lines.push(
          `  |${` ${label} `.padStart(Math.floor((width + label.length + 2) / 2), " ").padEnd(width)}|  ${time}`,
        );
        continue;
      }
      lines.push(`  |${arrow(label, event.from === "client" ? "right" : "left", width)}|  ${time}`);
    }
  }
  return lines;
}

/**
 * What a datagram or a read carried, in at most `room` characters: `describe`'s
 * words if it has some (a probe's number, a DNS question), else the bytes
 * shortened, `\r\n` visible; then the size.
 */
function dataLabel(
  bytes: Uint8Array,
  words: LadderWords,
  room: number,
  describe: (bytes: Uint8Array) => string | undefined,
): string {
  const size = words.bytes(bytes.length);
  const said = describe(bytes);
  if (said !== undefined) {
    const label = `${said} ${size}`;
    return label.length <= room ? label : `${said.slice(0, Math.max(1, room - size.length - 2))}… ${size}`;
  }
  let label = "";
  for (let max = 28; max > 0; max--) {
    label = `${shown(bytes, max)} ${size}`;
    if (label.length <= room) break;
  }
  return label;
}

/** `text` and then `size`, in at most `room` characters: the text cut with "…" where it does not fit. */
function cut(text: string, size: string, room: number): string {
  const whole = `${text} ${size}`;
  if (whole.length <= room) return whole;
  // Quoted bytes stay quoted, the cut inside the quotes as shown() has it ("abc…"), never inside an escape (\x0f).
  const quoted = text.match(/^"(.*?)"(…)?$/);
  const body = quoted ? quoted[1] : text;
  const fits = Math.max(1, room - size.length - (quoted ? 4 : 2));
  let kept = "";
  for (const [token] of body.matchAll(/\\u[0-9A-Fa-f]{4}|\\x[0-9a-fA-F]{2}|\\.|[\s\S]/gu)) {
    if (kept.length + token.length > fits) break;
    kept += token;
  }
  return quoted ? `"${kept}…" ${size}` : `${kept}… ${size}`;
}

/** An arrow `width - 2` long (longer if the label needs it): ----label----> one way, <----label---- the other. */
function arrow(label: string, way: "right" | "left", width: number): string {
  const room = Math.max(width - 2, label.length + 4);
  const body = ` ${label} `;
  const left = Math.max(1, Math.floor((room - body.length) / 2));
  const right = Math.max(1, room - body.length - left);
  return way === "right"
    ? `${"-".repeat(left)}${body}${"-".repeat(right)}->`
    : `<-${"-".repeat(left)}${body}${"-".repeat(right)}`;
}

/** One datagram as a UDP relay saw it: when, which way, and its bytes. */
export interface DatagramEvent {
  /** Milliseconds since the relay's clock started. */
  ms: number;
  /** Who sent it: the client (toward the target) or the server (a reply). */
  from: "client" | "server";
  /** Its bytes; or, known only as text already made visible (the grader's transcript keeps no bytes), `text` and `size`. */
  bytes?: Uint8Array;
  /** Its bytes made visible, when `bytes` is not given. */
  text?: string;
  /** How many bytes `text` stands for. */
  size?: number;
  /** Known to be lost on the way: the grader, playing a lossy network, dropped it. */
  dropped?: boolean;
}

/**
 * A UDP relay on loopback in front of `target` that records every datagram
 * both ways. Each client address gets its own socket toward the target (as a
 * NAT router does), so replies find their way back. It changes nothing: what
 * it receives it sends on, one datagram for one datagram.
 */
export class DatagramRelay {
  readonly events: DatagramEvent[] = [];
  readonly #socket: Deno.DatagramConn;
  readonly #target: Deno.NetAddr;
  readonly #origin: number;
  readonly #upstreams = new Map<string, Deno.DatagramConn>();
  readonly #loops = new Set<Promise<void>>();

  private constructor(target: { hostname: string; port: number }, origin: number) {
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: target.hostname, port: 0 });
    this.#target = { transport: "udp", hostname: target.hostname, port: target.port };
    this.#origin = origin;
    this.#loops.add(this.#listen());
  }

  /**
   * Starts a relay on a free UDP port of `target`'s host. Relays that share an
   * `origin` (a `performance.now()` value) share a clock, so their events can
   * be drawn on one ladder.
   */
  static start(target: { hostname: string; port: number }, origin = performance.now()): DatagramRelay {
    return new DatagramRelay(target, origin);
  }

  /** The port to send to instead of the target's. */
  get port(): number {
    return (this.#socket.addr as Deno.NetAddr).port;
  }

  async #listen(): Promise<void> {
    while (true) {
      let data: Uint8Array, from: Deno.Addr;
      try {
        [data, from] = await this.#socket.receive();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource) return;
        continue; // an ICMP error for an earlier send: the next datagram is fine
      }
      this.events.push({ ms: performance.now() - this.#origin, from: "client", bytes: data });
      const client = from as Deno.NetAddr;
      const key = `${client.hostname}:${client.port}`;
      let upstream = this.#upstreams.get(key);
      if (!upstream) {
        upstream = Deno.listenDatagram({ transport: "udp", hostname: this.#target.hostname, port: 0 });
        this.#upstreams.set(key, upstream);
        this.#loops.add(this.#answer(upstream, client));
      }
      await upstream.send(data, this.#target).catch(() => {});
    }
  }

  /** Carries the target's replies on `upstream` back to `client`. */
  async #answer(upstream: Deno.DatagramConn, client: Deno.NetAddr): Promise<void> {
    while (true) {
      let data: Uint8Array;
      try {
        [data] = await upstream.receive();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource) return;
        continue;
      }
      this.events.push({ ms: performance.now() - this.#origin, from: "server", bytes: data });
      await this.#socket.send(data, client).catch(() => {});
    }
  }

  /** Stops relaying and closes its sockets. */
  async close(): Promise<void> {
    for (const socket of [this.#socket, ...this.#upstreams.values()]) {
      try {
        socket.close();
      } catch { /* closed already */ }
    }
    await Promise.all(this.#loops);
  }
}

/**
 * Draws datagrams as a ladder, one arrow each, time going down. With `far`
 * (a second recorder between a middle relay and the server), three columns:
 * client, relay, server; `near` is what crossed between the client and the
 * relay, `far` what crossed between the relay and the server. A datagram one
 * side of the relay saw go in and the other side never saw come out is lost
 * there: its arrow ends in an X on the relay's line. Without `far`, two
 * columns, client and server; one recorder cannot tell a lost datagram from
 * one that was never answered, so only those marked `dropped` (by whoever
 * dropped them) end in an X instead of their arrowhead.
 */
export function datagramLadder(
  near: DatagramEvent[],
  far: DatagramEvent[] | undefined,
  words: LadderWords,
  describe: (bytes: Uint8Array) => string | undefined = () => undefined,
  span = 28,
): string[] {
  const key = (bytes: Uint8Array = new Uint8Array()) =>
    Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  /** Which of `sent` never came out the other side (in `got`): matched by their bytes, copy for copy. */
  const lostOf = (sent: DatagramEvent[], got: DatagramEvent[]) => {
    const arrived = new Map<string, number>();
    for (const event of got) arrived.set(key(event.bytes), (arrived.get(key(event.bytes)) ?? 0) + 1);
    const lost = new Set<DatagramEvent>();
    for (const event of sent) {
      const left = arrived.get(key(event.bytes)) ?? 0;
      if (left > 0) arrived.set(key(event.bytes), left - 1);
      else lost.add(event);
    }
    return lost;
  };
  const lost = far === undefined ? new Set(near.filter((e) => e.dropped)) : new Set([
    ...lostOf(near.filter((e) => e.from === "client"), far.filter((e) => e.from === "client")),
    ...lostOf(far.filter((e) => e.from === "server"), near.filter((e) => e.from === "server")),
  ]);
  const all = [...near.map((e) => ({ e, far: false })), ...(far ?? []).map((e) => ({ e, far: true }))]
    .sort((a, b) => a.e.ms - b.e.ms);
  if (all.length === 0) return [];
  const start = all[0].e.ms;
  const lines = [`${words.datagrams}:`];
  const blank = " ".repeat(span);
  lines.push(
    far === undefined
      ? `  ${words.client.padEnd(span + 1)}${words.server}`
      : `  ${words.client.padEnd(span + 1)}${words.relay.padEnd(span + 1)}${words.server}`,
  );
  for (const { e, far: isFar } of all) {
    const label = e.bytes
      ? dataLabel(e.bytes, words, span - 6, describe)
      : cut(e.text ?? "", words.bytes(e.size ?? 0), span - 6);
    const drawn = arrow(label, e.from === "client" ? "right" : "left", span);
    const middle = lost.has(e) ? "X" : "|";
    // Two columns: a datagram dropped on the way ends in an X instead of its arrowhead.
    const row = far === undefined
      ? `|${!lost.has(e) ? drawn : e.from === "client" ? `${drawn.slice(0, -1)}X` : `X${drawn.slice(1)}`}|`
      : isFar
      ? `|${blank}${middle}${drawn}|`
      : `|${drawn}${middle}${blank}|`;
    lines.push(`  ${row}  +${Math.round(e.ms - start)} ${words.ms}`);
  }
  if (lost.size > 0) lines.push(`  ${far === undefined ? words.dropped : words.lost}`);
  return lines;
}
