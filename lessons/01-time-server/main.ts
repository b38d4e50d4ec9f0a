/**
 * Lesson 1 launcher: `server`, `client`, and with no command a demo of both.
 * The same file stands in lessons/ and solutions/; you write server.ts and
 * client.ts, not this.
 *
 * @module
 */
import { hostPort, labelled, learnerLanguage, log, parsePort, parsePositive, runProgram } from "@course/program.ts";
import { ladder, LADDER_WORDS, Relay } from "@course/trace.ts";
import { runServer } from "./server.ts";
import { runClient } from "./client.ts";

const address = (v: { host: string; port: string; unix?: string }) =>
  v.unix === undefined ? hostPort(v.host, Number(v.port)) : `unix:${v.unix}`;

const code = await runProgram({
  name: "deno task lesson-1",
  about: { en: "Lesson 1: a TCP time server and its client.", ru: "Урок 1: TCP-сервер времени и его клиент." },
  commands: {
    server: {
      summary: {
        en: "serve the current time to every client that connects",
        ru: "отдавать текущее время каждому подключившемуся клиенту",
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
        unix: {
          type: "string",
          help: {
            en: "listen on this Unix socket path instead (AF_UNIX)",
            ru: "слушать вместо этого Unix-сокет по указанному пути (AF_UNIX)",
          },
        },
        backlog: {
          type: "string",
          default: "128",
          help: {
            en: "connections that may wait for accept (listen(n)); TCP only",
            ru: "сколько соединений может ждать accept (listen(n)); только TCP",
          },
        },
      },
      address,
      run: (v, signal) =>
        runServer({
          host: v.host,
          port: parsePort(v.port),
          unix: v.unix,
          backlog: parsePositive("backlog", v.backlog),
          log,
          signal,
        }),
    },
    client: {
      summary: {
        en: "ask a time server for the time and print it",
        ru: "спросить время у сервера времени и напечатать его",
      },
      options: {
        host: { type: "string", default: "localhost", help: { en: "the server's host", ru: "хост сервера" } },
        port: { type: "string", default: "8000", help: { en: "the server's port", ru: "порт сервера" } },
        unix: {
          type: "string",
          help: {
            en: "connect to this Unix socket path instead (AF_UNIX)",
            ru: "подключиться вместо этого к Unix-сокету по указанному пути (AF_UNIX)",
          },
        },
        timeout: {
          type: "string",
          default: "5000",
          help: { en: "give up after this many ms", ru: "сколько мс ждать, прежде чем сдаться" },
        },
      },
      address,
      run: (v) =>
        runClient({
          host: v.host,
          port: parsePort(v.port),
          unix: v.unix,
          timeoutMs: parsePositive("timeout", v.timeout),
          log: console.log,
        }),
    },
  },
  // The demo: a server on a free port and two clients, in one terminal; with --trace, through a relay that draws it.
  traces: true,
  async demo(_signal, trace = false) {
    const stop = new AbortController();
    const serverLog = labelled("server", "magenta");
    const { promise: ready, resolve } = Promise.withResolvers<number>();
    const server = runServer({
      host: "127.0.0.1",
      port: 0,
      backlog: 128,
      signal: stop.signal,
      log(line) {
        serverLog(line);
        const port = line.match(/^listening on .*:(\d+)$/)?.[1];
        if (port) resolve(Number(port));
      },
    });
    try {
      const port = await Promise.race([ready, server.then(() => Promise.reject(new Error("server stopped")))]);
      const relay = trace ? Relay.start({ hostname: "127.0.0.1", port }) : undefined;
      try {
        for (let i = 0; i < 2; i++) {
          await runClient({
            host: "127.0.0.1",
            port: relay?.port ?? port,
            timeoutMs: 5000,
            log: labelled("client", "cyan"),
          });
        }
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
