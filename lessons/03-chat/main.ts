/**
 * Lesson 3 launcher: `server`, `client`, `compare`, and with no command a
 * demo: a server and three scripted clients chatting. The same file stands in
 * lessons/ and solutions/; you write server.ts and client.ts.
 *
 * @module
 */
import { hostPort, labelled, log, parsePort, parsePositive, runProgram, UsageError } from "@course/program.ts";
import { lineReader, MAX_LINE } from "./framing.ts";
import { runServer } from "./server.ts";
import { runClient } from "./client.ts";
import { runCompare } from "./compare.ts";

/** A whole number of at least 0 (`--rate 0` turns the limit off). */
function parseCount(flag: string, text: unknown): number {
  if (!/^\d+$/.test(String(text))) throw new UsageError(`--${flag} must be a whole number, got '${text}'`);
  return Number(text);
}

const code = await runProgram({
  name: "deno task lesson-3",
  about: "Lesson 3: a chat server for many clients at once, and its client.",
  commands: {
    server: {
      summary: "relay every client's lines to all the others; lines typed here go to everyone",
      options: {
        host: { type: "string", default: "localhost", help: "address to listen on (::1 for IPv6)" },
        port: { type: "string", default: "8000", help: "port to listen on; 0 picks a free one" },
        "max-line": { type: "string", default: String(MAX_LINE), help: "longest line accepted, in bytes" },
        "max-queue": {
          type: "string",
          default: String(256 * 1024),
          help: "bytes waiting for one client before it is dropped as too slow",
        },
        "max-clients": { type: "string", default: "256", help: "connections at once; more are turned away" },
        rate: { type: "string", default: "20", help: "lines a second one client may send (0: no limit)" },
        burst: { type: "string", default: "100", help: "lines one client may send at once before the rate applies" },
      },
      address: (v) => hostPort(v.host, Number(v.port)),
      run(v, signal) {
        const maxLine = parsePositive("max-line", v["max-line"]);
        const maxQueue = parsePositive("max-queue", v["max-queue"]);
        // The server relays lines in batches of up to 64 KiB; a queue must hold one.
        if (maxQueue < 64 * 1024 + maxLine) {
          throw new UsageError(
            `--max-queue must be at least ${64 * 1024 + maxLine} bytes (one 64 KiB batch and a line)`,
          );
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
      summary: "join the chat: lines you type go to everyone, theirs are printed as they come",
      options: {
        host: { type: "string", default: "localhost", help: "the server's host" },
        port: { type: "string", default: "8000", help: "the server's port" },
        name: { type: "string", default: "guest", help: "your name in the chat (letters, digits, _ and -)" },
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
      summary: "measure one-client-at-a-time against all-at-once serving",
      options: {
        clients: { type: "string", default: "10", help: "clients connecting at once" },
        work: { type: "string", default: "100", help: "ms each client keeps the server busy" },
      },
      run: (v) => runCompare({ clients: parsePositive("clients", v.clients), workMs: parseCount("work", v.work), log }),
    },
  },
  // The demo: a server and three clients in one process. Each scripted
  // console types its next line only once the previous one was seen by all.
  async demo() {
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
      const clients: Promise<void>[] = [];
      for (const [name, colour, steps] of scripts) {
        const print = labelled(name, colour);
        let step = 0;
        clients.push(runClient({
          host: "127.0.0.1",
          port,
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
      await Promise.all(clients);
    } finally {
      stop.abort();
      await server;
    }
  },
}, Deno.args);
Deno.exit(code);
