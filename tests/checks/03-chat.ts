/**
 * Lesson 3's checks: the chat server against the grader's raw clients (and a
 * few of the learner's own), then the learner's client against the grader
 * playing the server. Core checks come first; the hardening section throws
 * at the server what real chat servers meet: resets mid-broadcast, readers
 * that stall, floods, huge lines, a hundred clients, a full house.
 *
 * @module
 */
import type { Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import { visible } from "../harness/bytes.ts";
import { sleep } from "../harness/deadline.ts";
import type { Address, LearnerProcess } from "../harness/process.ts";
import { Peer, resetConnection } from "../harness/socket.ts";
import { assertAlive, expectClientLeaves, startServer, tcpAddress } from "../harness/programs.ts";
import { clientRefused, portInUse } from "./common.ts";

/** How long a line may take to reach a client. */
const DELIVERY_MS = 3000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Starts the learner's chat server with a console the grader can type at. */
function startChat(trial: Trial, args: string[] = []): Promise<{ server: LearnerProcess; address: Address }> {
  return startServer(trial, { args: ["--host", "127.0.0.1", "--port", "0", ...args], stdin: "piped" });
}

/** One of the grader's raw chat clients. */
class Member {
  /** The name the server gave it (from its welcome line). */
  name = "";
  #judged = 0;
  private constructor(readonly peer: Peer, readonly asked: string) {}

  /**
   * Connects and sends `name` as the first line, then waits for the welcome
   * and reads the final name from it. With `read: false`, it reads nothing,
   * ever (not even the welcome): a client that has stalled.
   */
  static async join(trial: Trial, address: Address, name: string, read = true): Promise<Member> {
    const peer = await Peer.connect(address, trial.transcript, name, 3000, { read });
    trial.defer(peer);
    const member = new Member(peer, name);
    await peer.write(encoder.encode(`${name}\n`));
    if (read) await member.welcomed();
    else member.name = name;
    return member;
  }

  /** Every complete line received so far. */
  lines(): string[] {
    const text = decoder.decode(this.peer.received);
    return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").slice(0, -1);
  }

  /** Waits for the welcome line, `* welcome, NAME; …`, and takes the name from it. */
  async welcomed(): Promise<void> {
    await this.peer.readUntil((data) => data.includes(0x0a), DELIVERY_MS);
    const first = this.lines()[0];
    const name = first?.match(/^\* welcome, ([^;\s]+);/)?.[1];
    if (!name) {
      throw new CheckFailure(`${this.asked} got no welcome line after sending its name`, {
        expected: `"* welcome, ${this.asked}; here: …\\n" as the first line`,
        actual: first === undefined ? visible(this.peer.received) || "nothing" : visible(first),
      });
    }
    this.name = name;
    this.#judged = 1;
  }

  /** Sends raw text or bytes. */
  say(text: string | Uint8Array): Promise<void> {
    return this.peer.write(typeof text === "string" ? encoder.encode(text) : text);
  }

  /** Lines received since the last call of `take`. */
  take(): string[] {
    const lines = this.lines();
    const fresh = lines.slice(this.#judged);
    this.#judged = lines.length;
    return fresh;
  }

  /** Waits until a line satisfying `test` has arrived (after the ones taken). */
  async expectLine(test: (line: string) => boolean, what: string, ms = DELIVERY_MS): Promise<string> {
    const found = () => this.lines().slice(this.#judged).find(test);
    await this.peer.readUntil(() => found() !== undefined, ms);
    const line = found();
    if (line === undefined) {
      throw new CheckFailure(`${this.name || this.asked} did not receive ${what} within ${ms / 1000} s`, {
        actual: `received since: ${visible(this.lines().slice(this.#judged).join("\n") || "(nothing)", 300)}`,
      });
    }
    return line;
  }

  /** Waits until `lines` have all arrived, in this order, each once, with nothing between them but notices. */
  async expectExactly(lines: string[], situation: string, ms = DELIVERY_MS): Promise<void> {
    const last = lines.at(-1)!;
    await this.peer.readUntil(() => this.lines().slice(this.#judged).includes(last), ms);
    const got = this.take().filter((line) => !line.startsWith("* "));
    const missing = lines.filter((line) => !got.includes(line));
    if (missing.length > 0) {
      throw new CheckFailure(
        `${this.name} did not receive ${missing.length} of the ${lines.length} line(s) within ${
          ms / 1000
        } s (${situation})`,
        {
          expected: visible(missing.slice(0, 3).join("\n")),
          actual: visible(got.slice(0, 5).join("\n") || "(nothing)"),
        },
      );
    }
    const twice = lines.find((line) => got.filter((g) => g === line).length > 1);
    if (twice) {
      throw new CheckFailure(`${this.name} received a line more than once (${situation})`, {
        expected: "each line once",
        actual: visible(twice),
      });
    }
    const order = got.filter((line) => lines.includes(line));
    const wrong = order.findIndex((line, i) => line !== lines[i]);
    if (wrong >= 0) {
      throw new CheckFailure(`${this.name} received the lines out of order (${situation})`, {
        expected: visible(lines.slice(wrong, wrong + 2).join("\n")),
        actual: visible(order.slice(wrong, wrong + 2).join("\n")),
      });
    }
  }

  /** Waits `ms` and fails if any line that `unwanted` matches came meanwhile. */
  async expectNone(unwanted: (line: string) => boolean, what: string, ms = 300): Promise<void> {
    await sleep(ms);
    const bad = this.lines().slice(this.#judged).find(unwanted);
    if (bad !== undefined) {
      throw new CheckFailure(`${this.name} received ${what}`, { expected: "no such line", actual: visible(bad) });
    }
  }
}

/** A line every member but `except` must receive once, as `sender: text`. */
async function everyoneGets(members: Member[], except: Member | undefined, lines: string[], situation: string) {
  await Promise.all(members.filter((m) => m !== except).map((m) => m.expectExactly(lines, situation)));
}

const numbered = (name: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `${name} line ${String(from + i).padStart(4, "0")}`);

/** The grader as the server, for the learner's client: accepts it and reads its name. */
async function clientJoins(trial: Trial, name: string): Promise<{ client: LearnerProcess; peer: Peer }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  trial.defer({ [Symbol.dispose]: () => listener.close() });
  const client = trial.start(
    "client",
    ["client", "--host", "127.0.0.1", "--port", String(listener.addr.port), "--name", name],
    { stdin: "piped" },
  );
  const peer = await Peer.accept(listener, trial.transcript);
  trial.defer(peer);
  const named = await peer.readUntil((data) => data.includes(0x0a), DELIVERY_MS);
  const first = decoder.decode(peer.received).split("\n")[0];
  if (!named || first !== name) {
    throw new CheckFailure("the client did not send its name as the first line", {
      expected: visible(`${name}\n`),
      actual: visible(peer.received) || "nothing",
    });
  }
  await peer.write(encoder.encode(`* welcome, ${name}; here: ann, ben\n`));
  return { client, peer };
}

/** Waits for the learner's client to print `line`. */
async function expectPrinted(client: LearnerProcess, line: string, situation: string): Promise<void> {
  try {
    await client.waitFor(() => client.stdout.includes(line) || undefined, DELIVERY_MS, visible(line));
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure(`${error.message} (${situation})`, {
      expected: visible(line),
      actual: visible(client.stdout.join("\n") || "(nothing on stdout)"),
    });
  }
}

const core: Check[] = [
  {
    id: "announces-address",
    title: "the server prints 'listening on HOST:PORT' with the real port",
    covers: "given",
    hint: {
      en: "As in lessons 1 and 2: listen, then log `listening on ${formatAddr(listener.addr)}`.",
      ru: "Как в уроках 1 и 2: откройте слушающий сокет, затем выведите `listening on ${formatAddr(listener.addr)}`.",
    },
    async run(trial) {
      await startChat(trial);
    },
  },
  {
    id: "welcome-and-join",
    title: "a client is welcomed by name, and the others are told it joined",
    hint: {
      en:
        "The first line a client sends is its name. Answer `* welcome, NAME; here: …`, then tell everyone else `* NAME joined`.",
      ru:
        "Первая строка от клиента — его имя. Ответьте `* welcome, ИМЯ; here: …`, затем сообщите остальным `* ИМЯ joined`.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      await ann.expectLine((line) => line === `* ${ben.name} joined`, `"* ${ben.name} joined"`);
      await ben.expectNone((line) => line === `* ${ben.name} joined`, "the notice of its own arrival");
    },
  },
  {
    id: "relay-to-others",
    title: "a line goes to every other client as 'name: text', once, and not back to its sender",
    hint: {
      en:
        "Keep the clients in a registry (a Map by name). For each line, send `name: text` to every client but the sender.",
      ru:
        "Храните клиентов в реестре (Map по имени). Каждую строку отправляйте как `имя: текст` всем, кроме отправителя.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const members = [];
      for (const name of ["ann", "ben", "cat"]) members.push(await Member.join(trial, address, name));
      const [ann] = members;
      await sleep(200);
      members.forEach((m) => m.take());
      await ann.say("hello from ann\n");
      await everyoneGets(members, ann, [`${ann.name}: hello from ann`], "ann sent one line");
      await ann.expectNone((line) => line.endsWith("hello from ann"), "its own line back (echo)");
    },
  },
  {
    id: "order-per-sender",
    title: "lines from two senders at once arrive whole and in each sender's order",
    hint: {
      en:
        "Relay a client's lines in the order they arrived. Queue each recipient's bytes and write them in order; never let two writes to one socket race.",
      ru:
        "Пересылайте строки клиента в порядке прихода. Складывайте байты для каждого получателя в очередь и пишите по порядку; не допускайте двух одновременных записей в один сокет.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const members = [];
      for (const name of ["ann", "ben", "cat"]) members.push(await Member.join(trial, address, name));
      const [ann, ben, cat] = members;
      await sleep(200);
      members.forEach((m) => m.take());
      // 40 lines each, in one write each, at the same moment.
      const annLines = numbered("ann", 40);
      const benLines = numbered("ben", 40);
      await Promise.all([
        ann.say(annLines.map((l) => `${l}\n`).join("")),
        ben.say(benLines.map((l) => `${l}\n`).join("")),
      ]);
      const last = [`${ann.name}: ${annLines.at(-1)}`, `${ben.name}: ${benLines.at(-1)}`];
      await cat.peer.readUntil(() => last.every((l) => cat.lines().includes(l)), DELIVERY_MS);
      const got = cat.take().filter((line) => !line.startsWith("* "));
      for (const [who, lines] of [[ann, annLines], [ben, benLines]] as const) {
        const mine = got.filter((line) => line.startsWith(`${who.name}: `)).map((l) => l.slice(who.name.length + 2));
        const wrong = lines.findIndex((line, i) => mine[i] !== line);
        if (wrong >= 0 || mine.length !== lines.length) {
          throw new CheckFailure(`cat received ${who.name}'s 40 lines wrongly: lost, doubled, cut or reordered`, {
            expected: visible(`${who.name}: ${lines[Math.max(wrong, 0)]}`),
            actual: mine[wrong] === undefined
              ? `${mine.length} of ${who.name}'s lines arrived`
              : visible(`${who.name}: ${mine[wrong]}`),
          });
        }
      }
      await everyoneGets([ann], undefined, benLines.map((l) => `${ben.name}: ${l}`), "ben sent 40 lines at once");
    },
  },
  {
    id: "unique-names",
    title: "a second client asking for a taken name gets another, and is told which",
    hint: {
      en: "If the name is taken, add a number (dup2, dup3…) and say the final name in the welcome line.",
      ru: "Если имя занято, добавьте число (dup2, dup3…) и назовите итоговое имя в приветствии.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const first = await Member.join(trial, address, "dup");
      const second = await Member.join(trial, address, "dup");
      if (second.name === first.name) {
        throw new CheckFailure("two clients got the same name", {
          expected: `the second one named something other than "${first.name}"`,
          actual: `both are "${first.name}"`,
        });
      }
      await first.expectLine((line) => line === `* ${second.name} joined`, `"* ${second.name} joined"`);
      await second.say("who am I?\n");
      await first.expectLine((line) => line === `${second.name}: who am I?`, `"${second.name}: who am I?"`);
    },
  },
  {
    id: "leave-notice",
    title: "when a client closes its connection, the others are told it left",
    hint: {
      en: "read() gives null when a client hangs up: remove it from the registry and tell the others `* NAME left`.",
      ru: "read() возвращает null, когда клиент отключился: уберите его из реестра и сообщите остальным `* ИМЯ left`.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      await ben.peer[Symbol.asyncDispose]();
      await ann.expectLine((line) => line.startsWith(`* ${ben.name} left`), `"* ${ben.name} left"`);
      assertAlive(server, "a client hung up");
    },
  },
  {
    id: "client-exit",
    title: "a client's 'exit' gets it a goodbye and a closed connection; the others are told it left",
    hint: {
      en:
        'When a client sends "exit": send it a goodbye line, close its connection, remove it, tell the others `* NAME left`.',
      ru:
        'Если клиент прислал "exit": отправьте ему прощальную строку, закройте соединение, уберите из реестра, сообщите остальным `* ИМЯ left`.',
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      ben.take();
      await ben.say("exit\n");
      if (!await ben.peer.waitForEof(DELIVERY_MS)) {
        throw new CheckFailure(`the server did not close ${ben.name}'s connection after it said "exit"`, {
          expected: "a goodbye line, then EOF",
          actual: `${visible(ben.take().join("\n") || "(nothing)")} and the connection still open`,
        });
      }
      if (ben.take().length === 0) {
        throw new CheckFailure(`${ben.name} said exit and was closed without a word`, {
          expected: 'a line such as "* goodbye" before the connection closes',
          actual: "nothing",
        });
      }
      await ann.expectLine((line) => line.startsWith(`* ${ben.name} left`), `"* ${ben.name} left"`);
      await ann.expectNone((line) => line === `${ben.name}: exit`, `"${ben.name}: exit" relayed as a chat line`, 0);
    },
  },
  {
    id: "server-console",
    title: "a line typed at the server's console reaches every client as 'server: text'",
    hint: {
      en: "Read the console in its own loop, next to the accept loop; broadcast each line to all clients.",
      ru: "Читайте консоль в отдельном цикле, рядом с циклом accept; каждую строку рассылайте всем клиентам.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const members = [await Member.join(trial, address, "ann"), await Member.join(trial, address, "ben")];
      await sleep(200);
      members.forEach((m) => m.take());
      await server.type("attention, please\n");
      await everyoneGets(members, undefined, ["server: attention, please"], "typed at the server's console");
    },
  },
  {
    id: "server-exit",
    title: "'exit' at the server's console tells every client, closes them all, and exits 0",
    hint: {
      en:
        "On exit: send every client a notice, close every connection, stop accepting, and return so the program ends with 0.",
      ru:
        "По exit: отправьте каждому клиенту уведомление, закройте все соединения, перестаньте принимать новые и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const members = [await Member.join(trial, address, "ann"), await Member.join(trial, address, "ben")];
      await sleep(200);
      members.forEach((m) => m.take());
      await server.type("exit\n");
      for (const member of members) {
        if (!await member.peer.waitForEof(DELIVERY_MS) || member.take().length === 0) {
          throw new CheckFailure(`${member.name} was not told and disconnected when the server said exit`, {
            expected: 'a notice line such as "* the server is shutting down", then EOF',
            actual: `${visible(member.lines().slice(-1)[0] ?? "(nothing)")}${member.peer.eof ? ", then EOF" : ""}`,
          });
        }
      }
      const status = await server.exitWithin(DELIVERY_MS);
      if (status?.code !== 0) {
        throw new CheckFailure("the server did not exit with code 0 after 'exit' at its console", {
          expected: "exit code 0 within 3 s",
          actual: status ? `exit code ${status.code}` : "still running",
        });
      }
    },
  },
  {
    id: "learner-clients",
    title: "three of your clients chat through your server: each prints what the others type",
    hint: {
      en:
        "The client prints each line from the server as it comes, while waiting for the console: two loops, at the same time.",
      ru:
        "Клиент печатает каждую строку от сервера сразу, пока ждёт ввода с консоли: два цикла, работающих одновременно.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { address: announced } = await startChat(trial);
      const address = tcpAddress(announced);
      const names = ["amy", "bob", "cyd"];
      // One at a time, each welcomed before the next starts, so all three are in the room.
      const clients: LearnerProcess[] = [];
      for (const name of names) {
        const client = trial.start(name, [
          "client",
          "--host",
          address.host,
          "--port",
          String(address.port),
          "--name",
          name,
        ], {
          stdin: "piped",
        });
        await client.waitFor(() => client.stdout.find((l) => l.startsWith("* welcome")), 8000, "its welcome");
        clients.push(client);
      }
      for (const [i, client] of clients.entries()) {
        const text = `${names[i]} says hi, привет`;
        await client.type(`${text}\n`);
        for (const [j, other] of clients.entries()) {
          if (j !== i) await expectPrinted(other, `${names[i]}: ${text}`, `${names[i]} typed it at its console`);
        }
      }
    },
  },
];

const hardening: Check[] = [
  {
    id: "reset-mid-broadcast",
    title: "a client that resets its connection mid-broadcast costs nobody else a line",
    hint: {
      en:
        "A write to a reset client fails. Catch that per recipient: the broadcast must reach every other client, and the server must live on.",
      ru:
        "Запись клиенту, сбросившему соединение, падает. Ловите ошибку для каждого получателя отдельно: рассылка должна дойти до всех остальных, а сервер — продолжить работу.",
    },
    timeoutMs: 40_000,
    async run(trial) {
      const { server, address: announced } = await startChat(trial);
      const address = tcpAddress(announced);
      // rex joins first (a broadcast meets it first), reads nothing, and resets 1.5 s later.
      const resets = resetConnection(address.host, address.port, 5000, encoder.encode("rex\n"), 1500);
      // However the check ends, it ends after rex's reset (at most 5 s).
      trial.defer({ [Symbol.asyncDispose]: () => resets.catch(() => {}) });
      await sleep(150);
      const ann = await Member.join(trial, address, "ann");
      const ben = await Member.join(trial, address, "ben");
      await sleep(100);
      ben.take();
      ann.take();
      // 8 MB from the console, while rex's buffers fill and it resets.
      const lines = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(5, "0")} ${"r".repeat(4000)}`);
      for (let i = 0; i < lines.length; i += 50) {
        await server.type(lines.slice(i, i + 50).map((l) => `${l}\n`).join(""), 10_000);
      }
      await resets;
      trial.transcript.event("grader", "rex reset its connection while the lines were being relayed");
      // Give the server a moment to meet the reset before judging it.
      await sleep(300);
      const last = `server: ${lines.at(-1)}\n`;
      await ben.peer.readUntil(
        (data) => data.length > last.length && decoder.decode(data.subarray(data.length - last.length)) === last,
        10_000,
      );
      assertAlive(server, "a client reset its connection during a broadcast");
      await ben.expectExactly(lines.map((l) => `server: ${l}`), "rex reset its connection meanwhile", 1000);
    },
  },
  {
    id: "slow-reader",
    title: "a client that stops reading is dropped; the others keep receiving",
    hint: {
      en:
        "Never await one client's write inside the broadcast. Give each client a queue with a byte limit; when a client's queue overflows, drop that client.",
      ru:
        "Не ждите записи одному клиенту внутри рассылки. Дайте каждому клиенту очередь с лимитом в байтах; переполнилась — отключите этого клиента.",
    },
    timeoutMs: 40_000,
    async run(trial) {
      const { server, address } = await startChat(trial);
      const sleeper = await Member.join(trial, address, "sleepy", false);
      const ben = await Member.join(trial, address, "ben");
      if (!ben.lines()[0].includes("sleepy")) {
        throw new CheckFailure("sleepy (which reads nothing) was not in the room when ben joined", {
          expected: '"* welcome, ben; here: sleepy"',
          actual: visible(ben.lines()[0]),
        });
      }
      await sleep(100);
      ben.take();
      // 16 MiB from the console: far more than sleepy's socket buffers and queue can hold.
      const filler = "z".repeat(4000);
      const count = 4096;
      const typing = (async () => {
        for (let i = 0; i < count; i += 64) {
          const batch = Array.from({ length: 64 }, (_, j) => `${String(i + j).padStart(5, "0")} ${filler}\n`).join("");
          await server.type(batch, 10_000);
        }
      })();
      const last = `server: ${String(count - 1).padStart(5, "0")} ${filler}`;
      const started = performance.now();
      const arrived = await ben.peer.readUntil(
        (data) =>
          data.length > last.length && decoder.decode(data.subarray(data.length - last.length - 1)) === `${last}\n`,
        10_000,
      );
      await typing;
      if (!arrived) {
        const got = ben.lines().filter((line) => line.startsWith("server: ")).length;
        throw new CheckFailure(
          `ben received only ${got} of ${count} lines within 10 s while sleepy read nothing: one stalled reader holds up everyone`,
          { expected: `all ${count} lines`, actual: `${got} lines` },
        );
      }
      trial.transcript.event(
        "grader",
        `ben had all ${count} lines after ${Math.round(performance.now() - started)} ms`,
      );
      const dropped = await ben.peer.readUntil(
        () => ben.lines().some((line) => line.startsWith(`* ${sleeper.name} `)),
        2000,
      );
      if (!dropped) {
        throw new CheckFailure("the client that stopped reading was never dropped: its queue grows without limit", {
          expected: `sleepy's connection closed and "* ${sleeper.name} …" (left / dropped) sent to the others`,
          actual: "no notice about sleepy after 16 MiB it never read",
        });
      }
      assertAlive(server, "a client stopped reading");
    },
  },
  {
    id: "flood",
    title: "a client sending far more lines than a person types is slowed down or dropped",
    hint: {
      en:
        "Count each client's lines per second (a token bucket). Past the rate, tell it and read it more slowly, or drop it.",
      ru:
        "Считайте строки каждого клиента в секунду (token bucket). Превысил — скажите ему об этом и читайте его медленнее или отключите.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const flood = await Member.join(trial, address, "flood");
      const ben = await Member.join(trial, address, "ben");
      const cat = await Member.join(trial, address, "cat");
      await sleep(200);
      [flood, ben, cat].forEach((m) => m.take());
      const lines = numbered("spam", 2000);
      await flood.say(lines.map((l) => `${l}\n`).join("")).catch(() => {});
      await sleep(100);
      await cat.say("still there?\n");
      await ben.expectLine((line) => line === `${cat.name}: still there?`, `cat's line while flood was flooding`, 1500);
      await sleep(1000);
      const relayed = ben.lines().filter((line) => line.startsWith(`${flood.name}: spam`)).length;
      const told = flood.lines().slice(1).some((line) => line.startsWith("* "));
      if (relayed >= 1000 && !flood.peer.done) {
        throw new CheckFailure(`all of flood's lines went through at once: ${relayed} of 2000 within about 1 s`, {
          expected: "flood slowed down (a few dozen lines a second) or dropped, and told so",
          actual: `${relayed} lines relayed; flood told: ${told ? "yes" : "no"}`,
        });
      }
      if (!told) {
        throw new CheckFailure("flood was slowed down or dropped without being told", {
          expected: 'a notice to flood, such as "* slow down: …" or "* dropped: …"',
          actual: visible(flood.lines().slice(1, 3).join("\n") || "(nothing)"),
        });
      }
      assertAlive(server, "a client flooded the chat");
    },
  },
  {
    id: "long-line",
    title: "a line over 4 KiB gets its sender disconnected with a reason; the others stay",
    hint: {
      en: "Bound the bytes kept for an unfinished line. Past 4 KiB without \\n: tell the sender why and disconnect it.",
      ru: "Ограничьте байты незаконченной строки. Больше 4 КиБ без \\n: скажите отправителю причину и отключите его.",
    },
    async run(trial) {
      const { server, address } = await startChat(trial);
      const ann = await Member.join(trial, address, "ann");
      const big = await Member.join(trial, address, "big");
      await sleep(100);
      ann.take();
      big.take();
      await big.say(new Uint8Array(64 * 1024).fill(0x78)).catch(() => {});
      if (!await big.peer.waitForEof(DELIVERY_MS) || big.take().length === 0) {
        throw new CheckFailure("the server did not disconnect the sender of a 64 KiB line, with a reason", {
          expected: 'a notice line (e.g. "* dropped: line longer than 4096 bytes"), then EOF',
          actual: `${visible(big.lines().slice(1).join("\n") || "(nothing)")}${
            big.peer.eof ? ", EOF" : ", still open"
          }`,
        });
      }
      await ann.expectLine((line) => line.startsWith(`* ${big.name} `), `a notice that ${big.name} left`);
      assertAlive(server, "a client sent a 64 KiB line");
    },
  },
  {
    id: "many-clients",
    title: "100 clients connected at once each get a line from one of them",
    hint: {
      en: "Accept without waiting for earlier clients, and keep the listen backlog large enough.",
      ru: "Принимайте, не дожидаясь предыдущих клиентов, и держите очередь listen достаточно большой.",
    },
    timeoutMs: 30_000,
    async run(trial) {
      const { address } = await startChat(trial);
      const joined = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) => Member.join(trial, address, `m${i}`)),
      );
      const members = joined.flatMap((j) => j.status === "fulfilled" ? [j.value] : []);
      if (members.length < 100) {
        throw new CheckFailure(`only ${members.length} of 100 clients were welcomed`, {
          actual: String((joined.find((j) => j.status === "rejected") as PromiseRejectedResult).reason?.message),
        });
      }
      await sleep(300);
      members.forEach((m) => m.take());
      await members[0].say("one for all\n");
      await everyoneGets(members, members[0], [`${members[0].name}: one for all`], "100 clients in the room");
    },
  },
  {
    id: "connection-cap",
    title: "past --max-clients, a new connection is told the server is full",
    hint: {
      en: "Count connections; past the cap, send one line saying the server is full and close at once.",
      ru: "Считайте соединения; сверх лимита отправьте строку о том, что сервер полон, и сразу закройте.",
    },
    async run(trial) {
      const { address } = await startChat(trial, ["--max-clients", "3"]);
      for (const name of ["ann", "ben", "cat"]) await Member.join(trial, address, name);
      const late = await Peer.connect(address, trial.transcript, "dan");
      trial.defer(late);
      await late.write(encoder.encode("dan\n")).catch(() => {});
      const closed = await late.waitForEof(DELIVERY_MS);
      const said = decoder.decode(late.received);
      if (!closed || !/full|too many|limit|max/i.test(said)) {
        throw new CheckFailure("the fourth connection to a server with --max-clients 3 was not turned away", {
          expected: 'one line such as "* error: the server is full (3 clients)", then EOF',
          actual: `${visible(said || "(nothing)")}${closed ? ", EOF" : ", still open"}`,
        });
      }
    },
  },
  portInUse("given"),
];

const client: Check[] = [
  {
    id: "client-sends-name-and-lines",
    title: "the client sends --name first, then each typed line",
    hint: {
      en: "Send the name as the first line as soon as you connect; then every line typed at the console, with \\n.",
      ru: "Сразу после подключения отправьте имя первой строкой; затем каждую строку, введённую в консоли, с \\n.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await client.type("hello, room\n");
      const arrived = await peer.readUntil((data) => decoder.decode(data).includes("zed\nhello, room\n"), DELIVERY_MS);
      if (!arrived) {
        throw new CheckFailure("the client did not send the line typed at its console", {
          expected: visible("zed\nhello, room\n"),
          actual: visible(peer.received),
        });
      }
    },
  },
  {
    id: "client-prints-idle",
    title: "the client prints lines that arrive while nothing is typed",
    hint: {
      en: "Do not wait for the console before reading the socket: read both at once, and print each line as it comes.",
      ru: "Не ждите консоль, прежде чем читать сокет: читайте оба одновременно и печатайте каждую строку сразу.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await expectPrinted(client, "* welcome, zed; here: ann, ben", "the welcome line");
      await sleep(300);
      await peer.write(encoder.encode("ann: anyone here?\n* cat joined\n"));
      await expectPrinted(client, "ann: anyone here?", "it came while nothing was typed at the client's console");
      await expectPrinted(client, "* cat joined", "it came in the same write as the line before");
    },
  },
  {
    id: "client-server-closes",
    title: "the client says so and exits 0 when the server closes the connection",
    hint: {
      en: "When the socket reaches EOF, print a line saying the server closed the connection and end with code 0.",
      ru: "Когда сокет дошёл до EOF, выведите строку о том, что сервер закрыл соединение, и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await expectPrinted(client, "* welcome, zed; here: ann, ben", "the welcome line");
      const before = client.stdout.length;
      await peer.write(encoder.encode("* the server is shutting down\n"));
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, "the server closed the connection");
      if (client.stdout.length <= before + 1 && client.stderr.length === 0) {
        throw new CheckFailure("the client left without saying that the server closed the connection", {
          expected: 'a line such as "the server closed the connection"',
          actual: visible(client.stdout.slice(before).join("\n")),
        });
      }
    },
  },
  {
    id: "client-types-exit",
    title: "exit typed at the client is sent, and the client ends",
    hint: {
      en: 'Send "exit" like any line; then wait (briefly) for the server to close, and end with code 0.',
      ru:
        'Отправьте "exit" как обычную строку; затем недолго подождите, пока сервер закроет соединение, и завершитесь с кодом 0.',
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await client.type("exit\n");
      const sent = await peer.readUntil((data) => decoder.decode(data) === "zed\nexit\n", DELIVERY_MS);
      if (!sent) {
        throw new CheckFailure('the client did not send "exit"', {
          expected: visible("zed\nexit\n"),
          actual: visible(peer.received),
        });
      }
      await peer.write(encoder.encode("* goodbye\n"));
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, "it said exit and the server closed the connection");
    },
  },
  clientRefused("given"),
];

/** Known mistakes, each patched into a copy of the reference; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "echoes-to-sender",
    mistake: "the server sends each line back to its sender too",
    file: "server.ts",
    patch: [["      if (client !== from) client.send(bytes);", "      client.send(bytes);"]],
    rejectedBy: "relay-to-others",
    message: /received its own line back \(echo\)/,
  },
  {
    id: "one-at-a-time",
    mistake: "the server serves one client at a time (awaits each client before accepting the next)",
    file: "server.ts",
    patch: [[
      "    const job = serving.size >= options.maxClients ? refuseFull(conn, options) : serve(conn, room, options);",
      "    await serve(conn, room, options);\n    const job = Promise.resolve();",
    ]],
    rejectedBy: "welcome-and-join",
    message: /ben got no welcome line after sending its name/,
  },
  {
    id: "skips-after-failure",
    mistake: "one failed write ends the broadcast: the recipients after it miss the line",
    file: "server.ts",
    patch: [[
      "    for (const client of this.#clients.values()) {\n      if (client !== from) client.send(bytes);\n    }",
      "    void (async () => {\n      try {\n        for (const client of [...this.#clients.values()]) {\n          if (client !== from) for (let at = 0; at < bytes.length;) at += await client.conn.write(bytes.subarray(at));\n        }\n      } catch { /* a client failed */ }\n    })();",
    ]],
    rejectedBy: "reset-mid-broadcast",
    message: /ben did not receive \d+ of the 2000 line\(s\)/,
  },
  {
    id: "crashes-on-reset",
    mistake: "a reset connection's error escapes and ends the server",
    file: "server.ts",
    patch: [[
      "      room.leave(client, `lost the connection (${error instanceof Error ? error.name : error})`);\n    } else {",
      "      throw error;\n    } else {",
    ]],
    rejectedBy: "reset-mid-broadcast",
    message: /the server exited \(code 1\) after a client reset its connection/,
  },
  {
    id: "stalled-reader-blocks",
    mistake: "the broadcast awaits each write in turn, so one client that stops reading stalls everyone",
    file: "server.ts",
    patch: [[
      "    for (const client of this.#clients.values()) {\n      if (client !== from) client.send(bytes);\n    }",
      "    this.#chain = this.#chain.then(async () => {\n        for (const client of [...this.#clients.values()]) {\n          if (client !== from) try { for (let at = 0; at < bytes.length;) at += await client.conn.write(bytes.subarray(at)); } catch { /* gone */ }\n        }\n    });",
    ], [
      "  readonly #closing = new Set<Promise<void>>();",
      "  readonly #closing = new Set<Promise<void>>();\n  #chain = Promise.resolve();",
    ]],
    rejectedBy: "slow-reader",
    message: /one stalled reader holds up everyone/,
  },
  {
    id: "client-waits-for-console",
    mistake: "the client reads the socket only after a line was typed",
    file: "client.ts",
    patch: [[
      "      for (let line = await incoming(); line !== null; line = await incoming()) options.log(line);",
      "      for (let line = await incoming(); line !== null; line = await incoming()) {\n        options.log(line);\n        await new Promise((resolve) => typedLine = resolve);\n      }",
    ], [
      "const encoder = new TextEncoder();",
      "const encoder = new TextEncoder();\nlet typedLine = (_?: unknown) => {};",
    ], [
      '        await sendLine(conn, line);\n        if (line === "exit") {',
      '        await sendLine(conn, line);\n        typedLine();\n        if (line === "exit") {',
    ]],
    rejectedBy: "client-prints-idle",
    message: /did not print "ann: anyone here\?"/,
  },
];

/** Lesson 3 as the grader knows it. */
export const lesson: Lesson = {
  number: 3,
  slug: "03-chat",
  title: { en: "Multi-client chat", ru: "Чат на много клиентов" },
  // Hardening last: a learner meets the core checks first.
  checks: [...core, ...client, ...hardening.map((check) => ({ ...check, section: "hardening" as const }))],
  variants,
  given: ["main.ts", "framing.ts", "compare.ts"],
};
