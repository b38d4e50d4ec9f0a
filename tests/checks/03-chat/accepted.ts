/**
 * Lesson 3's accepted variants: right in other words and other styles. Each
 * must pass every check, so no check can demand the reference's own wording
 * or its own way of doing things.
 *
 * @module
 */
import type { Accepted } from "../../harness/check.ts";

export const accepted: Accepted[] = [
  {
    id: "reworded",
    differs:
      "every message the text leaves free is reworded: logs, the slow-down and full-house notices, the reasons for a drop, the empty room, the client's last lines",
    file: "server.ts",
    patch: [
      [
        "options.log(`${client.name} sends more than ${options.rate} lines/s; reading it more slowly`);",
        "options.log(`throttling ${client.name}: over ${options.rate} lines per second`);",
      ],
      [
        "`* slow down: more than ${options.rate} lines a second\\n`",
        "`* slow down: please keep under ${options.rate} lines per second\\n`",
      ],
      ['"left in the middle of a line"', '"left mid-line"'],
      ["`line longer than ${options.maxLine} bytes`", "`a line over the ${options.maxLine}-byte limit`"],
      [
        '"* error: that line is not UTF-8 text; it was not sent\\n"',
        '"* error: only UTF-8 text is relayed; that line was dropped\\n"',
      ],
      [
        "`* error: the server is full (${options.maxClients} clients); try again later`",
        "`* error: no free place (all ${options.maxClients} taken), come back later`",
      ],
      ['"nobody else yet"', '"just you"'],
      [
        'this.options.log(`${name} joined from ${peer}${name !== wanted ? ` (asked for ${wanted})` : ""}`);',
        'this.options.log(`welcomed ${name} (${peer}${name !== wanted ? `, wanted ${wanted}` : ""})`);',
      ],
      [
        "this.options.log(`${why}: closing ${this.#clients.size + this.arriving.size} connection(s)`);",
        "this.options.log(`shutting down (${why}), ${this.#clients.size + this.arriving.size} to close`);",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        'options.log(saidExit ? "you left the chat" : `the server at ${server} closed the connection`);',
        'options.log(saidExit ? "bye, you are out" : `connection closed by ${server}`);',
      ]],
    }],
  },
  {
    id: "other-style",
    differs:
      "another style: the broadcast filters an array copy, a name is found with a while loop, the writer sends one queued piece per write; the client prints each line after the time of day, reads with while (true), and says so and exits 0 when its connection is reset",
    file: "server.ts",
    patch: [
      [
        "    for (const client of this.#clients.values()) {\n      if (client !== from) client.send(bytes);\n    }",
        "    [...this.#clients.values()].filter((client) => client !== from).forEach((client) => client.send(bytes));",
      ],
      [
        '    let name = wanted;\n    for (let n = 2; this.#clients.has(name) || name === "server"; n++) name = `${wanted}${n}`;',
        '    const taken = (name: string) => name === "server" || this.#clients.has(name);\n    let n = 1;\n    let name = wanted;\n    while (taken(name)) name = `${wanted}${++n}`;',
      ],
      [
        "        let count = 1;\n        let size = this.#queue[0].length;\n        while (\n          size < SHARED_PIECE && count < this.#queue.length && this.#queue[count].length < SHARED_PIECE &&\n          size + this.#queue[count].length <= COALESCE_BYTES\n        ) {\n          size += this.#queue[count++].length;\n        }\n        const batch = count === 1 ? this.#queue[0] : concat(this.#queue.slice(0, count), size);\n        this.#queue.splice(0, count);",
        "        const batch = this.#queue.shift()!;",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        "      for (let line = await incoming(); line !== null; line = await incoming()) options.log(line);",
        "      try {\n        while (true) {\n          const line = await incoming();\n          if (line === null) break;\n          options.log(`${new Date().toTimeString().slice(0, 8)} ${line}`);\n        }\n      } catch (error) {\n        options.log(`lost the connection: ${error instanceof Error ? error.name : error}`);\n      }",
      ]],
    }],
  },
  {
    id: "other-order-other-language",
    differs:
      "other orders and another language: the others hear of a newcomer before it is in the registry, the welcome lists names sorted, a leaver's notice goes out before its close starts; every log line is in Russian; the client prints by recursion and writes each line with its own loop",
    file: "server.ts",
    patch: [
      [
        '    const client = new Client(conn, name, peer, this);\n    const others = [...this.#clients.keys()];\n    this.#clients.set(name, client);\n    client.send(encoder.encode(`* welcome, ${name}; here: ${others.length ? others.join(", ") : "nobody else yet"}\\n`));\n    this.announce(encoder.encode(`* ${name} joined\\n`), client);\n    this.options.log(`${name} joined from ${peer}${name !== wanted ? ` (asked for ${wanted})` : ""}`);',
        '    const others = [...this.#clients.keys()].sort();\n    const client = new Client(conn, name, peer, this);\n    this.broadcast(undefined, encoder.encode(`* ${name} joined\\n`));\n    this.#clients.set(name, client);\n    client.send(encoder.encode(`* welcome, ${name}; here: ${others.join(", ") || "nobody else yet"}\\n`));\n    this.options.log(`к чату подключился ${name} (адрес ${peer}, просил имя ${wanted})`);',
      ],
      [
        "    this.#clients.delete(client.name);\n    const closing = client.close(last);\n    this.#closing.add(closing);\n    closing.finally(() => this.#closing.delete(closing));\n    this.announce(encoder.encode(`* ${client.name} ${how}\\n`));\n    this.options.log(`${client.name} ${how}`);",
        "    const { name } = client;\n    this.#clients.delete(name);\n    this.options.log(`${name} больше не в чате: ${how}`);\n    this.broadcast(undefined, encoder.encode(`* ${name} ${how}\\n`));\n    const closing = client.close(last);\n    this.#closing.add(closing);\n    void closing.then(() => this.#closing.delete(closing));",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [
        [
          "      for (let line = await incoming(); line !== null; line = await incoming()) options.log(line);",
          "      const next = async (): Promise<void> => {\n        const line = await incoming();\n        if (line === null) return;\n        options.log(line);\n        return next();\n      };\n      await next();",
        ],
        [
          '        await sendLine(conn, line);\n        if (line === "exit") {\n          saidExit = true;\n          return;\n        }',
          '        const bytes = encoder.encode(line + "\\n");\n        let at = 0;\n        while (at < bytes.length) at += await conn.write(bytes.subarray(at));\n        saidExit = line === "exit";\n        if (saidExit) return;',
        ],
      ],
    }],
  },
];
