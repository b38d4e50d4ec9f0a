/**
 * Lesson 4's hardening checks: what real servers and clients meet. A server
 * that keeps serving while one client stalls and while one peer cannot be
 * answered, refused connections, IPv6, and Ctrl+C in the middle of work.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../../harness/failure.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { sleep } from "../../harness/deadline.ts";
import type { Address } from "../../harness/process.ts";
import { assertAlive, assertCleanError } from "../../harness/programs.ts";
import { closedPort, hasIpv6Loopback, Peer } from "../../harness/socket.ts";
import { ScriptedEcho, UdpPeer } from "../../harness/udp.ts";
import { strangerLaunch } from "../../harness/udp_stranger.ts";
import { LearnerProcess } from "../../harness/process.ts";
import { stopsOnCtrlC } from "../common.ts";
import { allOf, decoder, encoder, exitsCleanly, judgePing, lastLines, noise, startEcho } from "./shared.ts";

/** Sends three datagrams to 127.0.0.1:`port` from 127.0.0.2; false when this machine cannot send from there. */
async function sendAsStranger(trial: Trial, port: number): Promise<boolean> {
  const peer = new LearnerProcess(
    { label: "grader udp (127.0.0.2)", command: strangerLaunch(), args: [String(port)] },
    trial.transcript,
  );
  trial.defer(peer);
  const status = await peer.exitWithin(8000);
  return status?.code === 0 && peer.stdout.includes("sent");
}

/** A full TCP echo of `size` random bytes with a half-close; fails saying `while` when it does not come back whole. */
async function echoRoundTrip(trial: Trial, port: number, size: number, host: string, label: string, whilst: {
  en: string;
  ru: string;
}): Promise<void> {
  await using peer = await Peer.connect({ transport: "tcp", host, port }, trial.transcript, label);
  const data = noise(size);
  await peer.write(data, 3000);
  await peer.closeWrite();
  const closed = await peer.waitForEof(3000);
  const difference = firstDifference(data, peer.received);
  if (difference || !closed) {
    throw new CheckFailure({
      en: `a TCP client's ${size} bytes did not all come back, then EOF, ${whilst.en}`,
      ru: `${size} байтов TCP-клиента не вернулись целиком, а затем EOF, ${whilst.ru}`,
    }, {
      expected: `${size} bytes, EOF`,
      actual: `${peer.received.length} bytes${closed ? ", EOF" : ", no EOF within 3 s"}${
        difference ? `; ${difference}` : ""
      }`,
    });
  }
}

/** One UDP datagram there and back; fails saying `while` when it does not. */
async function udpRoundTrip(trial: Trial, port: number, host: string, whilst: { en: string; ru: string }) {
  using peer = new UdpPeer(trial.transcript, "grader udp", host);
  const data = encoder.encode(`still there? ${host}`);
  await peer.send(data, port);
  const back = await peer.receive(2000);
  if (!back || decoder.decode(back) !== decoder.decode(data)) {
    throw new CheckFailure({
      en: `a UDP datagram got no echo ${whilst.en}`,
      ru: `UDP-датаграмма не получила эха, ${whilst.ru}`,
    }, {
      expected: visible(data),
      actual: back ? visible(back) : { en: "nothing within 2 s", ru: "ничего за 2 с" },
    });
  }
}

export const hardeningChecks: Check[] = [
  {
    id: "server-busy",
    section: "hardening",
    title: {
      en:
        "the server keeps serving TCP and UDP while one client sends 8 MiB and never reads, one stops halfway through COUNT, one stays silent",
      ru:
        "сервер продолжает обслуживать TCP и UDP, пока один клиент шлёт 8 МиБ и ничего не читает, другой замолк посреди COUNT, третий молчит",
    },
    hint: {
      en:
        "Serve each TCP client on its own (start its handler and go back to accept at once), and the UDP socket beside them: a stalled client must hold up only itself.",
      ru:
        "Обслуживайте каждого TCP-клиента отдельно (запустите обработчик и сразу вернитесь к accept), а UDP-сокет — рядом с ними: застрявший клиент должен задерживать только себя.",
    },
    async run(trial) {
      const { server, port } = await startEcho(trial);
      const address: Address = { transport: "tcp", host: "127.0.0.1", port };
      const silent = await Peer.connect(address, trial.transcript, "grader (silent)");
      trial.defer(silent);
      const stalled = await Peer.connect(address, trial.transcript, "grader (stalled COUN)");
      trial.defer(stalled);
      await stalled.write(encoder.encode("COUN"));
      const hog = await Peer.connect(address, trial.transcript, "grader (never reads)", 3000, { read: false });
      trial.defer(hog);
      // Its writes stall once the server, blocked writing the echo back, stops reading: let them.
      void hog.write(new Uint8Array(8 * 1024 * 1024), 10_000).catch(() => {});
      await sleep(150);
      const whilst = {
        en: "while other clients stall (one never reads its echo, one stopped in the middle of COUNT, one silent)",
        ru: "пока другие клиенты застряли (один не читает своё эхо, другой замолк посреди COUNT, третий молчит)",
      };
      await echoRoundTrip(trial, port, 64 * 1024, "127.0.0.1", "grader (echo)", whilst);
      await using counting = await Peer.connect(address, trial.transcript, "grader (count)");
      await counting.write(encoder.encode("COUNT\nhello"));
      await counting.closeWrite();
      const counted = await counting.waitForEof(3000);
      if (decoder.decode(counting.received).trim() !== "5" || !counted) {
        throw new CheckFailure({
          en: `a COUNT client did not get its count ${whilst.en}`,
          ru: `клиент COUNT не получил своё число, ${whilst.ru}`,
        }, { expected: '"5\\n", EOF', actual: visible(counting.received) });
      }
      await udpRoundTrip(trial, port, "127.0.0.1", whilst);
      assertAlive(server, { en: "clients stalled", ru: "клиенты застряли" });
    },
  },
  {
    id: "udp-unanswerable",
    section: "hardening",
    title: {
      en: "a UDP peer the server may not answer (its send fails) does not stop the server: the next peer gets its echo",
      ru:
        "UDP-собеседник, которому сервер не может ответить (отправка не удаётся), не останавливает сервер: следующий собеседник получает эхо",
    },
    hint: {
      en:
        "A failed send is that peer's problem: catch it around socket.send and go on receiving. (The grader sends from 127.0.0.2, which the task does not let the server reach.)",
      ru:
        "Неудачная отправка — проблема этого собеседника: перехватите ошибку вокруг socket.send и продолжайте приём. (Проверка шлёт с 127.0.0.2, до которого задаче сервера дотягиваться не разрешено.)",
    },
    async run(trial) {
      const { server, port } = await startEcho(trial);
      if (!await sendAsStranger(trial, port)) {
        throw new CheckSkipped({
          en: "this machine cannot send from 127.0.0.2",
          ru: "на этой машине нельзя отправлять с 127.0.0.2",
        });
      }
      await sleep(100);
      const after = {
        en: "a peer at 127.0.0.2 sent datagrams the server could not answer",
        ru: "собеседник с 127.0.0.2 прислал датаграммы, на которые сервер не мог ответить",
      };
      assertAlive(server, after);
      await udpRoundTrip(trial, port, "127.0.0.1", {
        en: `after ${after.en}`,
        ru: `после того, как ${after.ru}`,
      });
      await echoRoundTrip(trial, port, 1000, "127.0.0.1", "grader (echo)", {
        en: `after ${after.en}`,
        ru: `после того, как ${after.ru}`,
      });
    },
  },
  {
    id: "refused",
    section: "hardening",
    covers: "given",
    title: {
      en:
        "ping --tcp and bulk --tcp, where nothing listens, report the refused connection in one line and exit non-zero",
      ru:
        "ping --tcp и bulk --tcp там, где никто не слушает, сообщают об отказе в соединении одной строкой и завершаются с ненулевым кодом",
    },
    hint: {
      en: "Let Deno.connect's ConnectionRefused error reach main.ts, which prints one line.",
      ru: "Пусть ошибка ConnectionRefused из Deno.connect дойдёт до main.ts, который напечатает одну строку.",
    },
    async run(trial) {
      const port = String(closedPort());
      await allOf(
        [["ping", "--tcp", "--port", port], ["bulk", "--tcp", "--port", port, "--bytes", "1000"]].map(async (args) => {
          const program = trial.start(args[0], args);
          const status = await program.exitWithin(8000);
          if (!status) {
            throw new CheckFailure({
              en: `${args[0]} --tcp was still running 8 s after being pointed at port ${port}, where nothing listens`,
              ru: `${
                args[0]
              } --tcp всё ещё работал через 8 с после того, как его направили на порт ${port}, где никто не слушает`,
            }, { actual: lastLines(program) });
          }
          assertCleanError(program, status, {
            en: `when nothing listens on port ${port}`,
            ru: `когда порт ${port} никто не слушает`,
          });
        }),
      );
    },
  },
  {
    id: "ipv6",
    section: "hardening",
    title: {
      en: "over IPv6 (--host ::1): the server echoes TCP and UDP, ping --udp and bulk --tcp reach their peers",
      ru: "по IPv6 (--host ::1): сервер отвечает эхом по TCP и UDP, ping --udp и bulk --tcp доходят до собеседников",
    },
    hint: {
      en:
        "Bind and connect to the host you were given: a UDP socket for ::1 must itself be bound to ::1 (localFor gives it), and the server announces [::1]:PORT.",
      ru:
        "Открывайте сокеты и подключайтесь к тому хосту, который передан: UDP-сокет для ::1 сам должен быть открыт на ::1 (его даёт localFor), а сервер объявляет [::1]:PORT.",
    },
    async run(trial) {
      if (!hasIpv6Loopback()) {
        throw new CheckSkipped({
          en: "this machine has no IPv6 loopback (::1)",
          ru: "на этой машине нет петлевого адреса IPv6 (::1)",
        });
      }
      const { port } = await startEcho(trial, "::1");
      const whilst = { en: "over IPv6 (::1)", ru: "по IPv6 (::1)" };
      await allOf([
        udpRoundTrip(trial, port, "::1", whilst),
        echoRoundTrip(trial, port, 10_000, "::1", "grader (echo over ::1)", whilst),
        (async () => {
          const bulk = trial.start("bulk", [
            "bulk",
            "--tcp",
            "--host",
            "::1",
            "--port",
            String(port),
            "--bytes",
            "100000",
          ]);
          await exitsCleanly(bulk, 8000, { en: "it started with --host ::1", ru: "она запустилась с --host ::1" }, {
            en: '"tcp bulk to [::1]:…: 100000 bytes sent, 100000 counted by the server"',
            ru: '"tcp bulk to [::1]:…: 100000 bytes sent, 100000 counted by the server"',
          });
          if (!bulk.stdout.some((l) => l.includes("100000 bytes sent, 100000 counted"))) {
            throw new CheckFailure({
              en: "bulk --tcp --host ::1 did not report 100000 bytes sent and counted by your server",
              ru: "bulk --tcp --host ::1 не сообщил, что 100000 байтов отправлено и подсчитано вашим сервером",
            }, { actual: lastLines(bulk) });
          }
        })(),
        (async () => {
          const run = { count: 3, interval: 20, timeout: 1000, size: 64 };
          await using echo = new ScriptedEcho(() => [{}], trial.transcript, { host: "::1" });
          const ping = trial.start("ping", [
            "ping",
            "--udp",
            "--host",
            "::1",
            "--port",
            String(echo.port),
            "--count",
            String(run.count),
            "--interval",
            String(run.interval),
            "--timeout",
            String(run.timeout),
          ]);
          await exitsCleanly(ping, 8000, { en: "it started with --host ::1", ru: "она запустилась с --host ::1" }, {
            en: "a summary, then exit",
            ru: "итог, затем завершение",
          });
          if (echo.arrivals.length === 0) {
            throw new CheckFailure({
              en:
                `no probe reached the grader's echo at [::1]:${echo.port}: with --host ::1, send from a socket bound to ::1`,
              ru:
                `ни одна проба не дошла до эха проверки на [::1]:${echo.port}: с --host ::1 отправляйте из сокета, открытого на ::1`,
            }, { actual: visible(ping.stderr.join("\n") || lastLines(ping)) });
          }
          judgePing(
            ping,
            {
              probes: new Map([...echo.firstArrivals()].map(([seq, a]) => [seq, a.at])),
              answers: echo.answers.map((a) => ({ number: a.number, at: a.at })),
            },
            run,
            { en: "the grader's echo on ::1 answered every probe", ru: "эхо проверки на ::1 ответило на каждую пробу" },
          );
        })(),
      ]);
    },
  },
  {
    ...stopsOnCtrlC({
      situation: {
        en: "a TCP client is mid-echo, another mid-count, and UDP datagrams keep coming",
        ru: "один TCP-клиент посреди эха, другой посреди подсчёта, а UDP-датаграммы продолжают приходить",
      },
      async engage(trial, address) {
        if (address.transport !== "tcp") return;
        const echoing = await Peer.connect(address, trial.transcript, "grader (mid-echo)");
        trial.defer(echoing);
        await echoing.write(encoder.encode("hello, "));
        await echoing.readUntil((data) => data.length >= 7, 2000);
        const counting = await Peer.connect(address, trial.transcript, "grader (mid-count)");
        trial.defer(counting);
        await counting.write(encoder.encode(`COUNT\n${"x".repeat(1000)}`));
        const peer = new UdpPeer(trial.transcript, "grader udp");
        trial.defer(peer);
        for (let i = 0; i < 5; i++) {
          await peer.send(encoder.encode(`datagram ${i}`), address.port);
          await sleep(20);
        }
        await peer.receive(1000);
        // One more on its way as the Ctrl+C comes.
        await peer.send(encoder.encode("one more"), address.port);
      },
    }),
    section: "hardening",
  },
];
