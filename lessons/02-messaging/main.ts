/**
 * Lesson 2 launcher: `server`, `client`, `experiment`, and with no command a
 * scripted conversation between the two programs. The same file stands in
 * lessons/ and solutions/; you write lines.ts, server.ts and client.ts.
 *
 * @module
 */
import {
  hostPort,
  labelled,
  learnerLanguage,
  log,
  parsePort,
  parsePositive,
  pick,
  runProgram,
  UsageError,
} from "@course/program.ts";
import { ladder, LADDER_WORDS, Relay } from "@course/trace.ts";
import { CutShort, LineReader, MAX_LINE, NotUtf8 } from "./lines.ts";
import { runServer } from "./server.ts";
import { runClient } from "./client.ts";
import { runExperiment } from "./experiment.ts";

/** The console, read as lines with the same reader as the socket (up to 64 KiB a line). */
function consoleLines(): () => Promise<string | null> {
  const reader = new LineReader(Deno.stdin, 64 * 1024);
  let ended = false;
  return async function next(): Promise<string | null> {
    if (ended) return null;
    try {
      return await reader.readLine();
    } catch (error) {
      // Input piped from a file may lack the final "\n": the last line still counts.
      if (error instanceof CutShort) {
        ended = true;
        return error.partial;
      }
      if (error instanceof NotUtf8) {
        console.error(`(ignored ${error.message})`);
        return next();
      }
      throw error;
    }
  };
}

/** A console that types `script`, one line each time `ready()` allows, then closes. */
function scripted(script: string[], ready: (index: number) => Promise<void>): () => Promise<string | null> {
  let index = 0;
  return async () => {
    if (index >= script.length) return null;
    await ready(index);
    return script[index++];
  };
}

const maxLine = (text: unknown) => {
  const value = parsePositive("max-line", text);
  if (value > 1024 * 1024) {
    throw new UsageError(pick({
      en: `--max-line must be at most 1048576 bytes, got ${value}`,
      ru: `--max-line должен быть не больше 1048576 байтов, а получено ${value}`,
    }));
  }
  return value;
};

const code = await runProgram({
  name: "deno task lesson-2",
  about: {
    en: "Lesson 2: a conversation in lines over one TCP connection, typed at both ends.",
    ru: "Урок 2: разговор строками по одному TCP-соединению, с вводом на обоих концах.",
  },
  commands: {
    server: {
      summary: {
        en: "hold a conversation with one client at a time; type your replies at the console",
        ru: "вести разговор с одним клиентом за раз; ответы набирайте в консоли",
      },
      options: {
        host: {
          type: "string",
          default: "localhost",
          help: { en: "address to listen on (::1 for IPv6)", ru: "адрес, на котором слушать (::1 для IPv6)" },
        },
        port: {
          type: "string",
          default: "8000",
          help: { en: "port to listen on; 0 picks a free one", ru: "порт, на котором слушать; 0 — любой свободный" },
        },
        "max-line": {
          type: "string",
          default: String(MAX_LINE),
          help: { en: "longest line accepted, in bytes", ru: "наибольшая длина принимаемой строки, в байтах" },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run(v, signal) {
        // On a terminal, say once what to do; the grader pipes stdin and needs no prompt.
        let first = true;
        const serverLog = (line: string) => {
          log(line);
          if (first && Deno.stdin.isTerminal()) log("(type your reply to each message and press Enter; exit ends it)");
          first = false;
        };
        return runServer({
          host: v.host,
          port: parsePort(v.port),
          maxLine: maxLine(v["max-line"]),
          log: serverLog,
          console: consoleLines(),
          signal,
        });
      },
    },
    client: {
      summary: {
        en: "talk to the server: lines you type are sent, its replies printed",
        ru: "говорить с сервером: набранные строки отправляются, его ответы печатаются",
      },
      options: {
        host: { type: "string", default: "localhost", help: { en: "the server's host", ru: "хост сервера" } },
        port: { type: "string", default: "8000", help: { en: "the server's port", ru: "порт сервера" } },
        message: {
          type: "string",
          multiple: true,
          help: {
            en: "send this line and print the reply, then exit (repeatable)",
            ru: "отправить эту строку, напечатать ответ и выйти (флаг можно повторять)",
          },
        },
        timeout: {
          type: "string",
          default: "10000",
          help: {
            en: "with --message: give up waiting for a reply after ms",
            ru: "с --message: сколько мс ждать ответа, прежде чем сдаться",
          },
        },
        "max-line": {
          type: "string",
          default: String(MAX_LINE),
          help: { en: "longest line accepted, in bytes", ru: "наибольшая длина принимаемой строки, в байтах" },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: (v, signal) =>
        runClient({
          host: v.host,
          port: parsePort(v.port),
          maxLine: maxLine(v["max-line"]),
          messages: v.message ?? [],
          timeoutMs: parsePositive("timeout", v.timeout),
          log,
          console: consoleLines(),
          signal,
        }),
    },
    experiment: {
      summary: {
        en: "see one write arrive as many reads, and many writes as one read",
        ru: "увидеть, как одна запись приходит многими чтениями, а много записей — одним чтением",
      },
      options: {
        text: {
          type: "string",
          default: "привет, TCP 👋",
          help: { en: "the line to send in pieces", ru: "строка, которую отправить по частям" },
        },
        chunk: { type: "string", default: "3", help: { en: "bytes per write", ru: "байт на одну запись" } },
        pause: { type: "string", default: "20", help: { en: "ms between writes", ru: "мс между записями" } },
      },
      run: (v) =>
        runExperiment({
          text: v.text,
          chunk: parsePositive("chunk", v.chunk),
          pauseMs: parsePositive("pause", v.pause),
          log,
        }),
    },
  },
  // The demo: a server on a free port and a client, each with a scripted
  // console that types only after the other side's line was printed.
  // With --trace, the client talks to the server through a relay that draws the conversation.
  traces: true,
  async demo(_signal, trace = false) {
    const stop = new AbortController();
    const serverLog = labelled("server", "magenta");
    const clientLog = labelled("client", "cyan");
    const { promise: listening, resolve: onListening } = Promise.withResolvers<number>();
    let heard = 0;
    let answered = 0;
    const waiting = new Set<() => void>();
    const wake = () => waiting.forEach((resolve) => resolve());
    const until = async (done: () => boolean) => {
      while (!done()) {
        const { promise, resolve } = Promise.withResolvers<void>();
        waiting.add(resolve);
        await promise;
        waiting.delete(resolve);
      }
    };
    const server = runServer({
      host: "127.0.0.1",
      port: 0,
      maxLine: MAX_LINE,
      signal: stop.signal,
      log(line) {
        serverLog(line);
        const port = line.match(/^listening on .*:(\d+)$/)?.[1];
        if (port) onListening(Number(port));
        if (/^127\.0\.0\.1:\d+: /.test(line)) heard++, wake();
      },
      console: scripted(["hello, client", "и тебе привет 🙂"], (i) => until(() => heard > i)),
    });
    try {
      const port = await Promise.race([listening, server.then(() => Promise.reject(new Error("server stopped")))]);
      const relay = trace ? Relay.start({ hostname: "127.0.0.1", port }) : undefined;
      try {
        await runClient({
          host: "127.0.0.1",
          port: relay?.port ?? port,
          maxLine: MAX_LINE,
          messages: [],
          timeoutMs: 5000,
          signal: stop.signal,
          log(line) {
            clientLog(line);
            if (line.startsWith("server: ")) answered++, wake();
          },
          console: scripted(["hello, server", "привет 👋", "exit"], (i) => until(() => answered >= i)),
        });
      } finally {
        await relay?.close();
      }
      if (relay) {
        for (const line of ladder(relay.events, LADDER_WORDS[learnerLanguage()])) labelled("trace", "yellow")(line);
      }
    } finally {
      stop.abort();
      await server;
    }
  },
}, Deno.args);
Deno.exit(code);
