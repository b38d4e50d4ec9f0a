/**
 * Lesson 2's accepted variants: correct solutions written otherwise than the
 * reference. Every check must pass them, so no check can demand the
 * reference's own words or style.
 *
 * @module
 */
import type { Accepted } from "../../harness/check.ts";

/** The reference's converse(), rewritten as a class with one method per turn. */
const CONVERSATION_CLASS =
  `/** One conversation with one client: the client's turn, then the server's, until one of them ends it. */
class Conversation {
  readonly #peer: string;
  readonly #lines: LineReader;
  #incoming!: Promise<Incoming>;

  constructor(
    private readonly conn: Deno.Conn,
    private readonly options: ServerOptions,
    private readonly console: Console,
    private readonly stopped: Promise<"abort">,
  ) {
    this.#peer = formatAddr(conn.remoteAddr);
    this.#lines = new LineReader(conn, options.maxLine);
  }

  #read(): Promise<Incoming> {
    return this.#lines.readLine().then(
      (line): Incoming => line === null ? { end: "eof" } : { line },
      (problem): Incoming => ({ problem }),
    );
  }

  /** Holds the conversation. Never throws. */
  async run(): Promise<Ending> {
    this.options.log(\`Client \${this.#peer} connected\`);
    try {
      this.#incoming = this.#read();
      let ending: Ending | undefined;
      while (ending === undefined) ending = await this.#clientTurn();
      return ending;
    } catch (error) {
      this.options.log(\`Client \${this.#peer}: \${name(error)}; conversation over\`);
      return "next client";
    } finally {
      if (!lingering.has(this.conn)) {
        try {
          this.conn.close();
        } catch { /* closed already */ }
      }
    }
  }

  /** The client's turn and, after a message, the server's; undefined while the conversation goes on. */
  async #clientTurn(): Promise<Ending | undefined> {
    const got = await Promise.race([this.#incoming, this.stopped]);
    if (got === "abort") return this.#goodbye("the server is stopping", "stop");
    if ("end" in got) {
      this.options.log(\`Client \${this.#peer} closed the connection\`);
      return "next client";
    }
    if ("problem" in got) {
      if (await refuse(this.conn, this.#peer, got.problem, this.options) === "over") return "next client";
      this.#incoming = this.#read();
      return undefined;
    }
    if (got.line === "exit") {
      this.options.log(\`Client \${this.#peer} said exit; conversation over\`);
      closeGently(this.conn);
      return "next client";
    }
    this.options.log(\`\${this.#peer}: \${got.line}\`);
    return await this.#serverTurn();
  }

  async #serverTurn(): Promise<Ending | undefined> {
    this.#incoming = this.#read();
    const turn = await serverTurn(this.console, this.#incoming, this.stopped, this.options);
    if (turn === "abort") return this.#goodbye("the server is stopping", "stop");
    if ("gone" in turn) {
      this.options.log(\`Client \${this.#peer} is gone (\${name(turn.gone)}) before your reply\`);
      this.console.cancel();
      return "next client";
    }
    if (turn.reply === null) return this.#goodbye("the console is closed", "stop");
    if (turn.reply === "exit") return this.#goodbye("you said exit", "next client");
    await writeLine(this.conn, turn.reply);
    return undefined;
  }

  #goodbye(why: string, then: Ending): Promise<Ending> {
    return goodbye(this.conn, this.#incoming, this.options, why, then);
  }
}

`;

/** A ByteSource over `conn.readable` through a stream reader, for the client. */
const STREAM_SOURCE =
  `/** Reads the connection through its ReadableStream, keeping what one chunk had beyond the caller's buffer. */
function streamSource(conn: Deno.Conn): { read(buffer: Uint8Array): Promise<number | null> } {
  const reader = conn.readable.getReader();
  let rest = new Uint8Array(0);
  return {
    async read(buffer) {
      if (rest.length === 0) {
        const { value, done } = await reader.read();
        if (done) return null;
        rest = value;
      }
      const n = Math.min(buffer.length, rest.length);
      buffer.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return n;
    },
  };
}

/** Connects and holds the conversation, from the console or from \`messages\`. */`;

/** The one-shot mode, pipelined: every message goes at once, then the replies are read, each with its deadline. */
const PIPELINED_ONE_SHOT =
  `/** Sends every message at once (up to an "exit"), then reads and prints a reply to each, then waits for the close. */
async function oneShot(conn: Deno.Conn, lines: LineReader, options: ClientOptions): Promise<void> {
  const reply = async (what: string): Promise<string | null> => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      conn.close();
    }, options.timeoutMs);
    try {
      return await lines.readLine();
    } catch (error) {
      if (late) throw new Deno.errors.TimedOut(\`no \${what} within \${options.timeoutMs} ms\`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  const exit = options.messages.indexOf("exit");
  const messages = exit < 0 ? options.messages : options.messages.slice(0, exit);
  for (const message of options.messages) {
    if (byteLength(message) > options.maxLine) {
      throw new Error(\`--message is \${byteLength(message)} bytes, over the \${options.maxLine}-byte line limit\`);
    }
  }
  for (const message of messages) await writeLine(conn, message);
  // No more to say: "exit" if one was given, else a half-close.
  if (exit >= 0) await writeLine(conn, "exit");
  else await conn.closeWrite();
  for (const message of messages) {
    const line = await reply(\`reply to \${JSON.stringify(message)}\`);
    if (line === null) throw new Error(\`the server closed the connection before replying to \${JSON.stringify(message)}\`);
    if (line === "exit") {
      options.log("the server ended the conversation");
      return;
    }
    options.log(\`server: \${line}\`);
  }
  while (await reply("close") !== null) { /* the server has nothing more to say */ }
}
`;

export const accepted: Accepted[] = [
  {
    id: "reworded",
    differs: "every message the text leaves free is reworded (logs, endings, errors that are not the protocol's)",
    file: "server.ts",
    patch: [
      ["      acceptFailed(error);", "      options.log(`could not accept a client: ${error}`);"],
      ['options.log("waiting for the next client");', 'options.log("ready for another client");'],
      ['options.log("server stopped");', 'options.log("bye");'],
      ["options.log(`Client ${peer} connected`);", "options.log(`new client from ${peer}`);"],
      ["options.log(`Client ${peer} closed the connection`);", "options.log(`${peer} hung up`);"],
      ["options.log(`Client ${peer} said exit; conversation over`);", "options.log(`${peer} left (exit)`);"],
      [
        "`Client ${peer} is gone (${name(turn.gone)}) before your reply`",
        "`lost ${peer} (${name(turn.gone)}) while you typed`",
      ],
      [
        "options.log(`Client ${peer}: ${name(error)}; conversation over`);",
        "options.log(`${peer} broke off: ${name(error)}`);",
      ],
      [
        "`your reply is ${byteLength(typed.reply)} bytes, over the ${options.maxLine}-byte limit; type it shorter`",
        "`too long (${byteLength(typed.reply)} B > ${options.maxLine} B), try again`",
      ],
      ["options.log(`Client ${peer} sent ${problem.message}; told it so`);", "options.log(`${peer} sent bad bytes`);"],
      [
        "options.log(`Client ${peer} sent ${problem.message}; closing the connection`);",
        "options.log(`${peer} sent too much, dropping it`);",
      ],
      ["`Client ${peer} closed the connection in the middle of a line (${", "`${peer} vanished mid-line (${"],
      ["} was never finished)`", "} left over)`"],
      [
        "options.log(`Client ${peer}: ${name(problem)}; conversation over`);",
        "options.log(`${peer} failed: ${name(problem)}`);",
      ],
      [
        "options.log(`${why}: ending the conversation with ${formatAddr(conn.remoteAddr)}`);",
        "options.log(`saying goodbye to ${formatAddr(conn.remoteAddr)} (${why})`);",
      ],
      [
        "log(`(no client is waiting for a reply; not sent: ${JSON.stringify(line)})`);",
        "log(`(dropped, nobody to send it to: ${JSON.stringify(line)})`);",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [
        [
          "`connected to ${formatAddr(conn.remoteAddr)}; type a line and press Enter to send it, exit to leave`",
          "`talking to ${formatAddr(conn.remoteAddr)} (exit quits)`",
        ],
        [
          "options.log(`(the server sent ${error.message}; skipped)`);",
          'options.log("(garbled line from the server)");',
        ],
        ["(cut off: the connection closed before the line ended)", "[incomplete]"],
        [
          '      if (line === null) return "the server closed the connection";',
          '      if (line === null) return "connection closed by the server";',
        ],
        [
          '      if (line === "exit") return "the server ended the conversation";',
          '      if (line === "exit") return "server said goodbye";',
        ],
        ["`(not sent: ${byteLength(text)} bytes, over the ${options.maxLine}-byte limit)`", "`too long, not sent`"],
        ['options.log("you pressed Ctrl+C: said exit, leaving");', 'options.log("interrupted");'],
        ['"you said exit; the server closed the connection"', '"goodbye"'],
        [
          '"you said exit; the server did not close within 2 s, so the client closed the connection"',
          '"no answer to exit, hanging up"',
        ],
        ["`no ${what} within ${options.timeoutMs} ms`", "`gave up waiting (${options.timeoutMs} ms) for ${what}`"],
        [
          "`--message is ${byteLength(message)} bytes, over the ${options.maxLine}-byte line limit`",
          "`message too long`",
        ],
        [
          "`the server closed the connection before replying to ${JSON.stringify(message)}`",
          "`no reply to ${JSON.stringify(message)}: connection closed`",
        ],
        ['      options.log("the server ended the conversation");', '      options.log("server said goodbye");'],
      ],
    }],
  },
  {
    id: "streams-and-pipelining",
    differs:
      "the client reads its socket through conn.readable.getReader(), and client --message sends all its lines at once, then reads the replies, and half-closes instead of saying exit",
    file: "client.ts",
    patch: [
      ["/** Connects and holds the conversation, from the console or from `messages`. */", STREAM_SOURCE],
      [
        "  const lines = new LineReader(conn, options.maxLine);",
        "  const lines = new LineReader(streamSource(conn), options.maxLine);",
      ],
      [
        "/** Sends each message, waits for its reply, prints it; then says exit. */\n",
        "/** The reference's oneShot, no longer used. */\n// deno-lint-ignore no-unused-vars\n",
      ],
      ["async function oneShot(", "async function oneShotInTurns("],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        "/** Connects and holds the conversation",
        PIPELINED_ONE_SHOT + "\n/** Connects and holds the conversation",
      ]],
    }],
  },
  {
    id: "class-server-small-reads",
    differs:
      'the server\'s conversation is a class; the line reader reads at most 500 bytes at a time; writeLine writes the text and its "\\n" in two loops',
    file: "server.ts",
    patch: [
      [
        "const ending = await converse(conn, options, console, stopped);",
        "const ending = await new Conversation(conn, options, console, stopped).run();",
      ],
      [
        "/** Holds one conversation. Never throws: whatever the client does, the server goes on. */\nasync function converse(",
        CONVERSATION_CLASS +
        "/** The reference's converse, no longer used. */\n// deno-lint-ignore no-unused-vars\nasync function converse(",
      ],
    ],
    also: [{
      file: "lines.ts",
      patch: [
        [
          "      const n = await this.#source.read(this.#buffer.subarray(this.#end));",
          "      const n = await this.#source.read(this.#buffer.subarray(this.#end, Math.min(this.#end + 500, this.#buffer.length)));",
        ],
        [
          "  const bytes = encoder.encode(`${text}\\n`);\n  for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));",
          '  for (const bytes of [encoder.encode(text), encoder.encode("\\n")]) {\n    for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));\n  }',
        ],
      ],
    }],
  },
  {
    id: "recursive-small-writes",
    differs:
      "writeLine is a recursive sendall that offers at most 1000 bytes a write; one strict decoder serves every reader; the client's socket loop is a switch",
    file: "lines.ts",
    patch: [
      [
        "const RETURN = 0x0d;",
        'const RETURN = 0x0d;\n/** One strict decoder for every reader: decode() without { stream: true } keeps nothing between calls. */\nconst STRICT = new TextDecoder("utf-8", { fatal: true });',
      ],
      ['  readonly #decoder = new TextDecoder("utf-8", { fatal: true });\n', ""],
      ["      return this.#decoder.decode(line);", "      return STRICT.decode(line);"],
      [
        "  for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));\n}",
        "  await sendAll(sink, bytes);\n}\n\n/** Writes all of `bytes`, at most 1000 at a time: write what it takes, then the rest. */\nasync function sendAll(sink: ByteSink, bytes: Uint8Array): Promise<void> {\n  if (bytes.length === 0) return;\n  const took = await sink.write(bytes.subarray(0, 1000));\n  await sendAll(sink, bytes.subarray(took));\n}",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        '      if (line === null) return "the server closed the connection";\n      if (line === "exit") return "the server ended the conversation";\n      options.log(`server: ${line}`);',
        '      switch (line) {\n        case null:\n          return "the server closed the connection";\n        case "exit":\n          return "the server ended the conversation";\n        default:\n          options.log("server: " + line);\n      }',
      ]],
    }],
  },
];
