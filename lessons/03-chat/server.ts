// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 3, your part: a chat server for many clients at once.
 *
 * Each client sends its name as its first line, then chat lines. Every line
 * goes to all the other clients as `name: text`, once each, in the order its
 * sender sent them. Lines typed at the server console go to everyone as
 * `server: text`. Notices start with `* `.
 *
 * No client can hurt the others: a client that stops reading has a bounded
 * queue and is dropped when it fills; one that floods is read more slowly;
 * one that resets its connection in the middle of a broadcast misses it and
 * nobody else does.
 *
 * Given: listening, reading lines (framing.ts), the name check, the rate
 * limit, closing. Yours: serving everyone at once, the registry, the
 * broadcast, the bounded send queue, leaving, and the console. Read
 * lessons/03-chat/README.md first; `deno task grade 3` checks your work.
 *
 * @module
 */
import { formatAddr, outOfResources, todo } from "@course/program.ts";
import { concat, hasControl, LineSplitter, LineTooLong, utf8 } from "./framing.ts";

/** How `runServer` is configured; `main.ts` fills it from the command line. */
export interface ServerOptions {
  /** The address to bind. */
  host: string;
  /** The port to bind; 0 lets the system pick a free one. */
  port: number;
  /** The longest line accepted, in bytes. */
  maxLine: number;
  /** Bytes waiting to be sent to one client before it is dropped as too slow. */
  maxQueue: number;
  /** Clients at once; one more is told the server is full. */
  maxClients: number;
  /** Lines per second a client may send before it is slowed down; 0 turns the limit off. */
  rate: number;
  /** How many lines a client may send at once before the rate applies. */
  burst: number;
  /** Where the server's log lines go. */
  log: (line: string) => void;
  /** The console: resolves with the next line typed, or null once the console is closed. */
  console: () => Promise<string | null>;
  /** Aborted when the server should stop (Ctrl+C, or the end of the demo). */
  signal: AbortSignal;
}

const encoder = new TextEncoder();
/** How long a new client has to send its name. */
const NAME_TIMEOUT_MS = 10_000;
/** A name: letters, digits, `_` and `-`, up to 24 characters. */
const NAME = /^[\p{L}\p{N}_-]{1,24}$/u;

/** Listens, then relays lines between all clients until `signal` is aborted or `exit` is typed at the console. */
export async function runServer(options: ServerOptions): Promise<void> {
  const listener = Deno.listen({ hostname: options.host, port: options.port, tcpBacklog: 511 });
  options.log(`listening on ${formatAddr(listener.addr)}`);
  const room = new Room(options);

  // Ctrl+C and `exit` at the console both end here.
  const stopping = Promise.withResolvers<string>();
  options.signal.addEventListener("abort", () => stopping.resolve("the server is stopping"), { once: true });
  readConsole(room, options).then(stopping.resolve, (error) => stopping.resolve(`console failed: ${error}`));
  const stopped = stopping.promise.then((why) => {
    listener.close();
    return why;
  });

  // Every connection, named yet or not, counts toward the cap.
  const serving = new Set<Promise<void>>();
  const acceptFailures = new Storm("accept failed", options.log);
  while (true) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (error instanceof Deno.errors.BadResource) break;
      // Most failures are one connection's (reset before we took it): take the next at once. Out of
      // descriptors, every accept fails until a connection closes: pause, or the loop would spin.
      const message = error instanceof Error ? error.message : String(error);
      acceptFailures.note(message);
      if (outOfResources(error)) await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    // Not awaited: every client is served at the same time as the others.
    const job: Promise<void> = serving.size >= options.maxClients ? refuseFull(conn, options) : todo(
      import.meta.url,
      1,
      {
        en:
          "serve this connection: serve(conn, room, options), without awaiting it, so the loop goes straight back to accept() and every client is served at once",
        ru:
          "обслужить это соединение: serve(conn, room, options), не дожидаясь его (без await), чтобы цикл сразу вернулся к accept() и все клиенты обслуживались одновременно",
      },
    );
    serving.add(job);
    job.finally(() => serving.delete(job));
  }
  acceptFailures.stop();
  const why = await stopped;
  await room.shutdown(why);
  await Promise.allSettled(serving);
  options.log("server stopped");
}

/**
 * Logs failures of one kind without flooding the log: the first at once,
 * then at most one line a second saying how many more there were. A storm
 * of 3,000 resets so costs a few lines, not 3,000.
 */
class Storm {
  #more = 0;
  #last = "";
  #timer?: ReturnType<typeof setTimeout>;
  constructor(readonly what: string, readonly log: (line: string) => void) {}

  /** One more failure, with its message. */
  note(message: string): void {
    if (this.#timer === undefined) {
      this.log(`${this.what}: ${message}`);
      this.#timer = setTimeout(() => this.#tick(), 1000);
      return;
    }
    this.#more++;
    this.#last = message;
  }

  /** Logs what is still uncounted and stops the timer. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#report();
  }

  #tick(): void {
    const quiet = this.#more === 0;
    this.#report();
    this.#timer = quiet ? undefined : setTimeout(() => this.#tick(), 1000);
  }

  #report(): void {
    if (this.#more === 0) return;
    this.log(`${this.what}: ${this.#more} more in the last second (last: ${this.#last})`);
    this.#more = 0;
  }
}

/** Console lines go to everyone; `exit` (or the end of the console) stops the server. Resolves with why. */
async function readConsole(room: Room, options: ServerOptions): Promise<string> {
  while (true) {
    const line = await options.console();
    if (line === null) return "the console is closed";
    todo(
      import.meta.url,
      8,
      {
        en:
          'a line typed at the console: "exit" returns "the server is shutting down" (runServer then closes everyone); any other line goes to every client as `server: ${line}\\n` (room.broadcast with no sender)',
        ru:
          'строка, набранная в консоли: на "exit" вернуть "the server is shutting down" (тогда runServer закроет всех); любую другую строку разослать каждому клиенту как `server: ${line}\\n` (room.broadcast без отправителя)',
      },
    );
  }
}

/** Serves one connection from hello to goodbye. Never throws. */
async function serve(conn: Deno.Conn, room: Room, options: ServerOptions): Promise<void> {
  const peer = formatAddr(conn.remoteAddr);
  const splitter = new LineSplitter(options.maxLine);
  // A client that says nothing holds a small buffer; one that sends much borrows a big one (see `Reads`).
  const reads = new Reads();
  let client: Client | undefined;
  try {
    const joined = await join(conn, peer, splitter, reads.buffer, room, options);
    if (!joined) return;
    client = joined.client;
    const bucket = new Bucket(options.rate, options.burst);
    // The lines are views into the read buffer: relay them all before reading again.
    let lines = joined.rest;
    while (!client.gone) {
      while (lines.length > 0 && !client.gone) {
        const allowed = bucket.take(lines.length);
        if (allowed === 0) {
          // Too many lines too fast: hold the rest, read nothing meanwhile.
          // The client's next lines pile up in the kernel, and TCP's flow
          // control slows the client itself down.
          if (!client.throttled) {
            client.throttled = true;
            options.log(`${client.name} sends more than ${options.rate} lines/s; reading it more slowly`);
            room.tell(client, encoder.encode(`* slow down: more than ${options.rate} lines a second\n`));
          }
          await new Promise((resolve) => setTimeout(resolve, bucket.waitMs()));
          continue;
        }
        if (!relay(client, lines.slice(0, allowed), room)) return;
        lines = lines.slice(allowed);
      }
      if (client.gone) return;
      const buffer = reads.next();
      const n = await conn.read(buffer);
      reads.got(n ?? 0);
      if (n === null) {
        todo(
          import.meta.url,
          7,
          {
            en: 'the client hung up (read gave null): room.leave(client, "left"), and return',
            ru: 'клиент повесил трубку (read вернул null): room.leave(client, "left") и выйти (return)',
          },
        );
      }
      lines = splitter.push(buffer.subarray(0, n));
    }
  } catch (error) {
    if (client && error instanceof LineTooLong) {
      room.drop(client, `line longer than ${options.maxLine} bytes`);
    } else if (client) {
      room.leave(client, `lost the connection (${error instanceof Error ? error.name : error})`);
    } else {
      options.log(`${peer}: ${error instanceof Error ? error.message : error} before joining`);
      try {
        conn.close();
      } catch { /* closed already */ }
    }
  } finally {
    reads.release();
  }
}

/** Bytes a client's reads go into while it sends little: most chat lines fit. */
const SMALL_READ = 1024;
/** Bytes a read may take once a client sends more than `SMALL_READ` at a time (a paste, a flood). */
const BIG_READ = 32 * 1024;
/** Big buffers kept for the next busy client; the rest go to the garbage collector. */
const spare: Uint8Array[] = [];

/**
 * A client's read buffer, sized by what the client sends. A pending
 * `read()` holds its buffer for as long as the client is silent, which may
 * be hours, so each client starts with `SMALL_READ` bytes. A read that fills
 * it means more is coming: the next reads borrow a `BIG_READ` buffer from
 * `spare`, and give it back after the first read that would have fitted the
 * small one. A thousand idle clients so hold 1 MiB of buffers, not 32.
 */
class Reads {
  readonly #small = new Uint8Array(SMALL_READ);
  #big?: Uint8Array;
  #last = 0;

  /** The small buffer, for the name. */
  get buffer(): Uint8Array {
    return this.#small;
  }

  /** The buffer for the next read. Lines from the previous read must be relayed by now. */
  next(): Uint8Array {
    if (this.#last === (this.#big ?? this.#small).length) this.#big ??= spare.pop() ?? new Uint8Array(BIG_READ);
    else if (this.#last < SMALL_READ) this.release();
    return this.#big ?? this.#small;
  }

  /** Notes how many bytes the read brought. */
  got(n: number): void {
    this.#last = n;
  }

  /** Gives the big buffer back, if it holds one. */
  release(): void {
    if (this.#big && spare.length < 64) spare.push(this.#big);
    this.#big = undefined;
  }
}

/**
 * Reads the name (the first line), makes it unique, and adds the client to
 * the room; `rest` are the lines that came in the same read. Undefined when
 * the client left or gave no usable name.
 */
async function join(
  conn: Deno.Conn,
  peer: string,
  splitter: LineSplitter,
  buffer: Uint8Array,
  room: Room,
  options: ServerOptions,
): Promise<{ client: Client; rest: Uint8Array[] } | undefined> {
  // A client that never names itself must not hold a place forever, nor keep a stopping server running:
  // until it has a name, the room keeps it among the arrivals, which shutdown closes too.
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    conn.close();
  }, NAME_TIMEOUT_MS);
  room.arriving.add(conn);
  let lines: Uint8Array[] = [];
  try {
    while (lines.length === 0) {
      const n = await conn.read(buffer);
      if (n === null) {
        conn.close();
        return undefined;
      }
      lines = splitter.push(buffer.subarray(0, n));
    }
  } catch (error) {
    if (error instanceof LineTooLong) {
      // A name, then a line too long in the same read; or no name at all, just too many bytes.
      return await refuse(conn, error.before > 0 ? `* error: ${error.message}` : "* error: that is not a name");
    }
    if (room.stopping) return undefined;
    if (late) {
      options.log(`${peer} sent no name within ${NAME_TIMEOUT_MS / 1000} s; closed`);
      return undefined;
    }
    // A reset before the name: one line for a storm of them, as for accept.
    room.unnamed.note(`${peer}: ${error instanceof Error ? error.message : error}`);
    try {
      conn.close();
    } catch { /* closed already */ }
    return undefined;
  } finally {
    clearTimeout(timer);
    room.arriving.delete(conn);
  }
  // The server began to stop while the name was on its way: shutdown closes this connection.
  if (room.stopping) return undefined;
  const wanted = utf8(lines[0]) ?? "";
  if (!NAME.test(wanted)) {
    options.log(`${peer} asked for the name ${JSON.stringify(wanted)}; refused`);
    return await refuse(conn, "* error: a name is 1 to 24 letters, digits, _ or -, sent as the first line");
  }
  // Lines that came with the name are chat already: serve relays them, under the rate limit.
  return { client: room.add(conn, wanted, peer), rest: lines.slice(1) };
}

/**
 * Sends the lines one client wrote to everyone else, as one batch: one
 * buffer, encoded once, queued once per recipient. False when the client
 * said exit. A line that is not UTF-8 is not passed on; its sender is told.
 */
function relay(client: Client, lines: Uint8Array[], room: Room): boolean {
  if (lines.length === 0) return true;
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const line of lines) {
    const text = utf8(line);
    if (text === undefined) {
      room.tell(client, NOT_UTF8);
      continue;
    }
    if (hasControl(text)) {
      // ESC, CR, NUL… would reach every terminal in the room, nc's too, where they can recolour, clear or overwrite.
      room.tell(client, HAS_CONTROL);
      continue;
    }
    if (text === "exit") {
      todo(
        import.meta.url,
        6,
        {
          en:
            'the client said exit: first broadcast the lines before it (concat(parts, size)), then room.leave(client, "left", "* goodbye"), and return false',
          ru:
            'клиент сказал exit: сначала разослать строки перед ним (concat(parts, size)), затем room.leave(client, "left", "* goodbye") и вернуть false',
        },
      );
    }
    // A batch stays within 64 KiB, so one batch can never overflow a queue on its own.
    const piece = client.prefix.length + line.length + 1;
    if (size + piece > COALESCE_BYTES && parts.length > 0) {
      room.broadcast(client, concat(parts, size));
      parts.length = 0;
      size = 0;
    }
    parts.push(client.prefix, line, NEWLINE_BYTES);
    size += piece;
  }
  room.broadcast(client, concat(parts, size));
  return true;
}

const NEWLINE_BYTES = encoder.encode("\n");
/** Up to this many queued bytes are joined into one write. */
const COALESCE_BYTES = 64 * 1024;
/** A piece this big (a batch of lines) is shared by every recipient and written as it is, never copied. */
const SHARED_PIECE = 4 * 1024;
const NOT_UTF8 = encoder.encode("* error: that line is not UTF-8 text; it was not sent\n");
const HAS_CONTROL = encoder.encode("* error: that line has control characters (such as ESC); it was not sent\n");

/** Turns a connection away: the server has as many as it may serve. */
async function refuseFull(conn: Deno.Conn, options: ServerOptions): Promise<void> {
  options.log(`refused ${formatAddr(conn.remoteAddr)}: ${options.maxClients} connections already`);
  await refuse(conn, `* error: the server is full (${options.maxClients} clients); try again later`);
}

/** Tells a connection why it is not welcome, then closes it. */
async function refuse(conn: Deno.Conn, why: string): Promise<undefined> {
  try {
    await conn.write(encoder.encode(`${why}\n`));
    await closeGently(conn);
  } catch {
    try {
      conn.close();
    } catch { /* closed already */ }
  }
  return undefined;
}

/**
 * Where every closing connection's last input goes. What is read here is
 * thrown away, so all of them can share one buffer: when 1,000 clients leave
 * at once, a buffer each would be 16 MiB.
 */
const DISCARD = new Uint8Array(16 * 1024);

/**
 * Half-closes, lets the peer read what we sent and hang up, and closes
 * (at most `ms` later). Closing with unread input would send a reset, which
 * can destroy our last line before the peer reads it.
 */
async function closeGently(conn: Deno.Conn, ms = 1000): Promise<void> {
  const timer = setTimeout(() => conn.close(), ms);
  try {
    await conn.closeWrite();
    while (await conn.read(DISCARD) !== null) { /* discard */ }
  } catch {
    /* reset, or closed by the timer */
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timer */ }
  }
}

/**
 * One connected client, and its send queue. `send` never waits: it queues the
 * bytes, and one writer per client sends whatever has piled up in one write.
 * A broadcast so costs each recipient an array push, whatever its network.
 */
class Client {
  /** `alice: ` as bytes, the start of each of its lines as others see them. */
  readonly prefix: Uint8Array;
  /** True once the client left or was dropped: nothing more is sent or read. */
  gone = false;
  /** True once it was told to slow down. */
  throttled = false;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #writing?: Promise<void>;

  constructor(
    readonly conn: Deno.Conn,
    readonly name: string,
    readonly peer: string,
    readonly room: Room,
  ) {
    this.prefix = encoder.encode(`${name}: `);
  }

  /** Bytes queued or being written. */
  get queued(): number {
    return this.#queued;
  }

  /** Queues `bytes`; past the room's limit, the client is dropped instead. */
  send(bytes: Uint8Array): void {
    if (this.gone || bytes.length === 0) return;
    todo(
      import.meta.url,
      4,
      {
        en:
          "queue the bytes: if #queued + bytes.length would pass room.options.maxQueue, the client is not reading: room.drop(this, 'send queue exceeded') and return. Else push them on #queue, add to #queued, and start the writer if none runs: this.#writing ??= this.#write()",
        ru:
          "поставить байты в очередь: если #queued + bytes.length превысит room.options.maxQueue, клиент не читает: room.drop(this, 'send queue exceeded') и выйти (return). Иначе добавить их в #queue, прибавить их длину к #queued и запустить писателя, если он ещё не работает: this.#writing ??= this.#write()",
      },
    );
  }

  /**
   * Sends everything queued, in few writes: small pieces (single lines,
   * notices) are joined, until the write holds `SHARED_PIECE` (4 KiB) or
   * more; a big piece (a whole batch) goes as it is. A batch is one buffer
   * shared by every recipient: joining it with the pieces around it would
   * copy it once per recipient (a thousand clients, a thousand copies) and
   * save only a write.
   */
  async #write(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        let count = 1;
        let size = this.#queue[0].length;
        while (
          size < SHARED_PIECE && count < this.#queue.length && this.#queue[count].length < SHARED_PIECE &&
          size + this.#queue[count].length <= COALESCE_BYTES
        ) {
          size += this.#queue[count++].length;
        }
        const batch = count === 1 ? this.#queue[0] : concat(this.#queue.slice(0, count), size);
        this.#queue.splice(0, count);
        for (let at = 0; at < batch.length;) at += await this.conn.write(batch.subarray(at));
        this.#queued -= batch.length;
      }
    } catch (error) {
      // The client reset or closed: the reading side will see it too.
      if (!this.gone) this.room.leave(this, `lost the connection (${error instanceof Error ? error.name : error})`);
    } finally {
      this.#writing = undefined;
    }
  }

  /** Sends a last line (beyond the queue limit), waits up to `ms` for it to go, closes gently. */
  async close(last?: string, ms = 1000): Promise<void> {
    this.gone = true;
    this.#queue.push(...(last ? [encoder.encode(`${last}\n`)] : []));
    this.#writing ??= this.#write();
    const timer = setTimeout(() => this.conn.close(), ms);
    try {
      await this.#writing;
    } finally {
      clearTimeout(timer);
    }
    await closeGently(this.conn, ms);
  }
}

/**
 * The clients, by name, and the notices (joins, leaves) not sent yet. A join
 * storm is a notice to everyone already in for each newcomer: 1,000 clients
 * joining make half a million. Sent one by one, each is a write and a promise
 * for each recipient. So notices wait until the code that runs now is done
 * (a microtask), and everyone gets the ones that piled up as one shared
 * buffer: one write each, whatever the number of joins. Anything else the room
 * sends first sends what waits, so nobody sees events out of order.
 */
class Room {
  readonly #clients = new Map<string, Client>();
  readonly #closing = new Set<Promise<void>>();
  /** Notices not sent yet, in order, and their bytes. */
  #notices: Uint8Array[] = [];
  #noticeBytes = 0;
  /** Where a client that joined while notices waited starts hearing them: after its own join notice. */
  #heardFrom = new Map<Client, number>();
  /** Connections that have not sent their name yet. */
  readonly arriving = new Set<Deno.Conn>();
  /** True once shutdown has begun: nobody joins any more. */
  stopping = false;
  /** Connections that failed before they sent a name. */
  readonly unnamed: Storm;
  constructor(readonly options: ServerOptions) {
    this.unnamed = new Storm("lost before joining", options.log);
  }

  /** How many clients are in. */
  get size(): number {
    return this.#clients.size;
  }

  /** Adds a client under `wanted`, or `wanted2`, `wanted3`… if taken; tells it and the others. */
  add(conn: Deno.Conn, wanted: string, peer: string): Client {
    return todo(
      import.meta.url,
      2,
      {
        en:
          'pick the name: wanted, or wanted2, wanted3… while taken ("server" is always taken). Make new Client(conn, name, peer, this), put it in #clients, send it "* welcome, NAME; here: OTHERS\\n" (the names already in, or "nobody else yet"), tell the others with this.announce(encoder.encode("* NAME joined\\n"), client) (the client is the newcomer the notice is about), log it, return it',
        ru:
          'выбрать имя: wanted, а пока оно занято — wanted2, wanted3… ("server" занято всегда). Создать new Client(conn, name, peer, this), положить его в #clients, отправить ему "* welcome, NAME; here: OTHERS\\n" (имена тех, кто уже здесь, или "nobody else yet"), сообщить остальным через this.announce(encoder.encode("* NAME joined\\n"), client) (client — новичок, о котором это извещение), записать в лог и вернуть клиента',
      },
    );
  }

  /**
   * Queues `bytes` for every client but `from`. No await in the loop: a
   * recipient that fails, joins or leaves meanwhile cannot skip the others.
   */
  broadcast(from: Client | undefined, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // Notices still waiting happened before these bytes: they go first.
    this.flush();
    todo(
      import.meta.url,
      3,
      {
        en:
          "queue bytes for every client in #clients except from, with client.send(bytes). Never await here: a slow or broken client must not hold up the others",
        ru:
          "поставить bytes в очередь каждому клиенту из #clients, кроме from, через client.send(bytes). Здесь никогда не ждать (await): медленный или сломанный клиент не должен задерживать остальных",
      },
    );
  }

  /** Removes a client that left; `last` is a line for it (a goodbye). */
  leave(client: Client, how: string, last?: string): void {
    if (client.gone) return;
    this.#remove(client, how, last);
  }

  /** Removes a client for a reason it is told, if it still listens. */
  drop(client: Client, why: string): void {
    if (client.gone) return;
    this.#remove(client, `dropped: ${why}`, `* dropped: ${why}`);
  }

  #remove(client: Client, how: string, last?: string): void {
    const closing: Promise<void> = todo(
      import.meta.url,
      5,
      {
        en:
          'take the client out of #clients, then close it with client.close(last) (keep that promise in #closing until it settles, so shutdown can wait for it), tell the others with this.announce(encoder.encode("* NAME HOW\\n")) and log it',
        ru:
          'убрать клиента из #clients, затем закрыть его через client.close(last) (держать этот промис в #closing, пока он не завершится, чтобы shutdown мог его дождаться), сообщить остальным через this.announce(encoder.encode("* NAME HOW\\n")) и записать это в лог',
      },
    );
  }

  /** Sends `bytes` to one client, after the notices that wait (they happened first). */
  tell(client: Client, bytes: Uint8Array): void {
    this.flush();
    client.send(bytes);
  }

  /**
   * Tells everyone in the room of an event (a join, a leave). The notice
   * waits until the code that runs now is done, then goes out with the others
   * that piled up meanwhile (`flush`). `joined` is the client a join notice is
   * about: it hears only the notices after its own.
   */
  announce(bytes: Uint8Array, joined?: Client): void {
    // One batch stays within 64 KiB, as a batch of lines does, so it can never overflow a queue on its own.
    if (this.#noticeBytes + bytes.length > COALESCE_BYTES) this.flush();
    if (this.#notices.length === 0) queueMicrotask(() => this.flush());
    this.#notices.push(bytes);
    this.#noticeBytes += bytes.length;
    if (joined) this.#heardFrom.set(joined, this.#noticeBytes);
  }

  /** Sends the notices that wait: one buffer, shared; a client that joined meanwhile gets those after its join. */
  flush(): void {
    if (this.#notices.length === 0) return;
    const all = concat(this.#notices, this.#noticeBytes);
    const heardFrom = this.#heardFrom;
    this.#notices = [];
    this.#noticeBytes = 0;
    this.#heardFrom = new Map();
    for (const client of this.#clients.values()) client.send(all.subarray(heardFrom.get(client) ?? 0));
  }

  /** Tells everyone why the server stops, closes every connection (named or not yet), waits for it. */
  async shutdown(why: string): Promise<void> {
    this.stopping = true;
    this.unnamed.stop();
    this.flush();
    this.options.log(`${why}: closing ${this.#clients.size + this.arriving.size} connection(s)`);
    // A connection still waiting for its name would keep the program running until its 10 s are up.
    for (const conn of this.arriving) this.#closing.add(refuse(conn, `* ${why}`));
    for (const client of [...this.#clients.values()]) {
      this.#clients.delete(client.name);
      const closing = client.close(`* ${why}`);
      this.#closing.add(closing);
    }
    await Promise.allSettled(this.#closing);
  }
}

/**
 * A token bucket: a client may send `burst` lines at once, then `rate` a
 * second. A rate of 0 means no limit.
 */
class Bucket {
  #tokens: number;
  #last = performance.now();
  constructor(readonly rate: number, readonly burst: number) {
    this.#tokens = burst;
  }
  /** How many of `wanted` lines may go now (they are counted as sent). */
  take(wanted: number): number {
    if (this.rate <= 0) return wanted;
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#last) * this.rate / 1000);
    this.#last = now;
    const allowed = Math.min(wanted, Math.floor(this.#tokens));
    this.#tokens -= allowed;
    return allowed;
  }
  /** Ms until the next line may go. */
  waitMs(): number {
    return Math.max(1, (1 - this.#tokens) * 1000 / this.rate);
  }
}
