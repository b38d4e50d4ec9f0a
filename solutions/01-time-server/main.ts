/**
 * Lesson 1 launcher: `server`, `client`, and with no command a demo of both.
 * The same file stands in lessons/ and solutions/; you write server.ts and
 * client.ts, not this.
 *
 * @module
 */
import { hostPort, labelled, log, parsePort, parsePositive, runProgram } from "@course/program.ts";
import { runServer } from "./server.ts";
import { runClient } from "./client.ts";

const address = (v: { host: string; port: string; unix?: string }) =>
  v.unix === undefined ? hostPort(v.host, Number(v.port)) : `unix:${v.unix}`;

const code = await runProgram({
  name: "deno task lesson-1",
  about: "Lesson 1: a TCP time server and its client.",
  commands: {
    server: {
      summary: "serve the current time to every client that connects",
      options: {
        host: { type: "string", default: "localhost", help: "address to listen on (::1 for IPv6)" },
        port: { type: "string", default: "8000", help: "port to listen on; 0 picks a free one" },
        unix: { type: "string", help: "listen on this Unix socket path instead (AF_UNIX)" },
        backlog: { type: "string", default: "128", help: "connections that may wait for accept (listen(n)); TCP only" },
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
      summary: "ask a time server for the time and print it",
      options: {
        host: { type: "string", default: "localhost", help: "the server's host" },
        port: { type: "string", default: "8000", help: "the server's port" },
        unix: { type: "string", help: "connect to this Unix socket path instead (AF_UNIX)" },
        timeout: { type: "string", default: "5000", help: "give up after this many ms" },
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
  // The demo: a server on a free port and two clients, in one terminal.
  async demo() {
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
      for (let i = 0; i < 2; i++) {
        await runClient({ host: "127.0.0.1", port, timeoutMs: 5000, log: labelled("client", "cyan") });
      }
    } finally {
      stop.abort();
      await server;
    }
  },
}, Deno.args);
Deno.exit(code);
