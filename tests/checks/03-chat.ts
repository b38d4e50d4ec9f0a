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
import { type Bilingual, type Text, textIn } from "../harness/text.ts";
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
      throw new CheckFailure({
        en: `${this.asked} got no welcome line after sending its name`,
        ru: `${this.asked} не получил приветственную строку после того, как отправил своё имя`,
      }, {
        expected: {
          en: `"* welcome, ${this.asked}; here: …\\n" as the first line`,
          ru: `"* welcome, ${this.asked}; here: …\\n" первой строкой`,
        },
        actual: first === undefined ? visible(this.peer.received) || { en: "nothing", ru: "ничего" } : visible(first),
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
  async expectLine(test: (line: string) => boolean, what: Text, ms = DELIVERY_MS): Promise<string> {
    const found = () => this.lines().slice(this.#judged).find(test);
    await this.peer.readUntil(() => found() !== undefined, ms);
    const line = found();
    if (line === undefined) {
      const since = this.lines().slice(this.#judged).join("\n");
      throw new CheckFailure({
        en: `${this.name || this.asked} did not receive ${textIn(what, "en")} within ${ms / 1000} s`,
        ru: `${this.name || this.asked} не получил ${textIn(what, "ru")} за ${ms / 1000} с`,
      }, {
        actual: {
          en: `received since: ${visible(since || "(nothing)", 300)}`,
          ru: `с тех пор пришло: ${visible(since || "(ничего)", 300)}`,
        },
      });
    }
    return line;
  }

  /** Waits until `lines` have all arrived, in this order, each once, with nothing between them but notices. */
  async expectExactly(lines: string[], situation: Bilingual, ms = DELIVERY_MS): Promise<void> {
    const last = lines.at(-1)!;
    await this.peer.readUntil(() => this.lines().slice(this.#judged).includes(last), ms);
    const got = this.take().filter((line) => !line.startsWith("* "));
    const missing = lines.filter((line) => !got.includes(line));
    if (missing.length > 0) {
      const shown = got.slice(0, 5).join("\n");
      throw new CheckFailure(
        {
          en: `${this.name} did not receive ${missing.length} of the ${lines.length} line(s) within ${
            ms / 1000
          } s (${situation.en})`,
          ru: `за ${
            ms / 1000
          } с ${this.name} получил не все строки: не хватает ${missing.length} из ${lines.length} (${situation.ru})`,
        },
        {
          expected: visible(missing.slice(0, 3).join("\n")),
          actual: { en: visible(shown || "(nothing)"), ru: visible(shown || "(ничего)") },
        },
      );
    }
    const twice = lines.find((line) => got.filter((g) => g === line).length > 1);
    if (twice) {
      throw new CheckFailure({
        en: `${this.name} received a line more than once (${situation.en})`,
        ru: `${this.name} получил одну и ту же строку несколько раз (${situation.ru})`,
      }, {
        expected: { en: "each line once", ru: "каждая строка по одному разу" },
        actual: visible(twice),
      });
    }
    const order = got.filter((line) => lines.includes(line));
    const wrong = order.findIndex((line, i) => line !== lines[i]);
    if (wrong >= 0) {
      throw new CheckFailure({
        en: `${this.name} received the lines out of order (${situation.en})`,
        ru: `${this.name} получил строки не в том порядке (${situation.ru})`,
      }, {
        expected: visible(lines.slice(wrong, wrong + 2).join("\n")),
        actual: visible(order.slice(wrong, wrong + 2).join("\n")),
      });
    }
  }

  /** Waits `ms` and fails if any line that `unwanted` matches came meanwhile. */
  async expectNone(unwanted: (line: string) => boolean, what: Bilingual, ms = 300): Promise<void> {
    await sleep(ms);
    const bad = this.lines().slice(this.#judged).find(unwanted);
    if (bad !== undefined) {
      throw new CheckFailure({ en: `${this.name} received ${what.en}`, ru: `${this.name} получил ${what.ru}` }, {
        expected: { en: "no such line", ru: "ни одной такой строки" },
        actual: visible(bad),
      });
    }
  }
}

/** A line every member but `except` must receive once, as `sender: text`. */
async function everyoneGets(
  members: Member[],
  except: Member | undefined,
  lines: string[],
  situation: Bilingual,
) {
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
    throw new CheckFailure({
      en: "the client did not send its name as the first line",
      ru: "клиент не отправил своё имя первой строкой",
    }, {
      expected: visible(`${name}\n`),
      actual: visible(peer.received) || { en: "nothing", ru: "ничего" },
    });
  }
  await peer.write(encoder.encode(`* welcome, ${name}; here: ann, ben\n`));
  return { client, peer };
}

/** Waits for the learner's client to print `line`. */
async function expectPrinted(client: LearnerProcess, line: string, situation: Bilingual): Promise<void> {
  try {
    const shown = visible(line);
    await client.waitFor(() => client.stdout.includes(line) || undefined, DELIVERY_MS, { en: shown, ru: shown });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const printed = client.stdout.join("\n");
    throw new CheckFailure({
      en: `${error.text.en} (${situation.en})`,
      ru: `${error.text.ru} (${situation.ru})`,
    }, {
      expected: visible(line),
      actual: { en: visible(printed || "(nothing on stdout)"), ru: visible(printed || "(на stdout ничего)") },
    });
  }
}

const core: Check[] = [
  {
    id: "announces-address",
    title: {
      en: "the server prints 'listening on HOST:PORT' with the real port",
      ru: "сервер выводит 'listening on HOST:PORT' с настоящим портом",
    },
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
    title: {
      en: "a client is welcomed by name, and the others are told it joined",
      ru: "клиента приветствуют по имени, а остальным сообщают, что он вошёл",
    },
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
      await ben.expectNone((line) => line === `* ${ben.name} joined`, {
        en: "the notice of its own arrival",
        ru: "уведомление о собственном входе",
      });
    },
  },
  {
    id: "relay-to-others",
    title: {
      en: "a line goes to every other client as 'name: text', once, and not back to its sender",
      ru: "строка приходит каждому другому клиенту как 'имя: текст', ровно один раз, и не возвращается отправителю",
    },
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
      await everyoneGets(members, ann, [`${ann.name}: hello from ann`], {
        en: "ann sent one line",
        ru: "ann отправил одну строку",
      });
      await ann.expectNone((line) => line.endsWith("hello from ann"), {
        en: "its own line back (echo)",
        ru: "обратно свою же строку (эхо)",
      });
    },
  },
  {
    id: "order-per-sender",
    title: {
      en: "lines from two senders at once arrive whole and in each sender's order",
      ru:
        "строки, которые два отправителя шлют одновременно, доходят целыми и в том порядке, в каком их отправил каждый",
    },
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
          throw new CheckFailure({
            en: `cat received ${who.name}'s 40 lines wrongly: lost, doubled, cut or reordered`,
            ru:
              `40 строк от ${who.name} дошли до cat с ошибками: строки потеряны, повторены, обрезаны или переставлены`,
          }, {
            expected: visible(`${who.name}: ${lines[Math.max(wrong, 0)]}`),
            actual: mine[wrong] === undefined
              ? {
                en: `${mine.length} of ${who.name}'s lines arrived`,
                ru: `дошло строк от ${who.name}: ${mine.length}`,
              }
              : visible(`${who.name}: ${mine[wrong]}`),
          });
        }
      }
      await everyoneGets([ann], undefined, benLines.map((l) => `${ben.name}: ${l}`), {
        en: "ben sent 40 lines at once",
        ru: "ben отправил 40 строк разом",
      });
    },
  },
  {
    id: "unique-names",
    title: {
      en: "a second client asking for a taken name gets another, and is told which",
      ru: "второй клиент, запросивший занятое имя, получает другое и узнаёт, какое именно",
    },
    hint: {
      en: "If the name is taken, add a number (dup2, dup3…) and say the final name in the welcome line.",
      ru: "Если имя занято, добавьте число (dup2, dup3…) и назовите итоговое имя в приветствии.",
    },
    async run(trial) {
      const { address } = await startChat(trial);
      const first = await Member.join(trial, address, "dup");
      const second = await Member.join(trial, address, "dup");
      if (second.name === first.name) {
        throw new CheckFailure({ en: "two clients got the same name", ru: "два клиента получили одно и то же имя" }, {
          expected: {
            en: `the second one named something other than "${first.name}"`,
            ru: `у второго имя, отличное от "${first.name}"`,
          },
          actual: { en: `both are "${first.name}"`, ru: `у обоих "${first.name}"` },
        });
      }
      await first.expectLine((line) => line === `* ${second.name} joined`, `"* ${second.name} joined"`);
      await second.say("who am I?\n");
      await first.expectLine((line) => line === `${second.name}: who am I?`, `"${second.name}: who am I?"`);
    },
  },
  {
    id: "leave-notice",
    title: {
      en: "when a client closes its connection, the others are told it left",
      ru: "когда клиент закрывает соединение, остальным сообщают, что он вышел",
    },
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
      assertAlive(server, { en: "a client hung up", ru: "клиент отключился" });
    },
  },
  {
    id: "client-exit",
    title: {
      en: "a client's 'exit' gets it a goodbye and a closed connection; the others are told it left",
      ru: "в ответ на 'exit' клиент получает прощание и закрытое соединение; остальным сообщают, что он вышел",
    },
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
        const said = ben.take().join("\n");
        throw new CheckFailure({
          en: `the server did not close ${ben.name}'s connection after it said "exit"`,
          ru: `сервер не закрыл соединение ${ben.name} после того, как тот прислал "exit"`,
        }, {
          expected: { en: "a goodbye line, then EOF", ru: "прощальная строка, затем EOF" },
          actual: {
            en: `${visible(said || "(nothing)")} and the connection still open`,
            ru: `${visible(said || "(ничего)")}, а соединение всё ещё открыто`,
          },
        });
      }
      if (ben.take().length === 0) {
        throw new CheckFailure({
          en: `${ben.name} said exit and was closed without a word`,
          ru: `${ben.name} прислал exit, и его отключили, ничего не сказав`,
        }, {
          expected: {
            en: 'a line such as "* goodbye" before the connection closes',
            ru: 'строка вроде "* goodbye" перед закрытием соединения',
          },
          actual: { en: "nothing", ru: "ничего" },
        });
      }
      await ann.expectLine((line) => line.startsWith(`* ${ben.name} left`), `"* ${ben.name} left"`);
      await ann.expectNone((line) => line === `${ben.name}: exit`, {
        en: `"${ben.name}: exit" relayed as a chat line`,
        ru: `строку "${ben.name}: exit", пересланную как обычное сообщение чата`,
      }, 0);
    },
  },
  {
    id: "server-console",
    title: {
      en: "a line typed at the server's console reaches every client as 'server: text'",
      ru: "строка, набранная в консоли сервера, доходит до каждого клиента как 'server: текст'",
    },
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
      await everyoneGets(members, undefined, ["server: attention, please"], {
        en: "typed at the server's console",
        ru: "набрано в консоли сервера",
      });
    },
  },
  {
    id: "server-exit",
    title: {
      en: "'exit' at the server's console tells every client, closes them all, and exits 0",
      ru: "'exit' в консоли сервера оповещает каждого клиента, закрывает все соединения и завершает сервер с кодом 0",
    },
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
          const last = member.lines().slice(-1)[0];
          throw new CheckFailure({
            en: `${member.name} was not told and disconnected when the server said exit`,
            ru: `${member.name} не был уведомлён и отключён, когда в консоли сервера набрали exit`,
          }, {
            expected: {
              en: 'a notice line such as "* the server is shutting down", then EOF',
              ru: 'строка-уведомление вроде "* the server is shutting down", затем EOF',
            },
            actual: {
              en: `${visible(last ?? "(nothing)")}${member.peer.eof ? ", then EOF" : ""}`,
              ru: `${visible(last ?? "(ничего)")}${member.peer.eof ? ", затем EOF" : ""}`,
            },
          });
        }
      }
      const status = await server.exitWithin(DELIVERY_MS);
      if (status?.code !== 0) {
        throw new CheckFailure({
          en: "the server did not exit with code 0 after 'exit' at its console",
          ru: "сервер не завершился с кодом 0 после 'exit' в своей консоли",
        }, {
          expected: { en: "exit code 0 within 3 s", ru: "код выхода 0 в течение 3 с" },
          actual: status
            ? { en: `exit code ${status.code}`, ru: `код выхода ${status.code}` }
            : { en: "still running", ru: "всё ещё работает" },
        });
      }
    },
  },
  {
    id: "learner-clients",
    title: {
      en: "three of your clients chat through your server: each prints what the others type",
      ru: "три ваших клиента общаются через ваш сервер: каждый печатает то, что набирают остальные",
    },
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
        await client.waitFor(() => client.stdout.find((l) => l.startsWith("* welcome")), 8000, {
          en: "its welcome",
          ru: "своё приветствие",
        });
        clients.push(client);
      }
      for (const [i, client] of clients.entries()) {
        const text = `${names[i]} says hi, привет`;
        await client.type(`${text}\n`);
        for (const [j, other] of clients.entries()) {
          if (j !== i) {
            await expectPrinted(other, `${names[i]}: ${text}`, {
              en: `${names[i]} typed it at its console`,
              ru: `${names[i]} набрал её в своей консоли`,
            });
          }
        }
      }
    },
  },
];

const hardening: Check[] = [
  {
    id: "reset-mid-broadcast",
    alone: true,
    title: {
      en: "a client that resets its connection mid-broadcast costs nobody else a line",
      ru: "клиент, сбросивший соединение (RST) посреди рассылки, не лишает остальных ни одной строки",
    },
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
      assertAlive(server, {
        en: "a client reset its connection during a broadcast",
        ru: "клиент сбросил соединение посреди рассылки",
      });
      await ben.expectExactly(lines.map((l) => `server: ${l}`), {
        en: "rex reset its connection meanwhile",
        ru: "тем временем rex сбросил соединение",
      }, 1000);
    },
  },
  {
    id: "slow-reader",
    alone: true,
    title: {
      en: "a client that stops reading is dropped; the others keep receiving",
      ru: "клиента, который перестал читать, отключают; остальные продолжают получать строки",
    },
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
        throw new CheckFailure({
          en: "sleepy (which reads nothing) was not in the room when ben joined",
          ru: "когда вошёл ben, sleepy (клиента, который ничего не читает) в комнате не было",
        }, {
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
          {
            en:
              `ben received only ${got} of ${count} lines within 10 s while sleepy read nothing: one stalled reader holds up everyone`,
            ru:
              `за 10 с ben получил лишь ${got} из ${count} строк, пока sleepy ничего не читал: один застрявший читатель задерживает всех`,
          },
          {
            expected: { en: `all ${count} lines`, ru: `все строки (${count})` },
            actual: { en: `${got} lines`, ru: `строк: ${got}` },
          },
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
        throw new CheckFailure({
          en: "the client that stopped reading was never dropped: its queue grows without limit",
          ru: "клиента, который перестал читать, так и не отключили: его очередь растёт без ограничений",
        }, {
          expected: {
            en: `sleepy's connection closed and "* ${sleeper.name} …" (left / dropped) sent to the others`,
            ru: `соединение sleepy закрыто, а остальным отправлено "* ${sleeper.name} …" (left / dropped)`,
          },
          actual: {
            en: "no notice about sleepy after 16 MiB it never read",
            ru: "никакого уведомления о sleepy после 16 МиБ, которые он так и не прочитал",
          },
        });
      }
      assertAlive(server, { en: "a client stopped reading", ru: "клиент перестал читать" });
    },
  },
  {
    id: "flood",
    title: {
      en: "a client sending far more lines than a person types is slowed down or dropped",
      ru: "клиента, который шлёт намного больше строк, чем способен набрать человек, притормаживают или отключают",
    },
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
      await ben.expectLine((line) => line === `${cat.name}: still there?`, {
        en: `cat's line while flood was flooding`,
        ru: `строку от cat, отправленную, пока flood заваливал чат`,
      }, 1500);
      await sleep(1000);
      const relayed = ben.lines().filter((line) => line.startsWith(`${flood.name}: spam`)).length;
      const told = flood.lines().slice(1).some((line) => line.startsWith("* "));
      if (relayed >= 1000 && !flood.peer.done) {
        throw new CheckFailure({
          en: `all of flood's lines went through at once: ${relayed} of 2000 within about 1 s`,
          ru: `все строки flood прошли разом: ${relayed} из 2000 примерно за 1 с`,
        }, {
          expected: {
            en: "flood slowed down (a few dozen lines a second) or dropped, and told so",
            ru: "flood притормозили (до нескольких десятков строк в секунду) или отключили и сообщили ему об этом",
          },
          actual: {
            en: `${relayed} lines relayed; flood told: ${told ? "yes" : "no"}`,
            ru: `переслано строк: ${relayed}; flood уведомлён: ${told ? "да" : "нет"}`,
          },
        });
      }
      if (!told) {
        const notices = flood.lines().slice(1, 3).join("\n");
        throw new CheckFailure({
          en: "flood was slowed down or dropped without being told",
          ru: "flood притормозили или отключили, ничего ему не сообщив",
        }, {
          expected: {
            en: 'a notice to flood, such as "* slow down: …" or "* dropped: …"',
            ru: 'уведомление для flood, например "* slow down: …" или "* dropped: …"',
          },
          actual: { en: visible(notices || "(nothing)"), ru: visible(notices || "(ничего)") },
        });
      }
      assertAlive(server, { en: "a client flooded the chat", ru: "клиент завалил чат строками" });
    },
  },
  {
    id: "long-line",
    title: {
      en: "a line over 4 KiB gets its sender disconnected with a reason; the others stay",
      ru: "за строку длиннее 4 КиБ отправителя отключают, назвав причину; остальные остаются",
    },
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
        const said = big.lines().slice(1).join("\n");
        throw new CheckFailure({
          en: "the server did not disconnect the sender of a 64 KiB line, with a reason",
          ru: "сервер не отключил отправителя строки в 64 КиБ с указанием причины",
        }, {
          expected: {
            en: 'a notice line (e.g. "* dropped: line longer than 4096 bytes"), then EOF',
            ru: 'строка-уведомление (например, "* dropped: line longer than 4096 bytes"), затем EOF',
          },
          actual: {
            en: `${visible(said || "(nothing)")}${big.peer.eof ? ", EOF" : ", still open"}`,
            ru: `${visible(said || "(ничего)")}${big.peer.eof ? ", EOF" : ", соединение всё ещё открыто"}`,
          },
        });
      }
      await ann.expectLine((line) => line.startsWith(`* ${big.name} `), {
        en: `a notice that ${big.name} left`,
        ru: `уведомление о том, что ${big.name} вышел`,
      });
      assertAlive(server, { en: "a client sent a 64 KiB line", ru: "клиент прислал строку в 64 КиБ" });
    },
  },
  {
    id: "many-clients",
    title: {
      en: "100 clients connected at once each get a line from one of them",
      ru: "каждый из 100 одновременно подключённых клиентов получает строку от одного из них",
    },
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
        const reason = (joined.find((j) => j.status === "rejected") as PromiseRejectedResult).reason;
        throw new CheckFailure({
          en: `only ${members.length} of 100 clients were welcomed`,
          ru: `поприветствовали только ${members.length} из 100 клиентов`,
        }, {
          actual: reason instanceof CheckFailure ? reason.text : String(reason?.message),
        });
      }
      await sleep(300);
      members.forEach((m) => m.take());
      await members[0].say("one for all\n");
      await everyoneGets(members, members[0], [`${members[0].name}: one for all`], {
        en: "100 clients in the room",
        ru: "в комнате 100 клиентов",
      });
    },
  },
  {
    id: "connection-cap",
    title: {
      en: "past --max-clients, a new connection is told the server is full",
      ru: "сверх --max-clients новое соединение получает ответ, что сервер полон",
    },
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
        throw new CheckFailure({
          en: "the fourth connection to a server with --max-clients 3 was not turned away",
          ru: "четвёртому соединению с сервером, запущенным с --max-clients 3, не отказали",
        }, {
          expected: {
            en: 'one line such as "* error: the server is full (3 clients)", then EOF',
            ru: 'одна строка вроде "* error: the server is full (3 clients)", затем EOF',
          },
          actual: {
            en: `${visible(said || "(nothing)")}${closed ? ", EOF" : ", still open"}`,
            ru: `${visible(said || "(ничего)")}${closed ? ", EOF" : ", соединение всё ещё открыто"}`,
          },
        });
      }
    },
  },
  portInUse("given"),
];

const client: Check[] = [
  {
    id: "client-sends-name-and-lines",
    title: {
      en: "the client sends --name first, then each typed line",
      ru: "клиент сначала отправляет --name, затем каждую набранную строку",
    },
    hint: {
      en: "Send the name as the first line as soon as you connect; then every line typed at the console, with \\n.",
      ru: "Сразу после подключения отправьте имя первой строкой; затем каждую строку, введённую в консоли, с \\n.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await client.type("hello, room\n");
      const arrived = await peer.readUntil((data) => decoder.decode(data).includes("zed\nhello, room\n"), DELIVERY_MS);
      if (!arrived) {
        throw new CheckFailure({
          en: "the client did not send the line typed at its console",
          ru: "клиент не отправил строку, набранную в его консоли",
        }, {
          expected: visible("zed\nhello, room\n"),
          actual: visible(peer.received),
        });
      }
    },
  },
  {
    id: "client-prints-idle",
    title: {
      en: "the client prints lines that arrive while nothing is typed",
      ru: "клиент печатает строки, которые приходят, пока в консоли ничего не набирают",
    },
    hint: {
      en: "Do not wait for the console before reading the socket: read both at once, and print each line as it comes.",
      ru: "Не ждите консоль, прежде чем читать сокет: читайте оба одновременно и печатайте каждую строку сразу.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await expectPrinted(client, "* welcome, zed; here: ann, ben", {
        en: "the welcome line",
        ru: "приветственная строка",
      });
      await sleep(300);
      await peer.write(encoder.encode("ann: anyone here?\n* cat joined\n"));
      await expectPrinted(client, "ann: anyone here?", {
        en: "it came while nothing was typed at the client's console",
        ru: "она пришла, пока в консоли клиента ничего не набирали",
      });
      await expectPrinted(client, "* cat joined", {
        en: "it came in the same write as the line before",
        ru: "она пришла в той же записи, что и предыдущая строка",
      });
    },
  },
  {
    id: "client-server-closes",
    title: {
      en: "the client says so and exits 0 when the server closes the connection",
      ru: "когда сервер закрывает соединение, клиент сообщает об этом и завершается с кодом 0",
    },
    hint: {
      en: "When the socket reaches EOF, print a line saying the server closed the connection and end with code 0.",
      ru: "Когда сокет дошёл до EOF, выведите строку о том, что сервер закрыл соединение, и завершитесь с кодом 0.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await expectPrinted(client, "* welcome, zed; here: ann, ben", {
        en: "the welcome line",
        ru: "приветственная строка",
      });
      const before = client.stdout.length;
      await peer.write(encoder.encode("* the server is shutting down\n"));
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      if (client.stdout.length <= before + 1 && client.stderr.length === 0) {
        throw new CheckFailure({
          en: "the client left without saying that the server closed the connection",
          ru: "клиент завершился, не сообщив, что сервер закрыл соединение",
        }, {
          expected: {
            en: 'a line such as "the server closed the connection"',
            ru: 'строка вроде "the server closed the connection"',
          },
          actual: visible(client.stdout.slice(before).join("\n")),
        });
      }
    },
  },
  {
    id: "client-types-exit",
    title: {
      en: "exit typed at the client is sent, and the client ends",
      ru: "набранный в клиенте exit отправляется серверу, и клиент завершается",
    },
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
        throw new CheckFailure({ en: 'the client did not send "exit"', ru: 'клиент не отправил "exit"' }, {
          expected: visible("zed\nexit\n"),
          actual: visible(peer.received),
        });
      }
      await peer.write(encoder.encode("* goodbye\n"));
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, {
        en: "it said exit and the server closed the connection",
        ru: "он отправил exit, а сервер закрыл соединение",
      });
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
