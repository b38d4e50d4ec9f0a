/**
 * Lesson 5's checks of the given servers: `dns-server` and `http-server` are
 * the course's code, not the learner's, and the starters pass these checks.
 * They hold the given programs to what the lesson text says of them (the
 * bytes of a DNS answer, the routes, persistence) and to what every server
 * owes: it announces its address, keeps serving others while one client
 * misbehaves, and stops on Ctrl+C.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual, Text } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { sleep } from "../../harness/deadline.ts";
import { Peer } from "../../harness/socket.ts";
import { assertCleanError, startServer, tcpAddress } from "../../harness/programs.ts";
import { UdpPeer } from "../../harness/udp.ts";
import { stopsOnCtrlC } from "../common.ts";
import { encoder } from "./support.ts";

const decoder = new TextDecoder();

/** A DNS query for `name` and `type` (1 A, 28 AAAA) with `id`, recursion desired or not. */
function query(id: number, name: string, type: number, rd: boolean): Uint8Array {
  const labels = name.split(".").flatMap((label) => [label.length, ...encoder.encode(label)]);
  const bytes = new Uint8Array(12 + labels.length + 1 + 4);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, id);
  view.setUint16(2, rd ? 0x0100 : 0);
  view.setUint16(4, 1);
  bytes.set(labels, 12);
  view.setUint16(12 + labels.length + 1, type);
  view.setUint16(12 + labels.length + 3, 1);
  return bytes;
}

/** Bytes as hex pairs, for a message. */
function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Sends `ask` and waits for the answer with its id (skipping others), or fails naming `what`. */
async function ask(udp: UdpPeer, port: number, ask: Uint8Array, what: string): Promise<Uint8Array> {
  await udp.send(ask, port);
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    const got = await udp.receive(deadline - performance.now());
    if (got && got.length >= 2 && got[0] === ask[0] && got[1] === ask[1]) return got;
  }
  throw new CheckFailure({
    en: `the given dns-server did not answer the question ${what} within 5 s`,
    ru: `готовый dns-server не ответил на вопрос ${what} за 5 с`,
  }, {
    expected: { en: "an answer with the query's id", ru: "ответ с id запроса" },
    actual: { en: "nothing", ru: "ничего" },
  });
}

/** Sends `ask` over TCP on `peer` (after its 2-byte length) and reads the answer the same way, or fails naming `what`. */
async function askTcp(peer: Peer, ask: Uint8Array, what: string): Promise<Uint8Array> {
  const from = peer.received.length;
  await peer.write(Uint8Array.of(ask.length >> 8, ask.length & 0xff, ...ask));
  return await tcpAnswer(peer, from, what);
}

/** The length-prefixed message that starts at `from` in what `peer` received, waited for 5 s, or a failure. */
async function tcpAnswer(peer: Peer, from: number, what: string): Promise<Uint8Array> {
  const whole = (data: Uint8Array) =>
    data.length >= from + 2 && data.length >= from + 2 + (data[from] << 8 | data[from + 1]);
  if (await peer.readUntil(whole, 5000)) {
    const length = peer.received[from] << 8 | peer.received[from + 1];
    return peer.received.slice(from + 2, from + 2 + length);
  }
  throw new CheckFailure({
    en: `the given dns-server did not answer the question ${what} over TCP within 5 s`,
    ru: `готовый dns-server не ответил на вопрос ${what} по TCP за 5 с`,
  }, {
    expected: {
      en: "two bytes of length, then an answer that long (RFC 1035 §4.2.2)",
      ru: "два байта длины, затем ответ такой длины (RFC 1035 §4.2.2)",
    },
    actual: `${visible(peer.received.subarray(from), 120)}${peer.done ? " (closed)" : ""}`,
  });
}

/** The header's fields of a DNS message: id, flags, and the counts of answers and authority records. */
function header(bytes: Uint8Array): { id: number; flags: number; answers: number; authority: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { id: view.getUint16(0), flags: view.getUint16(2), answers: view.getUint16(6), authority: view.getUint16(8) };
}

/** The name at `at` (following compression pointers) and where it ends where it starts. */
function nameAt(bytes: Uint8Array, at: number): [string, number] {
  const labels: string[] = [];
  let end = -1;
  for (let hops = 0; hops < 20 && at < bytes.length; hops++) {
    const length = bytes[at];
    if (length === 0) return [labels.join("."), end < 0 ? at + 1 : end];
    if (length >= 0xc0) {
      if (end < 0) end = at + 2;
      at = (length & 0x3f) << 8 | bytes[at + 1];
      continue;
    }
    labels.push(decoder.decode(bytes.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return ["(unreadable)", bytes.length];
}

/** The owner name and type of the record that starts at `at`. */
function recordAt(bytes: Uint8Array, at: number): { name: string; type: number } {
  const [name, end] = nameAt(bytes, at);
  return { name, type: end + 2 <= bytes.length ? bytes[end] << 8 | bytes[end + 1] : -1 };
}

/** Fails unless `got` is exactly `want`, byte for byte. */
function sameBytes(got: Uint8Array, want: Uint8Array, what: Bilingual): void {
  if (got.length === want.length && got.every((b, i) => b === want[i])) return;
  throw new CheckFailure({
    en: `the given dns-server's answer to ${what.en} is not the one the lesson text describes`,
    ru: `ответ готового dns-server на ${what.ru} не такой, как описано в тексте урока`,
  }, { expected: `${want.length} bytes: ${hex(want)}`, actual: `${got.length} bytes: ${hex(got)}` });
}

/** The answer the lesson text describes for a query: its id, QR and AA, RD copied, RCODE, the question, answers. */
function answerTo(q: Uint8Array, rcode: number, records: Uint8Array[], type: number): Uint8Array {
  const size = q.length + records.reduce((n, r) => n + 12 + r.length, 0);
  const bytes = new Uint8Array(size);
  bytes.set(q);
  const view = new DataView(bytes.buffer);
  view.setUint16(2, 0x8400 | (new DataView(q.buffer).getUint16(2) & 0x0100) | rcode);
  view.setUint16(6, records.length);
  let at = q.length;
  for (const record of records) {
    view.setUint16(at, 0xc00c);
    view.setUint16(at + 2, type);
    view.setUint16(at + 4, 1);
    view.setUint32(at + 6, 60);
    view.setUint16(at + 10, record.length);
    bytes.set(record, at + 12);
    at += 12 + record.length;
  }
  return bytes;
}

/** One response read off the wire by the grader. */
interface Parsed {
  status: string;
  headers: Map<string, string>;
  body: string;
  /** How many chunks it came in, when chunked. */
  chunks?: number;
  /** Where it ends in the bytes. */
  end: number;
}

/** Parses the response at `at` in `data`; undefined while incomplete. `closed`: the stream has ended. */
function parseResponse(data: Uint8Array, at: number, closed: boolean): Parsed | undefined {
  const text = decoder.decode(data.subarray(at));
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [status, ...lines] = text.slice(0, headEnd).split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let rest = data.subarray(at + encoder.encode(text.slice(0, headEnd + 4)).length);
  const start = data.length - rest.length;
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
    const parts: Uint8Array[] = [];
    let used = 0;
    for (;;) {
      const line = decoder.decode(rest.subarray(used)).match(/^([0-9a-fA-F]+)[^\r]*\r\n/);
      if (!line) return undefined;
      const size = parseInt(line[1], 16);
      used += encoder.encode(line[0]).length;
      if (size === 0) {
        if (rest.length < used + 2) return undefined;
        used += 2;
        break;
      }
      if (rest.length < used + size + 2) return undefined;
      parts.push(rest.subarray(used, used + size));
      used += size + 2;
    }
    const body = decoder.decode(Uint8Array.from(parts.flatMap((p) => [...p])));
    return { status, headers, body, chunks: parts.length, end: start + used };
  }
  if (headers.has("content-length")) {
    const length = Number(headers.get("content-length"));
    if (rest.length < length) return undefined;
    rest = rest.subarray(0, length);
    return { status, headers, body: decoder.decode(rest), end: start + length };
  }
  if (!closed) return undefined;
  return { status, headers, body: decoder.decode(rest), end: data.length };
}

/** Sends `request` on `peer` and reads `count` responses (and, with `thenEof`, the close), or fails saying what came. */
async function exchange(
  peer: Peer,
  request: string,
  count: number,
  what: string,
  thenEof = false,
): Promise<Parsed[]> {
  const from = peer.received.length;
  await peer.write(encoder.encode(request));
  const parse = (): Parsed[] | undefined => {
    const found: Parsed[] = [];
    let at = from;
    while (found.length < count) {
      const next = parseResponse(peer.received, at, peer.done);
      if (!next) return undefined;
      found.push(next);
      at = next.end;
    }
    return found;
  };
  await peer.readUntil(() => parse() !== undefined && (!thenEof || peer.done), 5000);
  if (thenEof) await peer.waitForEof(5000);
  const found = parse();
  if (found && (!thenEof || peer.done)) return found;
  throw new CheckFailure({
    en: `the given http-server did not answer ${what} as the lesson text says within 5 s`,
    ru: `готовый http-server не ответил на ${what} так, как сказано в тексте урока, за 5 с`,
  }, {
    expected: {
      en: `${count} whole response${count > 1 ? "s" : ""}${thenEof ? ", then the connection closed" : ""}`,
      ru: `целых ответов: ${count}${thenEof ? ", затем закрытие соединения" : ""}`,
    },
    actual: `${visible(peer.received.subarray(from), 300)}${peer.done ? " (closed)" : ""}`,
  });
}

/** Fails with `what` unless `ok`, saying what the text promises (`expected`) and what came. */
function expect(ok: boolean, what: Bilingual, got: Parsed | string, expected: Text): void {
  if (ok) return;
  const actual = typeof got === "string"
    ? got
    : `${got.status}; ${[...got.headers].map(([k, v]) => `${k}: ${v}`).join("; ")}; body ${visible(got.body, 120)}`;
  throw new CheckFailure({
    en: `the given http-server: ${what.en}`,
    ru: `готовый http-server: ${what.ru}`,
  }, { expected, actual });
}

/** Starts a given server with a free port on 127.0.0.1 (and `more` flags). */
async function given(trial: Trial, command: string, more: string[] = []): Promise<number> {
  const { address } = await startServer(trial, { command, args: ["--host", "127.0.0.1", "--port", "0", ...more] });
  return tcpAddress(address).port;
}

/** Starts the given http-server (with `more` flags) and its process, for checks that read its log. */
async function givenHttp(trial: Trial, more: string[] = []) {
  const { server, address } = await startServer(trial, {
    command: "http-server",
    args: ["--host", "127.0.0.1", "--port", "0", ...more],
  });
  return { server, address: tcpAddress(address) };
}

/** The status line of each response in `data` (the lines that start one), in order. */
function statusLines(data: Uint8Array): string[] {
  return decoder.decode(data).split("\r\n").filter((line) => /^HTTP\/1\.\d \d{3}/.test(line));
}

/**
 * Opens a connection, writes `request`, and reads until the server closes it (at most `ms`): what a client that
 * sent something wrong gets back. Fails unless the answers' status lines are exactly `want` and the connection
 * then closed.
 */
async function answered(
  trial: Trial,
  address: { transport: "tcp"; host: string; port: number },
  label: string,
  request: string,
  want: string[],
  why: Bilingual,
  ms = 5000,
): Promise<Peer> {
  const peer = await Peer.connect(address, trial.transcript, label);
  trial.defer(peer);
  await peer.write(encoder.encode(request));
  await peer.waitForEof(ms);
  const got = statusLines(peer.received);
  if (peer.done && got.length === want.length && got.every((line, i) => line.startsWith(want[i]))) return peer;
  throw new CheckFailure({
    en: `the given http-server: ${label}: ${why.en}`,
    ru: `готовый http-server: ${label}: ${why.ru}`,
  }, {
    expected: {
      en: `${want.join(", then ")}, then the connection closed`,
      ru: `${want.join(", затем ")}, затем закрытое соединение`,
    },
    actual: `${visible(peer.received, 300)}${peer.done ? " (closed)" : ` (still open after ${ms / 1000} s)`}`,
  });
}

const checks: Check[] = [
  {
    id: "dns-server",
    covers: "given",
    title: {
      en:
        "the given dns-server announces its address and answers as the text shows: site.loc A in 42 bytes (id, QR, AA, RD copied, TTL 60, 127.0.0.1), AAAA ::1, and again after a datagram it cannot parse",
      ru:
        "готовый dns-server сообщает свой адрес и отвечает, как показано в тексте: site.loc A в 42 байтах (id, QR, AA, копия RD, TTL 60, 127.0.0.1), AAAA ::1, и снова после датаграммы, которую он не может разобрать",
    },
    hint: {
      en: "dns.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "dns.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const port = await given(trial, "dns-server");
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      const a = query(0x2a2a, "site.loc", 1, true);
      sameBytes(
        await ask(udp, port, a, "site.loc A"),
        answerTo(a, 0, [Uint8Array.of(127, 0, 0, 1)], 1),
        { en: "site.loc A (recursion desired)", ru: "site.loc A (с флагом RD)" },
      );
      const six = query(0x1717, "site.loc", 28, false);
      const loopback = new Uint8Array(16);
      loopback[15] = 1;
      sameBytes(
        await ask(udp, port, six, "site.loc AAAA"),
        answerTo(six, 0, [loopback], 28),
        { en: "site.loc AAAA (no recursion desired)", ru: "site.loc AAAA (без флага RD)" },
      );
      // A datagram that is no DNS message: the server must go on answering others.
      await udp.send(Uint8Array.of(0xde, 0xad, 0xbe), port);
      const again = query(0x0303, "site.loc", 1, true);
      sameBytes(
        await ask(udp, port, again, "site.loc A, after the datagram it cannot parse"),
        answerTo(again, 0, [Uint8Array.of(127, 0, 0, 1)], 1),
        { en: "site.loc A after 3 bytes of garbage", ru: "site.loc A после 3 байтов мусора" },
      );
    },
  },
  {
    id: "dns-negative",
    covers: "given",
    title: {
      en:
        "the given dns-server says NXDOMAIN for an unknown name under site.loc, with the zone's SOA in the authority section, the same SOA with NOERROR for a type site.loc has none of, and REFUSED, without AA, for a name outside its zone",
      ru:
        "готовый dns-server отвечает NXDOMAIN на незнакомое имя внутри site.loc, с SOA зоны в разделе authority, той же SOA с NOERROR на тип, записей которого у site.loc нет, и REFUSED без AA на имя вне своей зоны",
    },
    hint: {
      en: "dns.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "dns.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const port = await given(trial, "dns-server");
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      const nope = query(0x0303, "nope.site.loc", 1, true);
      const answer = await ask(udp, port, nope, "nope.site.loc A");
      const head = header(answer);
      const soa = recordAt(answer, nope.length);
      if (
        (head.flags & 0x840f) !== 0x8403 || head.answers !== 0 || head.authority !== 1 || soa.type !== 6 ||
        soa.name !== "site.loc"
      ) {
        throw new CheckFailure({
          en:
            "the given dns-server's answer to nope.site.loc A is not the NXDOMAIN with the zone's SOA the text describes",
          ru: "ответ готового dns-server на nope.site.loc A — не тот NXDOMAIN с SOA зоны, что описан в тексте",
        }, {
          expected: "QR=1 AA=1 RCODE 3, 0 answers, 1 authority record: site.loc SOA (type 6)",
          actual: `${answer.length} bytes: ${hex(answer)}`,
        });
      }
      const mx = query(0x0505, "site.loc", 15, true);
      const nodata = await ask(udp, port, mx, "site.loc MX");
      const mxSoa = recordAt(nodata, mx.length);
      if (
        (header(nodata).flags & 0x840f) !== 0x8400 || header(nodata).answers !== 0 || header(nodata).authority !== 1 ||
        mxSoa.type !== 6 || mxSoa.name !== "site.loc"
      ) {
        throw new CheckFailure({
          en:
            "the given dns-server's answer to site.loc MX (a name it knows, a type it has none of) is not the one the text describes",
          ru:
            "ответ готового dns-server на site.loc MX (имя он знает, записей этого типа нет) не такой, как описано в тексте",
        }, {
          expected: "QR=1 AA=1 RCODE 0, 0 answers, 1 authority record: site.loc SOA (type 6)",
          actual: `${nodata.length} bytes: ${hex(nodata)}`,
        });
      }
      const outside = query(0x0404, "nope.loc", 1, true);
      const refused = await ask(udp, port, outside, "nope.loc A");
      sameBytes(
        refused,
        (() => {
          const want = answerTo(outside, 5, [], 1);
          want[2] &= ~0x04; // no AA: the server has no say over nope.loc
          return want;
        })(),
        { en: "nope.loc A (outside its zone)", ru: "nope.loc A (вне его зоны)" },
      );
    },
  },
  {
    id: "dns-not-a-query",
    covers: "given",
    title: {
      en:
        "the given dns-server never answers a response (QR=1), answers an opcode it does not implement with NOTIMP and a query it cannot parse with FORMERR, and goes on answering queries",
      ru:
        "готовый dns-server никогда не отвечает на ответ (QR=1), на незнакомый ему opcode отвечает NOTIMP, на запрос, который не может разобрать, — FORMERR, и продолжает отвечать на запросы",
    },
    hint: {
      en: "dns.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "dns.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const port = await given(trial, "dns-server");
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      const response = query(0x6161, "site.loc", 1, true);
      response[2] |= 0x80; // QR=1: it looks like an answer
      const status = query(0x6262, "site.loc", 1, true);
      status[2] |= 2 << 3; // opcode 2, STATUS: not implemented by the server
      const plain = query(0x6363, "site.loc", 1, true);
      const two = query(0x6464, "site.loc", 1, true);
      two[5] = 2; // two questions, one there: a query it cannot parse
      for (const datagram of [response, status, two, plain]) await udp.send(datagram, port);
      // The server answers in order: whatever it sends for the first two comes before the answer to the third.
      const got = new Map<number, Uint8Array>();
      const deadline = performance.now() + 5000;
      while ((!got.has(0x6262) || !got.has(0x6363) || !got.has(0x6464)) && performance.now() < deadline) {
        const datagram = await udp.receive(deadline - performance.now());
        if (datagram && datagram.length >= 12) got.set(header(datagram).id, datagram);
      }
      if (got.has(0x6161)) {
        throw new CheckFailure({
          en:
            "the given dns-server answered a response (QR=1): two servers (or one, to itself) would answer each other for ever",
          ru:
            "готовый dns-server ответил на ответ (QR=1): два сервера (или один сам себе) отвечали бы друг другу бесконечно",
        }, {
          expected: { en: "no answer at all to a datagram with QR=1", ru: "никакого ответа на датаграмму с QR=1" },
          actual: hex(got.get(0x6161)!),
        });
      }
      const notimp = got.get(0x6262);
      if (!notimp || (header(notimp).flags & 0xf80f) !== 0x9004) {
        throw new CheckFailure({
          en: "the given dns-server did not answer a query with opcode 2 (STATUS) with NOTIMP",
          ru: "готовый dns-server не ответил NOTIMP на запрос с opcode 2 (STATUS)",
        }, {
          expected: {
            en: "the query's id, QR=1, opcode 2, RCODE 4 (NOTIMP)",
            ru: "id запроса, QR=1, opcode 2, RCODE 4 (NOTIMP)",
          },
          actual: notimp ? hex(notimp) : { en: "nothing within 5 s", ru: "ничего за 5 с" },
        });
      }
      const formerr = got.get(0x6464);
      if (!formerr || (header(formerr).flags & 0x800f) !== 0x8001) {
        throw new CheckFailure({
          en: "the given dns-server did not answer a query it cannot parse (2 questions counted, 1 there) with FORMERR",
          ru:
            "готовый dns-server не ответил FORMERR на запрос, который не может разобрать (вопросов 2 по счётчику, 1 на деле)",
        }, {
          expected: { en: "the query's id, QR=1, RCODE 1 (FORMERR)", ru: "id запроса, QR=1, RCODE 1 (FORMERR)" },
          actual: formerr ? hex(formerr) : { en: "nothing within 5 s", ru: "ничего за 5 с" },
        });
      }
      const answer = got.get(0x6363);
      if (!answer) {
        throw new CheckFailure({
          en: "the given dns-server stopped answering after a response and an unknown opcode",
          ru: "готовый dns-server перестал отвечать после ответа и незнакомого opcode",
        }, {
          expected: { en: "an answer to site.loc A", ru: "ответ на site.loc A" },
          actual: { en: "nothing within 5 s", ru: "ничего за 5 с" },
        });
      }
      sameBytes(answer, answerTo(plain, 0, [Uint8Array.of(127, 0, 0, 1)], 1), {
        en: "site.loc A after a response and an unknown opcode",
        ru: "site.loc A после ответа и незнакомого opcode",
      });
    },
  },
  {
    id: "dns-log-escapes",
    covers: "given",
    title: {
      en:
        "the given dns-server logs a query name with control characters escaped (ESC as \\x1b, CR, LF): one log line, nothing the terminal would obey",
      ru:
        "готовый dns-server пишет в журнал имя из запроса с экранированными управляющими символами (ESC как \\x1b, CR, LF): одна строка журнала, ничего, чему подчинился бы терминал",
    },
    hint: {
      en: "dns.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "dns.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const { server, address } = await startServer(trial, {
        command: "dns-server",
        args: ["--host", "127.0.0.1", "--port", "0"],
      });
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      const evil = "\x1b[2Jwipe\r\nforged.site.loc";
      await ask(udp, tcpAddress(address).port, query(0x0e0e, evil, 1, true), visible(evil));
      const line = await server.waitFor(() => server.stdout.find((l) => l.includes("wipe")), 5000, {
        en: "a log line for the query",
        ru: "строку журнала о запросе",
      });
      // deno-lint-ignore no-control-regex
      if (/[\x00-\x1f\x7f]/.test(line) || !line.includes("\\x1b") || !line.includes("forged")) {
        throw new CheckFailure({
          en: "the given dns-server printed a query name from the network with its control characters raw",
          ru: "готовый dns-server напечатал имя из сети с управляющими символами как есть",
        }, {
          expected: {
            en: "one line, the name's ESC shown as \\x1b, CR and LF escaped too",
            ru: "одна строка, ESC из имени показан как \\x1b, CR и LF тоже экранированы",
          },
          actual: visible(line),
        });
      }
    },
  },
  {
    id: "dns-tcp",
    covers: "given",
    title: {
      en:
        "the given dns-server answers over TCP on the same port, each message after its 2-byte length: the same 42 bytes for site.loc A, two queries sent at once, a length that comes a byte at a time, while one TCP client sits silent and another stops half-way through a query",
      ru:
        "готовый dns-server отвечает по TCP на том же порту, каждое сообщение после 2 байтов длины: те же 42 байта на site.loc A, два запроса, посланных разом, длина, пришедшая по байту, пока один TCP-клиент молчит, а другой остановился на середине запроса",
    },
    hint: {
      en: "dns.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "dns.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const port = await given(trial, "dns-server");
      const address = { transport: "tcp" as const, host: "127.0.0.1", port };
      // Two clients that misbehave first: one silent, one that stops half-way through a query. The others are served.
      const silent = await Peer.connect(address, trial.transcript, "grader (TCP, silent)");
      trial.defer(silent);
      const half = await Peer.connect(address, trial.transcript, "grader (TCP, half a query)");
      trial.defer(half);
      await half.write(Uint8Array.of(0, 26, 0x12, 0x34, 1, 0));
      const peer = await Peer.connect(address, trial.transcript, "grader (TCP)");
      trial.defer(peer);
      const udp = new UdpPeer(trial.transcript, "grader dns client (UDP)");
      trial.defer(udp);
      const overUdp = query(0x6f6f, "site.loc", 1, true);
      sameBytes(
        await ask(udp, port, overUdp, "site.loc A over UDP"),
        answerTo(overUdp, 0, [Uint8Array.of(127, 0, 0, 1)], 1),
        {
          en: "site.loc A over UDP, while two TCP clients sit silent",
          ru: "site.loc A по UDP, пока два TCP-клиента молчат",
        },
      );
      const a = query(0x7070, "site.loc", 1, true);
      sameBytes(await askTcp(peer, a, "site.loc A"), answerTo(a, 0, [Uint8Array.of(127, 0, 0, 1)], 1), {
        en: "site.loc A over TCP",
        ru: "site.loc A по TCP",
      });
      const one = query(0x7171, "site.loc", 1, false), two = query(0x7272, "site.loc", 28, true);
      const from = peer.received.length;
      await peer.write(Uint8Array.of(0, one.length, ...one, 0, two.length, ...two));
      const first = await tcpAnswer(peer, from, "site.loc A (the first of two sent at once)");
      const second = await tcpAnswer(peer, from + 2 + first.length, "site.loc AAAA (the second of two sent at once)");
      const loopback = new Uint8Array(16);
      loopback[15] = 1;
      sameBytes(first, answerTo(one, 0, [Uint8Array.of(127, 0, 0, 1)], 1), {
        en: "site.loc A, the first of two queries in one write",
        ru: "site.loc A, первый из двух запросов, записанных разом",
      });
      sameBytes(second, answerTo(two, 0, [loopback], 28), {
        en: "site.loc AAAA, the second of two queries in one write",
        ru: "site.loc AAAA, второй из двух запросов, записанных разом",
      });
      const slow = query(0x7373, "site.loc", 1, true);
      const at = peer.received.length;
      await peer.write(Uint8Array.of(0));
      await sleep(100);
      await peer.write(Uint8Array.of(slow.length));
      await sleep(100);
      await peer.write(slow);
      sameBytes(
        await tcpAnswer(peer, at, "site.loc A (its length sent a byte at a time)"),
        answerTo(slow, 0, [
          Uint8Array.of(127, 0, 0, 1),
        ], 1),
        { en: "site.loc A, its length sent a byte at a time", ru: "site.loc A, длина прислана по байту" },
      );
    },
  },
  {
    id: "dns-zone",
    covers: "given",
    title: {
      en:
        "the given dns-server takes a zone on stdin (--zone -): its names answer, a name outside it is REFUSED, 40 A records come over TCP and over UDP only as a truncated answer (TC); a bad zone line, or a zone file it may not read, is one error line",
      ru:
        "готовый dns-server берёт зону из stdin (--zone -): её имена отвечают, имя вне её получает REFUSED, 40 записей A приходят по TCP, а по UDP — только усечённый ответ (TC); плохая строка зоны или файл зоны, который ему нельзя читать, — одна строка ошибки",
    },
    hint: {
      en: "dns.ts and main.ts are given: take them back as they were (deno task reset 5) if this fails.",
      ru: "dns.ts и main.ts даны готовыми: если проверка не проходит, верните их (deno task reset 5).",
    },
    async run(trial) {
      const big = Array.from({ length: 40 }, (_, i) => `big.zone.test A 10.0.0.${i + 1}`);
      const zone = ["# the grader's zone", "zone.test A 127.0.0.7", "www.zone.test AAAA ::7", ...big, ""].join("\n");
      const server = trial.start("dns-server", ["dns-server", "--host", "127.0.0.1", "--port", "0", "--zone", "-"], {
        stdin: "piped",
      });
      await server.type(zone);
      await server.closeConsole();
      const port = tcpAddress(await server.listening()).port;
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      const www = query(0x0101, "www.zone.test", 28, true);
      const seven = new Uint8Array(16);
      seven[15] = 7;
      sameBytes(await ask(udp, port, www, "www.zone.test AAAA"), answerTo(www, 0, [seven], 28), {
        en: "www.zone.test AAAA (from the zone on stdin)",
        ru: "www.zone.test AAAA (из зоны в stdin)",
      });
      const site = query(0x0202, "site.loc", 1, true);
      const refused = header(await ask(udp, port, site, "site.loc A"));
      const bigA = query(0x0303, "big.zone.test", 1, true);
      const cut = await ask(udp, port, bigA, "big.zone.test A");
      const peer = await Peer.connect({ transport: "tcp", host: "127.0.0.1", port }, trial.transcript, "grader (TCP)");
      trial.defer(peer);
      const whole = await askTcp(peer, bigA, "big.zone.test A");
      const problems: string[] = [];
      if ((refused.flags & 0x000f) !== 5) problems.push(`site.loc A (not in zone.test): RCODE ${refused.flags & 0xf}`);
      if ((header(cut).flags & 0x0200) === 0 || cut.length > 512) {
        problems.push(`big.zone.test A over UDP: ${cut.length} bytes, TC ${header(cut).flags & 0x0200 ? 1 : 0}`);
      }
      if (header(whole).answers !== 40 || (header(whole).flags & 0x0200) !== 0) {
        problems.push(`big.zone.test A over TCP: ${header(whole).answers} answers, ${whole.length} bytes`);
      }
      if (problems.length) {
        throw new CheckFailure({
          en: "the given dns-server did not answer from the zone on stdin as the text says",
          ru: "готовый dns-server ответил из зоны в stdin не так, как сказано в тексте",
        }, {
          expected: {
            en: "site.loc REFUSED (RCODE 5); over UDP at most 512 bytes with TC set; over TCP all 40 records, no TC",
            ru: "site.loc — REFUSED (RCODE 5); по UDP не больше 512 байтов с флагом TC; по TCP все 40 записей, без TC",
          },
          actual: problems.join("; "),
        });
      }
      const bad = trial.start("dns-server (bad zone)", ["dns-server", "--port", "0", "--zone", "-"], {
        stdin: "piped",
      });
      await bad.type("zone.test A 127.0.0.7\nzone.test MX mail.zone.test\n");
      await bad.closeConsole();
      await endsInOneError(bad, {
        en: "given a zone line it cannot read",
        ru: "получив строку зоны, которую не может прочитать",
      });
      // A file named on the command line: the task grants no read access, so without a terminal to ask at, one line.
      const file = trial.start("dns-server (--zone FILE)", ["dns-server", "--port", "0", "--zone", "grader.zone"]);
      await endsInOneError(file, {
        en: "told to read a zone file it may not read",
        ru: "получив файл зоны, который ему нельзя читать",
      });
    },
  },
  {
    id: "http-server",
    covers: "given",
    title: {
      en:
        "the given http-server announces its address and serves as the text says: 302 to /posts, the page, POST adds a post, /chunked in three chunks, /until-close, 404, two requests on one connection, HTTP/1.0 and no Host, while another client sits silent",
      ru:
        "готовый http-server сообщает свой адрес и отвечает, как сказано в тексте: 302 на /posts, страница, POST добавляет пост, /chunked тремя кусками, /until-close, 404, два запроса по одному соединению, HTTP/1.0 и запрос без Host, пока другой клиент молчит",
    },
    hint: {
      en: "http.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "http.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const port = await given(trial, "http-server");
      const address = { transport: "tcp" as const, host: "127.0.0.1", port };
      const silent = await Peer.connect(address, trial.transcript, "grader (silent)");
      trial.defer(silent);
      const open = async (label: string) => {
        const peer = await Peer.connect(address, trial.transcript, label);
        trial.defer(peer);
        return peer;
      };
      const [pipelined, posts, old, hostless, garbage] = await Promise.all([
        open("grader (two at once)"),
        open("grader (posts)"),
        open("grader (HTTP/1.0)"),
        open("grader (no Host)"),
        open("grader (no HTTP at all)"),
      ]);
      // First a client that sends no HTTP at all; whatever the server makes of it, the others are served after it.
      await garbage.write(encoder.encode("hello? anyone?\r\n\r\n"));
      await garbage.readUntil((data) => data.length > 0, 5000);
      await Promise.all([
        (async () => {
          const [found, missing] = await exchange(
            pipelined,
            "GET / HTTP/1.1\r\nHost: site.loc\r\n\r\nGET /nothing HTTP/1.1\r\nHost: site.loc\r\nConnection: close\r\n\r\n",
            2,
            "GET / and GET /nothing (Connection: close) written at once",
            true,
          );
          expect(
            found.status === "HTTP/1.1 302 Found" && found.headers.get("location") === "/posts" &&
              found.headers.get("content-length") === "0",
            {
              en: "GET / is not a 302 to /posts with content-length: 0",
              ru: "GET / — не 302 на /posts с content-length: 0",
            },
            found,
            "HTTP/1.1 302 Found; location: /posts; content-length: 0",
          );
          expect(
            missing.status.startsWith("HTTP/1.1 404 "),
            { en: "GET /nothing is not a 404", ru: "GET /nothing — не 404" },
            missing,
            "HTTP/1.1 404 Not Found",
          );
        })(),
        (async () => {
          const words = `grader post ${crypto.randomUUID().slice(0, 8)}`;
          const post = `POST /posts HTTP/1.1\r\nHOST: site.loc\r\nContent-Length: ${words.length}\r\n\r\n${words}`;
          const [made] = await exchange(posts, post, 1, "POST /posts");
          expect(
            made.status === "HTTP/1.1 201 Created" && made.body === `<p>${words}</p>\n`,
            {
              en: "POST /posts is not a 201 Created echoing the post",
              ru: "POST /posts — не 201 Created с эхом поста",
            },
            made,
            `HTTP/1.1 201 Created; body ${visible(`<p>${words}</p>\n`)}`,
          );
          await exchange(posts, post, 1, "the same POST /posts again");
          const [page] = await exchange(posts, "GET /posts HTTP/1.1\r\nhost: site.loc\r\n\r\n", 1, "GET /posts");
          expect(
            page.status === "HTTP/1.1 200 OK" && page.headers.get("content-type") === "text/html; charset=utf-8" &&
              page.body.includes("<title>Posts</title>") && page.body.split(`<li>${words}</li>`).length === 3,
            {
              en: "GET /posts is not the HTML page with the post twice (it was sent twice)",
              ru: "GET /posts — не HTML-страница, где пост есть дважды (его отправили дважды)",
            },
            page,
            `HTTP/1.1 200 OK; content-type: text/html; charset=utf-8; <title>Posts</title> and <li>${words}</li> twice`,
          );
          const [chunked] = await exchange(posts, "GET /chunked HTTP/1.1\r\nHost: site.loc\r\n\r\n", 1, "GET /chunked");
          expect(
            chunked.chunks === 3 && chunked.body === "<p>sent in three chunks</p>\n",
            { en: "/chunked does not come in three chunks", ru: "/chunked приходит не тремя кусками" },
            chunked,
            { en: "3 chunks making <p>sent in three chunks</p>", ru: "3 куска, вместе <p>sent in three chunks</p>" },
          );
          const [whole] = await exchange(
            posts,
            "GET /until-close HTTP/1.1\r\nHost: site.loc\r\n\r\n",
            1,
            "GET /until-close",
            true,
          );
          expect(
            !whole.headers.has("content-length") && !whole.headers.has("transfer-encoding") &&
              whole.body === "<p>this body ends when the connection does</p>\n",
            {
              en: "/until-close does not come without a length, ended by the close",
              ru: "/until-close приходит не без длины с концом по закрытию",
            },
            whole,
            {
              en: "no content-length, no transfer-encoding; the body, then the close",
              ru: "ни content-length, ни transfer-encoding; тело, затем закрытие",
            },
          );
        })(),
        (async () => {
          const [answer] = await exchange(old, "GET /posts HTTP/1.0\r\n\r\n", 1, "GET /posts HTTP/1.0", true);
          expect(
            answer.headers.get("connection") === "close",
            {
              en: "a request in HTTP/1.0 does not get connection: close back",
              ru: "на запрос в HTTP/1.0 не приходит connection: close",
            },
            answer,
            { en: "connection: close, then the close", ru: "connection: close, затем закрытие" },
          );
        })(),
        (async () => {
          const [answer] = await exchange(hostless, "GET /posts HTTP/1.1\r\n\r\n", 1, "GET /posts without Host", true);
          expect(
            answer.status.startsWith("HTTP/1.1 400 ") && answer.body.includes("HTTP/1.1 requests must say Host"),
            {
              en: "a request without Host does not get 400 Bad Request and 'HTTP/1.1 requests must say Host'",
              ru: "на запрос без Host не приходит 400 Bad Request и 'HTTP/1.1 requests must say Host'",
            },
            answer,
            "HTTP/1.1 400 Bad Request; body: HTTP/1.1 requests must say Host",
          );
        })(),
      ]);
      if (silent.done) {
        throw new CheckFailure({
          en: "the given http-server closed a silent client's connection while serving others",
          ru: "готовый http-server закрыл соединение молчащего клиента, пока обслуживал других",
        }, {
          expected: {
            en: "the silent client's connection still open",
            ru: "соединение молчащего клиента всё ещё открыто",
          },
          actual: { en: "closed", ru: "закрыто" },
        });
      }
    },
  },
  {
    id: "http-framing",
    covers: "given",
    title: {
      en:
        "the given http-server frames requests as RFC 9112 says: Transfer-Encoding with Content-Length, a Content-Length of 0x5, 1e1, +5 or two different numbers, `Host : x` and two Host lines each get 400 and a close (no smuggled request is answered); a chunked body, an absolute-form target and bare-LF lines are served; Expect: 100-continue gets 100 Continue before the body is sent (not in HTTP/1.0), another expectation 417",
      ru:
        "готовый http-server разбирает запросы по RFC 9112: Transfer-Encoding вместе с Content-Length, Content-Length вида 0x5, 1e1, +5 или с двумя разными числами, `Host : x` и две строки Host получают 400 и закрытие (спрятанный запрос без ответа); тело кусками, цель в абсолютной форме и строки с одним LF обслуживаются; Expect: 100-continue получает 100 Continue до отправки тела (не в HTTP/1.0), другое ожидание — 417",
    },
    hint: {
      en: "http.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "http.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const { address } = await givenHttp(trial);
      const refused = (label: string, head: string, body = "") =>
        answered(trial, address, label, `${head}\r\n\r\n${body}`, ["HTTP/1.1 400 "], {
          en: "a request whose framing or Host is ambiguous must get 400 Bad Request alone, then the close",
          ru: "запрос с неоднозначной длиной тела или Host должен получить только 400 Bad Request, затем закрытие",
        });
      const post = "POST /posts HTTP/1.1\r\nHost: site.loc";
      // An expectation the server cannot meet: 417, and the close (the body was never read).
      const refusedWith417 = () =>
        answered(
          trial,
          address,
          "grader (Expect: 200-ok)",
          `${post}\r\nExpect: 200-ok\r\nContent-Length: 5\r\n\r\nhello`,
          ["HTTP/1.1 417 "],
          {
            en: "an Expect other than 100-continue gets 417 Expectation Failed (RFC 9110, 10.1.1), then the close",
            ru: "Expect, отличный от 100-continue, получает 417 Expectation Failed (RFC 9110, 10.1.1), затем закрытие",
          },
        );
      // A client that asks for a go-ahead sends its body only once the 100 has come, and nothing else before it.
      const goAhead = async () => {
        const label = "grader (Expect: 100-continue)";
        const peer = await Peer.connect(address, trial.transcript, label);
        trial.defer(peer);
        await peer.write(
          encoder.encode(`${post}\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n`),
        );
        const interim = "HTTP/1.1 100 Continue\r\n\r\n";
        await peer.readUntil((data) => data.length >= interim.length, 2000);
        expect(
          decoder.decode(peer.received) === interim,
          {
            en:
              `${label}: a request that says Expect: 100-continue gets "100 Continue" before its body is sent, within 2 s`,
            ru: `${label}: запрос с Expect: 100-continue получает "100 Continue" до того, как послано тело, за 2 с`,
          },
          visible(peer.received, 300),
          visible(interim),
        );
        await peer.write(encoder.encode("hello"));
        await peer.waitForEof(5000);
        const got = decoder.decode(peer.received);
        expect(
          statusLines(peer.received).map((line) => line.slice(0, 13)).join(", ") === "HTTP/1.1 100 , HTTP/1.1 201 " &&
            got.includes("<p>hello</p>"),
          {
            en: `${label}: after the 100 and the body, the POST is answered 201 with the body echoed`,
            ru: `${label}: после 100 и тела POST получает ответ 201 с тем же телом`,
          },
          visible(got, 300),
          "HTTP/1.1 100 Continue, then HTTP/1.1 201 Created with <p>hello</p>",
        );
      };
      await Promise.all([
        // Content-Length says 4 bytes ("0\r\n\r" would be a body); chunked says the body ends at "0": the GET after
        // it is a second request to a reader of chunks, part of the body to a reader of lengths. Neither: 400, close.
        refused(
          "grader (Transfer-Encoding and Content-Length)",
          `${post}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked`,
          "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: site.loc\r\n\r\n",
        ),
        refused("grader (Content-Length: 0x5)", `${post}\r\nContent-Length: 0x5`, "hello"),
        refused("grader (Content-Length: 1e1)", `${post}\r\nContent-Length: 1e1`, "hellohello"),
        refused("grader (Content-Length: +5)", `${post}\r\nContent-Length: +5`, "hello"),
        refused("grader (Content-Length 5 and 6)", `${post}\r\nContent-Length: 5\r\nContent-Length: 6`, "hello!"),
        refused("grader (Host : x)", "GET /posts HTTP/1.1\r\nHost : site.loc"),
        refused("grader (two Host lines)", "GET /posts HTTP/1.1\r\nHost: site.loc\r\nHost: evil.loc"),
        answered(
          trial,
          address,
          "grader (a chunked body)",
          `${post}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nchunk\r\n7;x=y\r\ned body\r\n0\r\n\r\n`,
          ["HTTP/1.1 201 "],
          { en: "a POST with a chunked body must be taken", ru: "POST с телом кусками должен быть принят" },
        ).then((peer) =>
          expect(
            decoder.decode(peer.received).includes("<p>chunked body</p>"),
            { en: "the chunked POST was not echoed whole", ru: "POST кусками не вернулся целиком" },
            decoder.decode(peer.received),
            "<p>chunked body</p>",
          )
        ),
        answered(
          trial,
          address,
          "grader (absolute-form target)",
          "GET http://site.loc/posts HTTP/1.1\r\nHost: site.loc\r\nConnection: close\r\n\r\n",
          ["HTTP/1.1 200 "],
          {
            en: "a target in absolute form (RFC 9112, 3.2.2) is served as its path",
            ru: "цель в абсолютной форме (RFC 9112, 3.2.2) обслуживается по её пути",
          },
        ),
        refusedWith417(),
        goAhead(),
        // HTTP/1.0 has no 100 Continue: its Expect is ignored, and the only answer is the 201.
        answered(
          trial,
          address,
          "grader (HTTP/1.0, Expect: 100-continue)",
          "POST /posts HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
          ["HTTP/1.1 201 "],
          {
            en: "an HTTP/1.0 request's Expect is ignored (RFC 9110, 10.1.1): its answer alone, no 100 Continue",
            ru: "Expect в запросе HTTP/1.0 не учитывается (RFC 9110, 10.1.1): только ответ, без 100 Continue",
          },
        ),
        answered(
          trial,
          address,
          "grader (bare LF)",
          "GET / HTTP/1.1\nHost: site.loc\nConnection: close\n\n",
          ["HTTP/1.1 302 "],
          {
            en: "lines ending in a bare LF are taken as lines (RFC 9112, 2.2), not waited on",
            ru: "строки, которые кончаются одним LF, считаются строками (RFC 9112, 2.2), их не ждут вечно",
          },
        ),
      ]);
    },
  },
  {
    id: "http-limits",
    covers: "given",
    title: {
      en:
        "the given http-server answers a body over 64 KiB with 413 and a head over 8 KiB with 431, without reading them, and logs a request line with control characters escaped (\\x1b), not raw",
      ru:
        "готовый http-server отвечает на тело больше 64 КиБ кодом 413, на заголовки больше 8 КиБ кодом 431, не читая их, и пишет в журнал строку запроса с управляющими символами в виде экранирования (\\x1b), а не как есть",
    },
    hint: {
      en: "http.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "http.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const { server, address } = await givenHttp(trial);
      await Promise.all([
        answered(
          trial,
          address,
          "grader (a 65,537-byte body announced)",
          "POST /posts HTTP/1.1\r\nHost: site.loc\r\nContent-Length: 65537\r\n\r\n",
          ["HTTP/1.1 413 "],
          { en: "a body over the limit is 413 Content Too Large", ru: "тело больше предела — 413 Content Too Large" },
        ),
        answered(
          trial,
          address,
          "grader (a 9,000-byte header)",
          `GET /posts HTTP/1.1\r\nHost: site.loc\r\nX-Big: ${"a".repeat(9000)}\r\n\r\n`,
          ["HTTP/1.1 431 "],
          {
            en: "a head over the limit is 431 Request Header Fields Too Large",
            ru: "заголовки больше предела — 431 Request Header Fields Too Large",
          },
        ),
        (async () => {
          const peer = await Peer.connect(address, trial.transcript, "grader (ESC in the target)");
          trial.defer(peer);
          await peer.write(encoder.encode("GET /\x1b]0;owned\x07\x1b[2J HTTP/1.1\r\nHost: site.loc\r\n\r\n"));
          await peer.readUntil((data) => data.length > 0, 5000);
        })(),
      ]);
      const logged = () => server.stdout.find((line) => line.includes("\\x1b"));
      await server.waitFor(logged, 5000, {
        en: "the given http-server did not log the request with ESC in its target, escaped as \\x1b, within 5 s",
        ru: "готовый http-server не записал в журнал запрос с ESC в цели, экранированным как \\x1b, за 5 с",
      });
      // deno-lint-ignore no-control-regex
      const raw = server.stdout.find((line) => /[\x00-\x08\x0b-\x1f\x7f]/.test(line));
      expect(
        raw === undefined,
        {
          en: "a control character from the network reached its log raw, where it would drive the terminal",
          ru: "управляющий символ из сети попал в журнал как есть и управлял бы терминалом",
        },
        visible(raw ?? ""),
        {
          en: "every control character escaped, e.g. \\x1b",
          ru: "все управляющие символы экранированы, например \\x1b",
        },
      );
    },
  },
  {
    id: "http-timeouts",
    covers: "given",
    title: {
      en:
        "the given http-server --timeout 500 answers a client that sends half a head with 408 and closes, and closes a silent client, within seconds; others are served meanwhile",
      ru:
        "готовый http-server --timeout 500 отвечает клиенту, приславшему половину заголовков, кодом 408 и закрывает соединение, а молчащего закрывает, за секунды; остальных тем временем обслуживает",
    },
    hint: {
      en: "http.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "http.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const { address } = await givenHttp(trial, ["--timeout", "500"]);
      const silent = await Peer.connect(address, trial.transcript, "grader (silent)");
      trial.defer(silent);
      await Promise.all([
        answered(
          trial,
          address,
          "grader (half a head, then nothing)",
          "GET /posts HTTP/1.1\r\nHost: site.loc\r\nX-Slow: ",
          ["HTTP/1.1 408 "],
          {
            en: "a head not whole within --timeout gets 408 Request Timeout, then the close",
            ru: "заголовки, не пришедшие целиком за --timeout, получают 408 Request Timeout, затем закрытие",
          },
        ),
        answered(
          trial,
          address,
          "grader (in time)",
          "GET /posts HTTP/1.1\r\nHost: site.loc\r\nConnection: close\r\n\r\n",
          ["HTTP/1.1 200 "],
          { en: "a whole request in time is served", ru: "целый запрос, пришедший вовремя, обслуживается" },
        ),
      ]);
      await silent.waitForEof(5000);
      expect(
        silent.done && silent.received.length === 0,
        {
          en: "a client silent for longer than --timeout 500 was not closed (silently) within 5 s",
          ru: "клиент, молчавший дольше --timeout 500, не был закрыт (молча) за 5 с",
        },
        `${visible(silent.received)}${silent.done ? " (closed)" : " (still open)"}`,
        { en: "closed, nothing sent", ru: "закрыто, ничего не отправлено" },
      );
    },
  },
  {
    id: "http-connection-cap",
    covers: "given",
    title: {
      en:
        "the given http-server --max-connections 3, with three clients connected, answers a fourth with 503 and closes it, and serves again once one of the three leaves",
      ru:
        "готовый http-server --max-connections 3 при трёх подключённых клиентах отвечает четвёртому кодом 503 и закрывает соединение, а когда один из трёх уходит, снова обслуживает",
    },
    hint: {
      en: "http.ts is given: take it back as it was (deno task reset 5) if this fails.",
      ru: "http.ts дан готовым: если проверка не проходит, верните его (deno task reset 5).",
    },
    async run(trial) {
      const { address } = await givenHttp(trial, ["--max-connections", "3"]);
      const held: Peer[] = [];
      for (const n of [1, 2, 3]) {
        const peer = await Peer.connect(address, trial.transcript, `grader (held ${n})`);
        trial.defer(peer);
        held.push(peer);
      }
      // The third is served before the fourth comes: the server has accepted all three.
      const [third] = await exchange(held[2], "GET / HTTP/1.1\r\nHost: site.loc\r\n\r\n", 1, "GET / (third client)");
      expect(
        third.status.startsWith("HTTP/1.1 302 "),
        { en: "GET / is not a 302", ru: "GET / — не 302" },
        third,
        "302",
      );
      await answered(
        trial,
        address,
        "grader (fourth)",
        "GET / HTTP/1.1\r\nHost: site.loc\r\n\r\n",
        ["HTTP/1.1 503 "],
        {
          en: "past --max-connections, a new client gets 503 Service Unavailable and the close",
          ru: "сверх --max-connections новый клиент получает 503 Service Unavailable и закрытие",
        },
      );
      await held[0][Symbol.asyncDispose]();
      // The server learns of the close when it reads; a new client may come a moment before that.
      const deadline = performance.now() + 5000;
      let last = "";
      while (performance.now() < deadline) {
        const peer = await Peer.connect(address, trial.transcript, "grader (after one left)");
        trial.defer(peer);
        await peer.write(encoder.encode("GET / HTTP/1.1\r\nHost: site.loc\r\nConnection: close\r\n\r\n"));
        await peer.waitForEof(5000);
        const got = statusLines(peer.received);
        if (got[0]?.startsWith("HTTP/1.1 302 ")) return;
        last = visible(peer.received, 200);
        await sleep(100);
      }
      throw new CheckFailure({
        en: "the given http-server did not serve a new client within 5 s of one of the three leaving",
        ru: "готовый http-server не обслужил нового клиента в течение 5 с после ухода одного из трёх",
      }, { expected: "HTTP/1.1 302 Found", actual: last });
    },
  },
  stopsOnCtrlC({
    command: "http-server",
    situation: { en: "a client is half-way through its request", ru: "клиент на середине своего запроса" },
    async engage(trial, address) {
      const peer = await Peer.connect(address, trial.transcript, "grader (half a request)");
      trial.defer(peer);
      await peer.write(encoder.encode("GET /posts HTTP/1.1\r\nHo"));
      await sleep(200);
    },
  }),
  stopsOnCtrlC({
    id: "dns-ctrl-c",
    command: "dns-server",
    situation: {
      en: "it has just answered a question and a TCP client sits connected, silent",
      ru: "он только что ответил на вопрос, а TCP-клиент подключён и молчит",
    },
    async engage(trial, address) {
      const udp = new UdpPeer(trial.transcript, "grader dns client");
      trial.defer(udp);
      await ask(udp, tcpAddress(address).port, query(0x5151, "site.loc", 1, true), "site.loc A");
      const silent = await Peer.connect(tcpAddress(address), trial.transcript, "grader (TCP, silent)");
      trial.defer(silent);
    },
  }),
];

/** The given servers' checks: the starters pass them as they are. */
export const givenServers: Check[] = checks.map((check) => ({ ...check, covers: "given" as const }));

/** The given dns-server, in a situation it cannot serve (`what`), ends within 8 s with one clean error line. */
async function endsInOneError(server: ReturnType<Trial["start"]>, what: Bilingual): Promise<void> {
  const status = await server.exitWithin(8000);
  if (!status) {
    throw new CheckFailure({
      en: `the given dns-server, ${what.en}, did not stop within 8 s`,
      ru: `готовый dns-server, ${what.ru}, не остановился за 8 с`,
    }, {
      expected: { en: "one error line, exit code 1", ru: "одна строка ошибки, код 1" },
      actual: server.stdout[0] ?? "",
    });
  }
  assertCleanError(server, status, what);
}
