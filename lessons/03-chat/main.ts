/**
 * Lesson 3 launcher: `server`, `client`, `compare`, and with no command a
 * demo: a server and three scripted clients chatting. The same file stands in
 * lessons/ and solutions/; you write server.ts and client.ts.
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
import { lineReader, MAX_LINE } from "./framing.ts";
import { runServer } from "./server.ts";
import { runClient } from "./client.ts";
import { runCompare } from "./compare.ts";

/** A whole number of at least 0 (`--rate 0` turns the limit off). */
function parseCount(flag: string, text: unknown): number {
  if (!/^\d+$/.test(String(text))) {
    throw new UsageError(pick({
      en: `--${flag} must be a whole number, got '${text}'`,
      ru: `--${flag} должен быть целым числом, а получено '${text}'`,
    }));
  }
  return Number(text);
}

const code = await runProgram({
  name: "deno task lesson-3",
  about: {
    en: "Lesson 3: a chat server for many clients at once, and its client.",
    ru: "Урок 3: сервер чата для многих клиентов сразу и его клиент.",
  },
  commands: {
    server: {
      summary: {
        en: "relay every client's lines to all the others; lines typed here go to everyone",
        ru: "пересылать строки каждого клиента всем остальным; строки, набранные здесь, получают все",
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
        "max-queue": {
          type: "string",
          default: String(256 * 1024),
          help: {
            en: "bytes waiting for one client before it is dropped as too slow",
            ru: "сколько байт может ждать отправки одному клиенту, прежде чем его отключат как слишком медленного",
          },
        },
        "max-clients": {
          type: "string",
          default: "256",
          help: {
            en: "connections at once; more are turned away",
            ru: "соединений одновременно; сверх этого получают отказ",
          },
        },
        rate: {
          type: "string",
          default: "20",
          help: {
            en: "lines a second one client may send (0: no limit)",
            ru: "строк в секунду от одного клиента (0 — без ограничения)",
          },
        },
        burst: {
          type: "string",
          default: "100",
          help: {
            en: "lines one client may send at once before the rate applies",
            ru: "сколько строк один клиент может прислать разом, прежде чем начнёт действовать --rate",
          },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run(v, signal) {
        const maxLine = parsePositive("max-line", v["max-line"]);
        const maxQueue = parsePositive("max-queue", v["max-queue"]);
        // The server relays lines in batches of up to 64 KiB; a queue must hold one.
        if (maxQueue < 64 * 1024 + maxLine) {
          throw new UsageError(pick({
            en: `--max-queue must be at least ${64 * 1024 + maxLine} bytes (one 64 KiB batch and a line)`,
            ru: `--max-queue должен быть не меньше ${64 * 1024 + maxLine} байтов (одна пачка в 64 КиБ и строка)`,
          }));
        }
        return runServer({
          host: v.host,
          port: parsePort(v.port),
          maxLine,
          maxQueue,
          maxClients: parsePositive("max-clients", v["max-clients"]),
          rate: parseCount("rate", v.rate),
          burst: parsePositive("burst", v.burst),
          log,
          console: lineReader(Deno.stdin),
          signal,
        });
      },
    },
    client: {
      summary: {
        en: "join the chat: lines you type go to everyone, theirs are printed as they come",
        ru: "войти в чат: набранные строки получают все, а чужие печатаются по мере прихода",
      },
      options: {
        host: { type: "string", default: "localhost", help: { en: "the server's host", ru: "хост сервера" } },
        port: { type: "string", default: "8000", help: { en: "the server's port", ru: "порт сервера" } },
        name: {
          type: "string",
          default: "guest",
          help: { en: "your name in the chat (letters, digits, _ and -)", ru: "ваше имя в чате (буквы, цифры, _ и -)" },
        },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run: (v, signal) =>
        runClient({
          host: v.host,
          port: parsePort(v.port),
          name: v.name,
          log,
          console: lineReader(Deno.stdin),
          signal,
        }),
    },
    compare: {
      summary: {
        en: "measure one-client-at-a-time against all-at-once serving",
        ru: "сравнить обслуживание по одному клиенту за раз и всех сразу",
      },
      options: {
        clients: {
          type: "string",
          default: "10",
          help: { en: "clients connecting at once", ru: "сколько клиентов подключается одновременно" },
        },
        work: {
          type: "string",
          default: "100",
          help: { en: "ms each client keeps the server busy", ru: "сколько мс каждый клиент занимает сервер" },
        },
      },
      run: (v) => runCompare({ clients: parsePositive("clients", v.clients), workMs: parseCount("work", v.work), log }),
    },
  },
  // The demo: a server and three clients in one process. Each scripted
  // console types its next line only once the previous one was seen by all.
  // With --trace, the clients talk to the server through a relay that draws each connection.
  traces: true,
  async demo(_signal, trace = false) {
    const stop = new AbortController();
    const { promise: listening, resolve: onListening } = Promise.withResolvers<number>();
    const seen: string[] = [];
    const waiting = new Set<() => void>();
    const saw = (line: string) => {
      seen.push(line);
      waiting.forEach((wake) => wake());
    };
    const until = async (done: () => boolean) => {
      while (!done()) {
        const { promise, resolve } = Promise.withResolvers<void>();
        waiting.add(resolve);
        await promise;
        waiting.delete(resolve);
      }
    };
    const count = (text: string) => seen.filter((line) => line.endsWith(text)).length;
    const serverLog = labelled("server", "magenta");
    let typed = false;
    const server = runServer({
      host: "127.0.0.1",
      port: 0,
      maxLine: MAX_LINE,
      maxQueue: 256 * 1024,
      maxClients: 16,
      rate: 20,
      burst: 100,
      signal: stop.signal,
      log(line) {
        serverLog(line);
        const port = line.match(/^listening on .*:(\d+)$/)?.[1];
        if (port) onListening(Number(port));
        saw(`[server] ${line}`);
      },
      console: async () => {
        if (typed) return await new Promise<never>(() => {});
        await until(() => count("carol: привет 👋") === 2);
        typed = true;
        return "welcome, all three of you";
      },
    });
    // Scripts: [name, colour, lines, wait before each line].
    type Step = [string, () => boolean];
    const scripts: [string, "cyan" | "green" | "yellow", Step[]][] = [
      ["alice", "cyan", [
        ["hi everyone", () => count("* carol joined") === 2],
        ["exit", () => count("* carol left") === 2],
      ]],
      ["bob", "green", [
        ["hi both", () => count("alice: hi everyone") === 2],
        ["exit", () => count("* alice left") === 1],
      ]],
      ["carol", "yellow", [
        ["привет 👋", () => count("bob: hi both") === 2],
        ["exit", () => count("server: welcome, all three of you") === 3],
      ]],
    ];
    try {
      const port = await Promise.race([listening, server.then(() => Promise.reject(new Error("server stopped")))]);
      const relay = trace ? Relay.start({ hostname: "127.0.0.1", port }) : undefined;
      const clients: Promise<void>[] = [];
      for (const [name, colour, steps] of scripts) {
        const print = labelled(name, colour);
        let step = 0;
        clients.push(runClient({
          host: "127.0.0.1",
          port: relay?.port ?? port,
          name,
          signal: stop.signal,
          log(line) {
            print(line);
            saw(`[${name}] ${line}`);
          },
          async console() {
            if (step >= steps.length) return await new Promise<never>(() => {});
            const [text, ready] = steps[step++];
            await until(ready);
            return text;
          },
        }));
        // Join in order: each waits until the server has logged the one before.
        await until(() => seen.some((line) => line.startsWith(`[server] ${name} joined`)));
      }
      try {
        await Promise.all(clients);
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
