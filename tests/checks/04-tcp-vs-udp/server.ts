/**
 * Lesson 4's checks of the echo server: TCP echo (with the reader slow, the
 * client silent or never half-closing, an opening that only starts like the
 * COUNT hello), the count, and the UDP echo for datagrams of every size and
 * for many peers at once.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import { sleep, within } from "../../harness/deadline.ts";
import { Peer } from "../../harness/socket.ts";
import { UdpPeer } from "../../harness/udp.ts";
import { allOf, bytesRu, decoder, encoder, logNames, noise, numbered, startEcho } from "./shared.ts";

/**
 * How many bytes the echo check sends; how long it waits before a second client comes (by then the first one's echo
 * is stuck: 16 MiB fill every buffer on the way while nobody reads), and at most how long the first then waits for
 * the second's echo to end before it reads.
 */
const ECHO_BYTES = 16 * 1024 * 1024;
const READ_AFTER_MS = 150;
const BESIDE_WAIT_MS = 3000;

/** Sends `data` on a connection, half-closes, and reads the echo to EOF, starting only once `readWhen` settles. */
async function slowReaderEcho(
  conn: Deno.Conn,
  data: Uint8Array,
  readWhen: Promise<unknown>,
): Promise<{ received: Uint8Array; eof: boolean }> {
  // A server that stops reading, or dies, makes the writes fail: that shows in what comes back.
  const writing = (async () => {
    for (let at = 0; at < data.length;) at += await conn.write(data.subarray(at, at + 65536));
    await conn.closeWrite();
  })().catch(() => {});
  await readWhen;
  const chunks: Uint8Array[] = [];
  let length = 0;
  let eof = false;
  const buffer = new Uint8Array(256 * 1024);
  const reading = (async () => {
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) {
        eof = true;
        return;
      }
      chunks.push(buffer.slice(0, n));
      length += n;
    }
  })().catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = await Promise.race([
    Promise.all([writing, reading]).then(() => true),
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 8000)),
  ]);
  clearTimeout(timer);
  if (!done) conn.close();
  await Promise.all([writing, reading]);
  const received = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    received.set(chunk, at);
    at += chunk.length;
  }
  return { received, eof };
}

/** How many bytes the second client echoes while the first one's echo waits for its reader. */
const BESIDE_BYTES = 256 * 1024;

/** A second client's whole echo, read at once, run while the first client is not reading. */
async function besideEcho(
  trial: Trial,
  port: number,
): Promise<{ data: Uint8Array; received: Uint8Array; closed: boolean }> {
  await using peer = await Peer.connect(
    { transport: "tcp", host: "127.0.0.1", port },
    trial.transcript,
    "grader (second client)",
  );
  const data = noise(BESIDE_BYTES);
  await peer.write(data, 8000).catch(() => {});
  await peer.closeWrite().catch(() => {});
  const closed = await peer.waitForEof(8000);
  return { data, received: peer.received.slice(), closed };
}

/** Fails unless the second client's echo came back whole, then EOF. */
function judgeBeside({ data, received, closed }: { data: Uint8Array; received: Uint8Array; closed: boolean }): void {
  const difference = firstDifference(data, received);
  if (!difference && closed) return;
  throw new CheckFailure({
    en: `a second client's ${BESIDE_BYTES} bytes, sent while the first client was not reading, did not all come back${
      difference ? `: ${difference}` : ", then EOF"
    }. Each client is served on its own, with its own buffer`,
    ru: `${bytesRu(BESIDE_BYTES)} второго клиента, отправленные, пока первый клиент не читал, вернулись не все${
      difference ? `: ${firstDifference(data, received, "ru")}` : " или без EOF"
    }. Каждого клиента обслуживают отдельно, с его собственным буфером`,
  }, {
    expected: {
      en: `${BESIDE_BYTES} bytes, the same ones, then EOF`,
      ru: `${bytesRu(BESIDE_BYTES)}, те же самые, затем EOF`,
    },
    actual: {
      en: `${received.length} bytes${closed ? ", EOF" : ", no EOF within 8 s"}`,
      ru: `${bytesRu(received.length)}${closed ? ", EOF" : ", EOF за 8 с не пришёл"}`,
    },
  });
}

/** Whether the 16 bytes of `received` from `at` on stand anywhere in `other`. */
function cameFrom(received: Uint8Array, at: number, other: Uint8Array): boolean {
  const piece = received.subarray(at, at + 16);
  if (piece.length < 16) return false;
  search: for (let i = 0; i + piece.length <= other.length; i++) {
    for (let j = 0; j < piece.length; j++) if (other[i + j] !== piece[j]) continue search;
    return true;
  }
  return false;
}

export const serverChecks: Check[] = [
  {
    id: "tcp-echo",
    title: {
      en:
        "TCP: 16 MiB of random bytes come back exactly, though the grader reads them late and another client's echo runs meanwhile; then the server closes",
      ru:
        "TCP: 16 МиБ случайных байтов возвращаются в точности, хотя проверка читает их с опозданием, а тем временем идёт эхо другого клиента; затем сервер закрывает соединение",
    },
    hint: {
      en:
        "Read in a loop into this client's own buffer and write back every byte of each read with writeAll: when the client reads slowly, write() takes only part. When read() gives null, return the byte count; the given code logs it and closes.",
      ru:
        "Читайте в цикле в собственный буфер этого клиента и отправляйте обратно все байты каждого чтения через writeAll: когда клиент читает медленно, write() берёт только часть. Когда read() вернёт null, верните число байтов; готовый код запишет его в лог и закроет соединение.",
    },
    async run(trial) {
      const { server, port } = await startEcho(trial);
      const conn = await within(Deno.connect({ hostname: "127.0.0.1", port }), 3000, {
        en: "connection to the server",
        ru: "соединения с сервером",
      });
      trial.defer({
        [Symbol.dispose]() {
          try {
            conn.close();
          } catch { /* closed */ }
        },
      });
      const data = noise(ECHO_BYTES);
      trial.transcript.event(
        "grader",
        `sends ${ECHO_BYTES} random bytes, half-closes, and reads the echo only after a second client's echo (at most ${BESIDE_WAIT_MS} ms)`,
      );
      // While the server's writes to the slow reader wait, a second client's echo runs: an echo that shared one
      // buffer between clients would send this one's bytes to the first. The first is read only once the second is
      // over, so the two overlap however busy the machine (a server that serves one client at a time gets the first
      // read after BESIDE_WAIT_MS; server-busy judges it).
      const besides = sleep(READ_AFTER_MS).then(() => besideEcho(trial, port));
      let giveUp: ReturnType<typeof setTimeout> | undefined;
      const besidesOver = Promise.race([
        besides.catch(() => {}),
        new Promise((resolve) => giveUp = setTimeout(resolve, READ_AFTER_MS + BESIDE_WAIT_MS)),
      ]).finally(() => clearTimeout(giveUp));
      const [{ received, eof }, beside] = await allOf([slowReaderEcho(conn, data, besidesOver), besides]);
      trial.transcript.event("grader", `read ${received.length} bytes back${eof ? ", then EOF" : ", and no EOF"}`);
      const difference = firstDifference(data, received);
      const at = difference ? received.findIndex((byte, i) => byte !== data[i]) : -1;
      if (difference && at >= 0 && cameFrom(received, at, beside.data)) {
        throw new CheckFailure({
          en:
            `the echo differs from what was sent: ${difference}, and the bytes from there on are the second client's. Each client's echo must read into its own buffer (the one serveTcpClient gives it), not one shared by all`,
          ru: `эхо отличается от отправленного: ${
            firstDifference(data, received, "ru")
          }, и байты с этого места — второго клиента. Эхо каждого клиента должно читать в свой буфер (тот, что ему даёт serveTcpClient), а не в один общий`,
        }, {
          expected: { en: `${data.length} bytes, the same ones`, ru: `${bytesRu(data.length)}, те же самые` },
          actual: {
            en: `from byte ${at} on, the second client's bytes`,
            ru: `с байта ${at} — байты второго клиента`,
          },
        });
      }
      if (difference) {
        throw new CheckFailure({
          en:
            `the echo differs from what was sent: ${difference}. Write back every byte of each read (writeAll: write() may take only part when the client reads slowly)`,
          ru: `эхо отличается от отправленного: ${
            firstDifference(data, received, "ru")
          }. Отправляйте обратно все байты каждого чтения (writeAll: write() может взять только часть, когда клиент читает медленно)`,
        }, {
          expected: { en: `${data.length} bytes, the same ones`, ru: `${bytesRu(data.length)}, те же самые` },
          actual: { en: `${received.length} bytes`, ru: bytesRu(received.length) },
        });
      }
      if (!eof) {
        throw new CheckFailure({
          en: "the server did not close the connection after the client half-closed and everything was echoed",
          ru: "сервер не закрыл соединение после half-close (полузакрытия) клиента, когда всё уже вернулось эхом",
        }, {
          expected: { en: "EOF once everything was echoed", ru: "EOF, как только всё отправлено обратно" },
          actual: { en: "the connection still open", ru: "соединение всё ещё открыто" },
        });
      }
      judgeBeside(beside);
      if (!await logNames(server, ECHO_BYTES, 2000)) {
        throw new CheckFailure({
          en:
            `the server's log does not say it echoed ${ECHO_BYTES} bytes: echoTcp resolves with the number of bytes it echoed`,
          ru: `в логе сервера не сказано, что он вернул эхом ${
            bytesRu(ECHO_BYTES)
          }: echoTcp разрешается числом байтов, отправленных эхом`,
        }, {
          expected: `tcp 127.0.0.1:…: echoed ${ECHO_BYTES} bytes`,
          actual: visible(server.stdout.slice(2).join("\n") || "(nothing)"),
        });
      }
    },
  },
  {
    id: "tcp-echo-open",
    title: {
      en: "TCP: each piece comes back as it arrives, a byte at a time too, while the client never half-closes",
      ru:
        "TCP: каждый кусок возвращается сразу, как пришёл, в том числе по байту, пока клиент так и не делает half-close",
    },
    hint: {
      en:
        "Echo what each read brings as soon as it brings it; do not wait for more bytes, or for the end, before writing back.",
      ru:
        "Отправляйте обратно то, что принесло каждое чтение, сразу; не ждите ни новых байтов, ни конца, прежде чем писать.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      await using peer = await Peer.connect({ transport: "tcp", host: "127.0.0.1", port }, trial.transcript);
      let sent = new Uint8Array(0);
      const say = async (bytes: Uint8Array, what: { en: string; ru: string }) => {
        const joined = new Uint8Array(sent.length + bytes.length);
        joined.set(sent);
        joined.set(bytes, sent.length);
        sent = joined;
        await peer.write(bytes);
        const back = await peer.readUntil((data) => data.length >= sent.length, 2000);
        const difference = firstDifference(sent, peer.received.subarray(0, sent.length));
        if (!back || difference) {
          throw new CheckFailure({
            en: `${what.en} did not come back within 2 s, while the client keeps its side open: echo each read at once`,
            ru:
              `${what.ru} не вернулось за 2 с, пока клиент держит свою сторону открытой: отправляйте эхом каждое чтение сразу`,
          }, {
            expected: visible(sent.length > 80 ? `${sent.length} bytes` : sent),
            actual: visible(peer.received.length > 80 ? `${peer.received.length} bytes` : peer.received),
          });
        }
      };
      await say(encoder.encode("hello\n"), { en: 'the first line, "hello\\n",', ru: 'первая строка, "hello\\n",' });
      for (const char of "abc") {
        await say(encoder.encode(char), { en: `the single byte "${char}"`, ru: `одиночный байт "${char}"` });
      }
      await say(noise(100_000), { en: "a 100,000-byte piece", ru: "кусок в 100 000 байтов" });
      trial.transcript.event("grader", "stays connected, never half-closes");
      await sleep(100);
      if (peer.done) {
        throw new CheckFailure({
          en: "the server closed the connection though the client had not half-closed",
          ru: "сервер закрыл соединение, хотя клиент не делал half-close",
        }, {
          expected: {
            en: "the connection open until the client ends it",
            ru: "соединение открыто, пока клиент его не завершит",
          },
          actual: { en: "EOF", ru: "EOF" },
        });
      }
    },
  },
  {
    id: "tcp-echo-opening",
    title: {
      en:
        "TCP: an opening that only starts like COUNT (COUN, then X; COUNT\\r\\n; count) is echoed, those bytes included",
      ru:
        "TCP: начало, которое лишь похоже на COUNT (COUN, затем X; COUNT\\r\\n; count), возвращается эхом вместе с этими байтами",
    },
    hint: {
      en:
        "Anything but exactly COUNT\\n is an echo: the bytes readOpening already took go back first (given), then echoTcp carries on.",
      ru:
        "Всё, кроме ровно COUNT\\n, — эхо: байты, которые уже взяла readOpening, уходят обратно первыми (дано), затем продолжает echoTcp.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      const cases: { name: string; pieces: string[] }[] = [
        { name: "stalled", pieces: ["COUN", "X and the rest\n"] },
        { name: "crlf", pieces: ["COUNT\r\n1234"] },
        { name: "lowercase", pieces: ["count\n", "abc"] },
        { name: "short", pieces: ["C"] },
      ];
      await allOf(cases.map(async ({ name, pieces }) => {
        await using peer = await Peer.connect(
          { transport: "tcp", host: "127.0.0.1", port },
          trial.transcript,
          `grader (${name})`,
        );
        for (const [i, piece] of pieces.entries()) {
          if (i > 0) await sleep(150);
          await peer.write(encoder.encode(piece));
        }
        await peer.closeWrite();
        const closed = await peer.waitForEof(3000);
        const want = pieces.join("");
        const got = decoder.decode(peer.received);
        if (got !== want || !closed) {
          throw new CheckFailure({
            en: `a client that opened with ${visible(pieces[0])}${
              pieces.length > 1 ? ` and then sent ${visible(pieces.slice(1).join(""))}` : ""
            } did not get all of it back, then EOF: only exactly "COUNT\\n" asks for a count`,
            ru: `клиент, начавший с ${visible(pieces[0])}${
              pieces.length > 1 ? ` и затем приславший ${visible(pieces.slice(1).join(""))}` : ""
            }, не получил всё это обратно, а затем EOF: подсчёт просит только ровно "COUNT\\n"`,
          }, {
            expected: `${visible(want)}, EOF`,
            actual: `${visible(got)}${closed ? ", EOF" : ", no EOF"}`,
          });
        }
      }));
    },
  },
  {
    id: "tcp-count",
    covers: "given",
    title: {
      en: "TCP: a client that opens with COUNT\\n, even in pieces, gets no echo, only the number of the bytes after it",
      ru: "TCP: клиент, начавший с COUNT\\n, даже по кускам, не получает эха, только число байтов после приветствия",
    },
    hint: {
      en:
        "Given: readOpening waits for the whole hello, count() reads to EOF, and the answer is the number and a newline.",
      ru: "Дано: readOpening ждёт приветствие целиком, count() читает до EOF, а ответ — число и перевод строки.",
    },
    async run(trial) {
      const { server, port } = await startEcho(trial);
      const body = noise(100_000);
      const cases: { name: string; pieces: Uint8Array[]; count: number }[] = [
        {
          name: "dribbled",
          pieces: [
            encoder.encode("C"),
            encoder.encode("OU"),
            encoder.encode("NT\n"),
            body.subarray(0, 30_000),
            body.subarray(30_000),
          ],
          count: body.length,
        },
        { name: "one write", pieces: [encoder.encode("COUNT\nabc")], count: 3 },
        { name: "empty", pieces: [encoder.encode("COUNT\n")], count: 0 },
      ];
      await allOf(cases.map(async ({ name, pieces, count }) => {
        await using peer = await Peer.connect(
          { transport: "tcp", host: "127.0.0.1", port },
          trial.transcript,
          `grader (${name})`,
        );
        for (const [i, piece] of pieces.entries()) {
          if (i > 0 && i < 3) await sleep(30);
          await peer.write(piece, 5000);
        }
        await peer.closeWrite();
        const closed = await peer.waitForEof(3000);
        const answer = decoder.decode(peer.received);
        if (answer.trim() !== String(count) || !closed) {
          throw new CheckFailure({
            en: `a client that sent "COUNT\\n" ${
              name === "dribbled" ? "in pieces " : ""
            }and then ${count} bytes did not get just their number, then EOF`,
            ru: `клиент, отправивший "COUNT\\n" ${name === "dribbled" ? "по кускам " : ""}и затем ${
              bytesRu(count)
            }, не получил только их число, а затем EOF`,
          }, {
            expected: `"${count}\\n", EOF`,
            actual: `${visible(answer.length > 80 ? `${answer.slice(0, 80)}…` : answer)}${
              closed ? ", EOF" : ", no EOF"
            }`,
          });
        }
      }));
      if (!await logNames(server, body.length, 2000)) {
        throw new CheckFailure({
          en: `the server's log does not say it counted ${body.length} bytes`,
          ru: `в логе сервера не сказано, что он насчитал ${bytesRu(body.length)}`,
        }, {
          expected: `tcp 127.0.0.1:…: counted ${body.length} bytes`,
          actual: visible(server.stdout.slice(2).join("\n") || "(nothing)"),
        });
      }
    },
  },
  {
    id: "udp-echo",
    title: {
      en: "UDP: datagrams of 0, 1, 100, 1,400, 8,000 and 65,507 bytes each come back unchanged, once",
      ru: "UDP: датаграммы в 0, 1, 100, 1400, 8000 и 65 507 байтов возвращаются без изменений, каждая один раз",
    },
    hint: {
      en:
        "receive() gives one whole datagram and who sent it; send exactly those bytes (data, not the whole buffer) back to that address, from the same socket. One datagram in, one out.",
      ru:
        "receive() отдаёт одну целую датаграмму и адрес отправителя; отправьте ровно эти байты (data, а не весь буфер) обратно по этому адресу с того же сокета. Одна пришла — одна ушла.",
    },
    async run(trial) {
      const { port } = await startEcho(trial);
      using peer = new UdpPeer(trial.transcript);
      for (const size of [0, 1, 100, 1400, 8000, 65_507]) {
        const data = numbered(size, size);
        await peer.send(data, port);
        const back = await peer.receive(2000);
        if (!back) {
          throw new CheckFailure({
            en: `no echo of a ${size}-byte datagram within 2 s at the port the server announced`,
            ru: `за 2 с на объявленный сервером порт не пришло эхо датаграммы в ${bytesRu(size)}`,
          }, {
            expected: {
              en: `the same ${size} bytes back, to the address they came from`,
              ru: `те же ${bytesRu(size)} обратно, на адрес, с которого они пришли`,
            },
            actual: { en: "nothing", ru: "ничего" },
          });
        }
        if (peer.from?.port !== port) {
          const from = peer.from ? `${peer.from.hostname}:${peer.from.port}` : "?";
          throw new CheckFailure({
            en:
              `the echo of a ${size}-byte datagram came from ${from}, not from the server's port ${port}: answer from the socket that received it (socket.send), or a client whose UDP socket is connected, as nc -u's is, never sees it`,
            ru: `эхо датаграммы в ${
              bytesRu(size)
            } пришло с ${from}, а не с порта сервера ${port}: отвечайте с того же сокета, который её принял (socket.send), иначе клиент с подключённым UDP-сокетом, как у nc -u, его не увидит`,
          }, { expected: `127.0.0.1:${port}`, actual: from });
        }
        const difference = firstDifference(data, back);
        if (difference) {
          const cut = back.length < data.length && firstDifference(data.subarray(0, back.length), back) === undefined;
          throw new CheckFailure({
            en: `the echo of a ${size}-byte datagram ${
              cut
                ? `came back cut to ${back.length} bytes: receive into a buffer of 65,507 bytes`
                : `differs: ${difference}`
            }`,
            ru: `эхо датаграммы в ${bytesRu(size)} ${
              cut
                ? `вернулось обрезанным до ${bytesRu(back.length)}: принимайте в буфер на 65 507 байтов`
                : `отличается: ${firstDifference(data, back, "ru")}`
            }`,
          }, {
            expected: { en: `${size} bytes, the same ones`, ru: `${bytesRu(size)}, те же самые` },
            actual: { en: `${back.length} bytes`, ru: bytesRu(back.length) },
          });
        }
      }
      const extra = await peer.receive(150);
      if (extra) {
        throw new CheckFailure({
          en: "the server sent more datagrams than it got: one datagram in, one out",
          ru: "сервер отправил больше датаграмм, чем получил: одна пришла — одна ушла",
        }, {
          expected: { en: "nothing more", ru: "больше ничего" },
          actual: { en: `another ${extra.length}-byte datagram`, ru: `ещё одна датаграмма в ${bytesRu(extra.length)}` },
        });
      }
    },
  },
  {
    id: "udp-peers",
    title: {
      en: "UDP: twenty peers at once each get their own datagrams back, and the log names each one",
      ru: "UDP: каждый из двадцати одновременных собеседников получает обратно свои датаграммы, и лог называет каждого",
    },
    hint: {
      en: "Answer each datagram to the address receive() returned with it, not to the first peer you saw or the last.",
      ru:
        "Отвечайте на каждую датаграмму по адресу, который receive() вернул вместе с ней, а не первому или последнему увиденному собеседнику.",
    },
    async run(trial) {
      const { server, port } = await startEcho(trial);
      const peers = Array.from({ length: 20 }, (_, i) => new UdpPeer(trial.transcript, `grader udp ${i}`));
      peers.forEach((peer) => trial.defer(peer));
      for (const round of [0, 1]) {
        const order = round === 0 ? peers : peers.slice().reverse();
        await Promise.all(order.map((peer) => peer.send(encoder.encode(`${peer.label} round ${round}`), port)));
        for (const peer of peers) {
          const back = await peer.receive(2000);
          const text = back ? decoder.decode(back) : undefined;
          if (text !== `${peer.label} round ${round}`) {
            throw new CheckFailure({
              en: `${peer.label} did not get its own datagram back: answer each datagram to the address it came from`,
              ru:
                `${peer.label} не получил обратно свою датаграмму: отвечайте на каждую датаграмму по адресу, с которого она пришла`,
            }, {
              expected: visible(`${peer.label} round ${round}`),
              actual: text === undefined ? { en: "nothing within 2 s", ru: "ничего за 2 с" } : visible(text),
            });
          }
        }
      }
      for (const peer of peers) {
        if (!await logNames(server, peer.port, 1000)) {
          throw new CheckFailure({
            en: `the server's log does not name ${peer.label}'s address (port ${peer.port}) with its first datagram`,
            ru: `лог сервера не называет адрес собеседника ${peer.label} (порт ${peer.port}) при его первой датаграмме`,
          }, {
            expected: `udp 127.0.0.1:${peer.port}: first datagram …`,
            actual: visible(server.stdout.slice(2, 8).join("\n") || "(nothing)"),
          });
        }
      }
    },
  },
];
