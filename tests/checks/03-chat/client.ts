/**
 * Lesson 3's checks of the learner's client, with the grader playing the
 * chat server: the name first, typed lines out, lines in while nothing is
 * typed, and every way a conversation ends (the server closes or resets, the
 * learner types exit, the console ends).
 *
 * @module
 */
import net from "node:net";
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { sleep, within } from "../../harness/deadline.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { Peer } from "../../harness/socket.ts";
import { assertCleanError, expectClientLeaves } from "../../harness/programs.ts";
import { clientRefused } from "../common.ts";
import { expectPrinted } from "./core.ts";
import { decoder, DELIVERY_MS, encoder } from "./member.ts";

/** The grader as the server, for the learner's client: accepts it, reads its name and welcomes it. */
async function clientJoins(
  trial: Trial,
  name: string,
  label = "client",
): Promise<{ client: LearnerProcess; peer: Peer }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  trial.defer({ [Symbol.dispose]: () => listener.close() });
  const client = trial.start(
    label,
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
  await expectPrinted(client, `* welcome, ${name}; here: ann, ben`, {
    en: "the welcome line",
    ru: "приветственная строка",
  });
  return { client, peer };
}

/** What a client printed from line `from` on, numbers (ports, times) left out: to compare two runs. */
const printedSince = (client: LearnerProcess, from: number): string =>
  client.stdout.slice(from).map((line) => line.replace(/\d+/g, "#")).join("\n");

/**
 * A second run of the learner's client, whose server (the grader) welcomes it,
 * sends `last` (if given) and closes: an ordinary end. Resolves with what it printed after
 * the close (see {@linkcode printedSince}), or undefined if it did not end with 0.
 */
async function ordinaryEnd(trial: Trial, last?: string): Promise<string | undefined> {
  const { client, peer } = await clientJoins(trial, "zed", "twin");
  if (last !== undefined) {
    await peer.write(encoder.encode(`${last}\n`));
    await expectPrinted(client, last, { en: "the server's last line", ru: "последняя строка сервера" });
  }
  const before = client.stdout.length;
  await peer[Symbol.asyncDispose]();
  const status = await client.exitWithin(3000);
  return status?.code === 0 ? printedSince(client, before) : undefined;
}

/** Fails unless, within `ms`, exactly `text` has arrived from the client (its name line included). */
async function expectSent(peer: Peer, text: string, what: Bilingual, ms = DELIVERY_MS) {
  const arrived = await peer.readUntil((data) => decoder.decode(data) === text, ms);
  if (!arrived) {
    throw new CheckFailure({
      en: `the client did not send ${what.en}`,
      ru: `клиент не отправил ${what.ru}`,
    }, { expected: visible(text), actual: visible(peer.received) });
  }
}

export const clientChecks: Check[] = [
  {
    id: "client-sends-name-and-lines",
    title: {
      en:
        "the client sends --name first, then each typed line as typed (spaces, UTF-8, two typed at once) as its own line",
      ru:
        "клиент сначала отправляет --name, затем каждую набранную строку как есть (с пробелами, UTF-8, две набранные разом) отдельной строкой",
    },
    hint: {
      en: "Send the name as the first line as soon as you connect; then every line typed at the console, with \\n.",
      ru: "Сразу после подключения отправьте имя первой строкой; затем каждую строку, введённую в консоли, с \\n.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      // Sent as typed, spaces around it too.
      await client.type("  hello, room \nпривет 👋\n");
      await expectSent(peer, "zed\n  hello, room \nпривет 👋\n", {
        en: "the two lines typed at its console, each with its \\n",
        ru: "две строки, набранные в его консоли, каждую со своим \\n",
      });
    },
  },
  {
    id: "client-prints-idle",
    title: {
      en:
        "the client prints lines that arrive while nothing is typed, each whole (two in one write, one a byte at a time)",
      ru:
        "клиент печатает строки, которые приходят, пока в консоли ничего не набирают, каждую целой (две в одной записи, одну по байту)",
    },
    hint: {
      en: "Do not wait for the console before reading the socket: read both at once, and print each line as it comes.",
      ru: "Не ждите консоль, прежде чем читать сокет: читайте оба одновременно и печатайте каждую строку сразу.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await peer.write(encoder.encode("ann: anyone here?\n* cat joined\n"));
      await expectPrinted(client, "ann: anyone here?", {
        en: "it came while nothing was typed at the client's console",
        ru: "она пришла, пока в консоли клиента ничего не набирали",
      });
      await expectPrinted(client, "* cat joined", {
        en: "it came in the same write as the line before",
        ru: "она пришла в той же записи, что и предыдущая строка",
      });
      const dribbled = encoder.encode("cat: привет 👋\n");
      for (let i = 0; i < dribbled.length; i++) {
        await peer.write(dribbled.subarray(i, i + 1));
        await sleep(2);
      }
      await expectPrinted(client, "cat: привет 👋", {
        en: "it came one byte at a time, its UTF-8 split mid-character",
        ru: "она пришла по одному байту, с UTF-8, разрезанным посреди символа",
      });
    },
  },
  {
    id: "client-shows-control",
    title: {
      en:
        "control characters from the server (ESC, CR, NUL, BEL) are printed as \\x1b, \\x0d, \\x00, \\x07, never raw; a tab stays a tab",
      ru:
        "управляющие символы от сервера (ESC, CR, NUL, BEL) печатаются как \\x1b, \\x0d, \\x00, \\x07, а не как есть; табуляция остаётся табуляцией",
    },
    hint: {
      en:
        "Print the lines the given lineReader hands you: it shows control characters escaped. Decoding the socket's bytes yourself prints them raw, and the terminal obeys them.",
      ru:
        "Печатайте строки, которые выдаёт данный lineReader: он показывает управляющие символы экранированными. Если декодировать байты сокета самому, они попадут в терминал как есть, и он их выполнит.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await peer.write(encoder.encode("ann: a\x1b[2Jb\rc\x00d\x07e\tf\n"));
      await peer.write(encoder.encode("ann: after\n"));
      await expectPrinted(client, "ann: after", { en: "the line after", ru: "следующая строка" });
      // deno-lint-ignore no-control-regex
      const raw = client.stdout.find((line) => /[\x00-\x08\x0a-\x1f\x7f]/.test(line));
      if (raw !== undefined) {
        throw new CheckFailure({
          en:
            "the client printed control characters from the network raw: the terminal would clear, recolour or overwrite",
          ru:
            "клиент напечатал управляющие символы из сети как есть: терминал очистил бы экран, сменил цвет или затёр строку",
        }, { expected: visible("ann: a\\x1b[2Jb\\x0dc\\x00d\\x07e\tf"), actual: visible(raw) });
      }
      await expectPrinted(client, "ann: a\\x1b[2Jb\\x0dc\\x00d\\x07e\tf", {
        en: "each control character shown as \\x and two hex digits, the tab as it is",
        ru: "каждый управляющий символ в виде \\x и двух шестнадцатеричных цифр, табуляция как есть",
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
      await peer.write(encoder.encode("* the server is shutting down\n"));
      await expectPrinted(client, "* the server is shutting down", {
        en: "the server's last line",
        ru: "последняя строка сервера",
      });
      const before = client.stdout.length;
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, { en: "the server closed the connection", ru: "сервер закрыл соединение" });
      if (client.stdout.length <= before && client.stderr.length === 0) {
        throw new CheckFailure({
          en: "the client left without saying that the server closed the connection",
          ru: "клиент завершился, не сообщив, что сервер закрыл соединение",
        }, {
          expected: {
            en: 'a line such as "the server closed the connection"',
            ru: 'строка вроде "the server closed the connection"',
          },
          actual: { en: "nothing more on stdout", ru: "больше ничего на stdout" },
        });
      }
    },
  },
  {
    id: "client-server-resets",
    title: {
      en:
        "when the server resets the connection, the client ends within 3 s: a line saying so (not what it says after a normal close), or a one-line error and a non-zero exit",
      ru:
        "когда сервер сбрасывает соединение, клиент завершается за 3 с: строкой об этом (не той же, что после обычного закрытия) или ошибкой в одну строку с ненулевым кодом",
    },
    hint: {
      en:
        "A reset makes the socket's read throw. Let the error end the client (main.ts prints it in one line), or catch it and say the connection was lost; never keep waiting for the console.",
      ru:
        "Из-за сброса чтение из сокета бросает исключение. Пусть ошибка завершит клиент (main.ts напечатает её одной строкой) или поймайте её и сообщите, что связь потеряна; только не продолжайте ждать консоль.",
    },
    async run(trial) {
      const server = net.createServer();
      trial.defer({ [Symbol.dispose]: () => server.close() });
      const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as net.AddressInfo).port;
      const client = trial.start("client", ["client", "--host", "127.0.0.1", "--port", String(port), "--name", "zed"], {
        stdin: "piped",
      });
      const socket = await within(accepted, 8000, { en: "connection from the client", ru: "соединения от клиента" });
      trial.defer({ [Symbol.dispose]: () => socket.destroy() });
      socket.on("error", () => {});
      await within(new Promise((resolve) => socket.once("data", resolve)), DELIVERY_MS, {
        en: "name from the client",
        ru: "имени от клиента",
      });
      socket.write("* welcome, zed; here: ann\n");
      await expectPrinted(client, "* welcome, zed; here: ann", { en: "the welcome line", ru: "приветственная строка" });
      const before = client.stdout.length;
      trial.transcript.event("grader server", "resets the connection (RST)");
      socket.resetAndDestroy();
      const status = await client.exitWithin(3000);
      if (!status) {
        throw new CheckFailure({
          en: "the client was still running 3 s after the server reset the connection",
          ru: "клиент всё ещё работал через 3 с после того, как сервер сбросил соединение",
        }, {
          expected: {
            en: "the client says the connection is lost and ends",
            ru: "клиент сообщает, что связь потеряна, и завершается",
          },
          actual: {
            en: `still running; last output: ${visible(client.stdout.slice(-1).join("") || "(none)")}`,
            ru: `всё ещё работает; последний вывод: ${visible(client.stdout.slice(-1).join("") || "(нет)")}`,
          },
        });
      }
      const when = { en: "after the server reset the connection", ru: "после сброса соединения сервером" };
      if (status.code !== 0) return assertCleanError(client, status, when);
      if (client.stdout.length <= before) {
        throw new CheckFailure({
          en: "the client exited 0 after the server reset the connection without saying so",
          ru: "после сброса соединения сервером клиент завершился с кодом 0, ничего об этом не сказав",
        }, {
          expected: { en: "a line saying the connection ended", ru: "строка о том, что соединение прервано" },
          actual: { en: "nothing more on stdout", ru: "больше ничего на stdout" },
        });
      }
      // Saying so means saying something else than after an ordinary close: a swallowed error says nothing.
      const said = printedSince(client, before);
      if (said === await ordinaryEnd(trial).catch(() => undefined)) {
        throw new CheckFailure({
          en:
            "after the server reset the connection, the client said just what it says when the server closes it normally: the error was swallowed",
          ru:
            "после сброса соединения сервером клиент сказал ровно то же, что и при обычном закрытии: ошибку проглотили",
        }, {
          expected: {
            en: "a line saying the connection was lost, or a one-line error and a non-zero exit",
            ru: "строка о том, что связь потеряна, или ошибка в одну строку и ненулевой код выхода",
          },
          actual: visible(client.stdout.slice(before).join("\n")),
        });
      }
    },
  },
  {
    id: "client-types-exit",
    title: {
      en:
        "exit typed at the client is sent; once the server closes, the client says it left (not what it says when the server closes on its own) and ends with 0",
      ru:
        "набранный в клиенте exit отправляется серверу; когда сервер закрывает соединение, клиент сообщает, что вышел (не то же, что говорит, когда сервер закрывает соединение сам), и завершается с кодом 0",
    },
    hint: {
      en: 'Send "exit" like any line; then wait (briefly) for the server to close, and end with code 0.',
      ru:
        'Отправьте "exit" как обычную строку; затем недолго подождите, пока сервер закроет соединение, и завершитесь с кодом 0.',
    },
    async run(trial) {
      // A twin, at the same time, gets the same goodbye without having typed exit: it must say something else.
      // (Its own failures are other checks' business.)
      const twin = ordinaryEnd(trial, "* goodbye").catch(() => undefined);
      const { client, peer } = await clientJoins(trial, "zed");
      await client.type("exit\n");
      await expectSent(peer, "zed\nexit\n", { en: '"exit"', ru: '"exit"' });
      await peer.write(encoder.encode("* goodbye\n"));
      await expectPrinted(client, "* goodbye", { en: "the server's goodbye", ru: "прощание сервера" });
      const before = client.stdout.length;
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, {
        en: "it said exit and the server closed the connection",
        ru: "он отправил exit, а сервер закрыл соединение",
      });
      if (client.stdout.length <= before) {
        throw new CheckFailure({
          en: "the client left after exit without a word",
          ru: "после exit клиент завершился, ничего не сказав",
        }, {
          expected: { en: 'a line such as "you left the chat"', ru: 'строка вроде "you left the chat"' },
          actual: { en: "nothing more on stdout", ru: "больше ничего на stdout" },
        });
      }
      if (printedSince(client, before) === await twin) {
        throw new CheckFailure({
          en:
            "after exit the client said just what it says when the server closes on its own: it did not note that it said exit",
          ru:
            "после exit клиент сказал ровно то же, что и когда сервер закрывает соединение сам: он не запомнил, что отправил exit",
        }, {
          expected: { en: 'a line such as "you left the chat"', ru: 'строка вроде "you left the chat"' },
          actual: visible(client.stdout.slice(before).join("\n")),
        });
      }
    },
  },
  {
    id: "client-console-closes",
    title: {
      en:
        "when the client's console input ends, it half-closes (sends nothing more), still prints what comes, and ends once the server closes",
      ru:
        "когда ввод консоли клиента кончается, он полузакрывает соединение (больше ничего не шлёт), но печатает то, что приходит, и завершается, когда сервер закроет соединение",
    },
    hint: {
      en:
        "options.console() gives null when the input ends: leave the sending loop without sending anything; the given code then half-closes and keeps reading until the server closes.",
      ru:
        "options.console() возвращает null, когда ввод кончился: выйдите из цикла отправки, ничего не отправляя; готовый код затем полузакроет соединение и будет читать, пока сервер не закроет своё.",
    },
    async run(trial) {
      const { client, peer } = await clientJoins(trial, "zed");
      await client.type("last words\n");
      await client.closeConsole();
      const typed = "zed\nlast words\n";
      await peer.readUntil((data) => data.length > typed.length, DELIVERY_MS);
      const sent = decoder.decode(peer.received);
      if (!peer.eof || sent !== typed) {
        const more = sent.length > typed.length;
        throw new CheckFailure({
          en: more
            ? "after its console ended, the client sent something nobody typed"
            : "the client did not half-close its connection when its console ended",
          ru: more
            ? "после конца ввода консоли клиент отправил то, чего никто не набирал"
            : "клиент не полузакрыл соединение, когда кончился ввод его консоли",
        }, {
          expected: {
            en: `${visible("zed\nlast words\n")}, then EOF`,
            ru: `${visible("zed\nlast words\n")}, затем EOF`,
          },
          actual: {
            en: `${visible(sent)}${peer.eof ? ", then EOF" : ", no EOF"}`,
            ru: `${visible(sent)}${peer.eof ? ", затем EOF" : ", EOF нет"}`,
          },
        });
      }
      // Sent even if the client is gone already: then it cannot print it, which is what the check says.
      await peer.write(encoder.encode("ann: see you\n")).catch(() => {});
      await expectPrinted(client, "ann: see you", {
        en: "it came after the client's console had ended, before the server closed",
        ru: "она пришла после конца ввода консоли клиента, но до того, как сервер закрыл соединение",
      });
      await peer[Symbol.asyncDispose]();
      await expectClientLeaves(client, {
        en: "its console ended and then the server closed the connection",
        ru: "его консоль закончилась, а затем сервер закрыл соединение",
      });
    },
  },
  clientRefused("given"),
];
