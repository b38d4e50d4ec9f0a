/**
 * `deno task lesson-N --trace`: the relay records what crosses it, and the
 * ladder diagram draws it (every lesson): TCP connections, and UDP
 * datagrams with the lost ones marked; and the grader's report draws a failed
 * check's last connection from its transcript.
 *
 * @module
 */
import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import {
  type DatagramEvent,
  datagramLadder,
  DatagramRelay,
  ladder,
  LADDER_WORDS,
  Relay,
  shown,
  type WireEvent,
} from "../lessons/_shared/trace.ts";
import { buildVariant, type Ran, runDeno, taskArgs } from "./harness/course.ts";
import { Transcript, wireOf } from "./harness/transcript.ts";
import { ScriptedEcho, UdpPeer } from "./harness/udp.ts";
import { within } from "./harness/deadline.ts";
import { Peer } from "./harness/socket.ts";
import { runCheck } from "./harness/check.ts";
import { lessons } from "./checks/mod.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("the ladder: client left, server right, an arrow per event with its bytes, \\r\\n visible, time since the connect", () => {
  const events: WireEvent[] = [
    { connection: 1, ms: 10, from: "client", kind: "open" },
    { connection: 1, ms: 12, from: "client", kind: "data", bytes: bytes("GET / HTTP/1.1\r\n") },
    { connection: 1, ms: 15, from: "server", kind: "data", bytes: bytes("x".repeat(40)) },
    { connection: 1, ms: 15.4, from: "server", kind: "fin" },
    { connection: 1, ms: 20, from: "client", kind: "reset" },
    { connection: 1, ms: 21, from: "client", kind: "close" },
  ];
  const lines = ladder(events, LADDER_WORDS.en);
  assert.deepEqual(lines.slice(0, 2), ["connection 1:", `  client${" ".repeat(35)}server`]);
  assert.match(lines[2], /^ {2}\|-+ connect \(SYN, SYN-ACK, ACK\) -+>\| {2}\+0 ms$/);
  assert.match(lines[3], /^ {2}\|-+ "GET \/ HTTP\/1\.1\\r\\n" 16 B -+>\| {2}\+2 ms$/);
  assert.match(lines[4], /^ {2}\|<-+ "x+…" 40 B -+\| {2}\+5 ms$/);
  assert.match(lines[5], /^ {2}\|<-+ FIN \(no more from me\) -+\| {2}\+5 ms$/);
  assert.match(lines[6], /^ {2}\|-+ RST \(reset\) -+>\| {2}\+10 ms$/);
  assert.match(lines[7], /^ {2}\| +both sides closed +\| {2}\+11 ms$/);
  // Every arrow line is as wide as the ladder, so the server's column stays straight.
  const arrows = lines.slice(2, 7).map((line) => line.indexOf("|", 3));
  assert.deepEqual(new Set(arrows).size, 1, lines.join("\n"));
  assert.equal(shown(bytes('a\tb\x01"')), '"a\\tb\\x01\\""');
  assert.match(ladder(events, LADDER_WORDS.ru)[0], /^соединение 1:$/);
});

Deno.test("the relay passes the bytes both ways and records open, data, half-closes and close, in order", async () => {
  // A server that answers one line and half-closes, then reads until the client is done.
  await using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    await conn.write(bytes("hi\r\n"));
    await conn.closeWrite();
    const buffer = new Uint8Array(64);
    let got = "";
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      got += new TextDecoder().decode(buffer.subarray(0, n));
    }
    conn.close();
    return got;
  })();
  const relay = Relay.start({ hostname: "127.0.0.1", port: listener.addr.port });
  const client = await Deno.connect({ hostname: "127.0.0.1", port: relay.port });
  const buffer = new Uint8Array(64);
  let heard = "";
  for (let n = await client.read(buffer); n !== null; n = await client.read(buffer)) {
    heard += new TextDecoder().decode(buffer.subarray(0, n));
  }
  await client.write(bytes("bye\n"));
  await client.closeWrite();
  assert.equal(await served, "bye\n");
  client.close();
  await relay.close();
  assert.equal(heard, "hi\r\n");
  const kinds = relay.events.map((e) => `${e.from} ${e.kind}`);
  assert.deepEqual(kinds, ["client open", "server data", "server fin", "client data", "client fin", "client close"]);
  assert.ok(relay.events.every((e, i) => i === 0 || e.ms >= relay.events[i - 1].ms), "times go forward");
});

/** Runs `deno task NAME ARGS` with NO_COLOR and LC_ALL/LANG set to `locale`; killed after 30 s. */
function task(name: string, args: string[], locale: string): Promise<Ran> {
  return runDeno([...taskArgs(name), ...args], { env: { LC_ALL: locale, LANG: locale }, ms: 30_000 });
}

Deno.test("deno task solution-1 --trace draws both connections of the demo, in English and Russian, no colour", async () => {
  const en = await task("solution-1", ["--trace"], "C.UTF-8");
  assert.equal(en.code, 0, en.stderr);
  assert.match(en.stdout, /^\[trace\] connection 1:$/m);
  assert.match(en.stdout, /^\[trace\] connection 2:$/m);
  // The time line the server wrote, as it crossed: a date, its \n visible, 20-odd bytes, from the server.
  assert.match(en.stdout, /^\[trace\] {3}\|<-+ "\d{4}-\d\d-\d\dT[^"]+\\n" \d+ B -+\| {2}\+\d+ ms$/m);
  assert.match(en.stdout, /^\[trace\] {3}\|<-+ FIN \(no more from me\) -+\|/m);
  assert.ok(!en.stdout.includes("\x1b["), "NO_COLOR: no escape codes");
  // The clients still print what they got: the relay changes nothing.
  assert.equal(en.stdout.match(/^\[client\] \d{4}-/gm)?.length, 2);
  const ru = await task("solution-1", ["--trace"], "ru_RU.UTF-8");
  assert.equal(ru.code, 0, ru.stderr);
  assert.match(ru.stdout, /^\[trace\] соединение 1:$/m);
  const help = await task("solution-1", ["--help"], "C.UTF-8");
  assert.match(help.stdout, /--trace' runs a demo through a relay/);
});

Deno.test("deno task solution-2 --trace draws each line both ways, UTF-8 counted in bytes, then the close", async () => {
  const { code, stdout, stderr } = await task("solution-2", ["--trace"], "C.UTF-8");
  assert.equal(code, 0, stderr);
  const arrows = stdout.split("\n").filter((line) => /^\[trace\] {3}\|(<|-)/.test(line));
  const said = arrows.map((line) => {
    const arrow = line.replace(/^\[trace\] {3}\|/, "").replace(/\| {2}\+\d+ ms$/, "");
    return `${arrow.endsWith("->") ? ">" : "<"} ${arrow.replace(/^<?-+ /, "").replace(/ -+>?$/, "")}`;
  });
  assert.deepEqual(said, [
    "> connect (SYN, SYN-ACK, ACK)",
    '> "hello, server\\n" 14 B',
    '< "hello, client\\n" 14 B',
    '> "привет 👋\\n" 18 B',
    '< "и тебе привет 🙂\\n" 30 B',
    '> "exit\\n" 5 B',
    "< FIN (no more from me)",
    "> FIN (no more from me)",
  ], arrows.join("\n"));
  assert.match(stdout, /^\[trace\] {3}\| +both sides closed +\| {2}\+\d+ ms$/m);
});

Deno.test("deno task solution-3 --trace draws a ladder per chat client: its name first, then its exit, goodbye and close", async () => {
  const { code, stdout, stderr } = await task("solution-3", ["--trace"], "C.UTF-8");
  assert.equal(code, 0, stderr);
  const ladders = stdout.split(/^\[trace\] connection \d+:$/m).slice(1);
  assert.equal(ladders.length, 3, stdout);
  for (const [i, name] of ["alice", "bob", "carol"].entries()) {
    const arrows = ladders[i].split("\n").filter((line) => /^\[trace\] {3}\|(<|-)/.test(line));
    assert.match(arrows[1], new RegExp(`^\\[trace\\] {3}\\|-+ "${name}\\\\n" \\d+ B -+>\\|`), ladders[i]);
    assert.match(arrows.at(-4)!, /-+ "exit\\n" 5 B -+>\|/, ladders[i]);
    assert.match(arrows.at(-3)!, /<-+ "\* goodbye\\n" 10 B -+\|/, ladders[i]);
    assert.match(arrows.at(-2)!, /<-+ FIN/, ladders[i]);
    assert.match(arrows.at(-1)!, /-+ FIN .*->\|/, ladders[i]);
  }
});

Deno.test("the datagram ladder: an arrow per datagram; one that went into the relay and never came out ends in X", () => {
  const d = (ms: number, from: "client" | "server", text: string): DatagramEvent => ({ ms, from, bytes: bytes(text) });
  // Between the client and the relay: a, b, c went in; a's answer and b's came back.
  const near = [
    d(0, "client", "a"),
    d(5, "server", "a"),
    d(10, "client", "b"),
    d(20, "client", "c"),
    d(31, "server", "b"),
  ];
  // Between the relay and the server: a went on, b went on twice, c never did; the server answered each, once each.
  const far = [d(1, "client", "a"), d(2, "server", "a"), d(11, "client", "b"), d(12, "client", "b")];
  far.push(d(13, "server", "b"), d(14, "server", "b"));
  const lines = datagramLadder(near, far, LADDER_WORDS.en);
  assert.equal(lines[0], "udp (no connection: each datagram on its own):");
  assert.match(lines[1], /^ {2}client +relay +server$/);
  const rows = lines.slice(2, -1);
  assert.equal(rows.length, near.length + far.length);
  // The bars stand in the same columns on every row (X in place of the relay's bar).
  const bars = (line: string) => [...line.matchAll(/[|X]/g)].map((m) => m.index);
  assert.equal(new Set(rows.map((row) => bars(row).join())).size, 1, lines.join("\n"));
  const marked = rows.filter((row) => row.includes("X"));
  assert.deepEqual(marked.length, 2, lines.join("\n"));
  assert.match(marked[0], /^ {2}\| +X<-+ "b" 1 B -+\| {2}\+14 ms$/, "b's second answer never reached the client");
  assert.match(marked[1], /^ {2}\|-+ "c" 1 B -+>X +\| {2}\+20 ms$/, "c never left the relay");
  assert.equal(lines.at(-1), "  X: lost there (the other side of the relay never saw it)");
  // One recorder alone cannot tell lost from unanswered: two columns, nothing marked.
  const alone = datagramLadder(near, undefined, LADDER_WORDS.ru, (b) => `#${b[0]}`);
  assert.match(alone[1], /^ {2}клиент +сервер$/);
  assert.ok(alone.every((line) => !line.includes("X")), alone.join("\n"));
  assert.match(alone[2], /^ {2}\|-+ #97 1 Б -+>\| {2}\+0 мс$/);
});

Deno.test("the datagram relay passes each datagram both ways, one for one, and records them", async () => {
  // A UDP echo that answers every datagram twice over (so the replies are told apart from the questions).
  const echo = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const echoing = (async () => {
    for (let i = 0; i < 2; i++) {
      const [data, from] = await echo.receive();
      await echo.send(bytes(`re: ${new TextDecoder().decode(data)}`), from);
    }
  })();
  const relay = DatagramRelay.start({ hostname: "127.0.0.1", port: (echo.addr as Deno.NetAddr).port });
  const client = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    const heard: string[] = [];
    for (const text of ["one", "two"]) {
      await client.send(bytes(text), { transport: "udp", hostname: "127.0.0.1", port: relay.port });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply to '${text}' through the relay within 2 s`)), 2000);
      });
      try {
        heard.push(new TextDecoder().decode((await Promise.race([client.receive(), late]))[0]));
      } finally {
        clearTimeout(timer);
      }
    }
    await echoing;
    assert.deepEqual(heard, ["re: one", "re: two"]);
  } finally {
    client.close();
    echo.close();
    await relay.close();
  }
  const said = relay.events.map((e) => `${e.from} ${new TextDecoder().decode(e.bytes)}`);
  assert.deepEqual(said, ["client one", "server re: one", "client two", "server re: two"]);
});

Deno.test("deno task solution-4 --trace: the TCP ping as a ladder, the UDP ping through the bad relay, its losses marked", async () => {
  const { code, stdout, stderr } = await task("solution-4", ["--trace"], "C.UTF-8");
  assert.equal(code, 0, stderr);
  const [tcp, udp] = stdout.split(/^\[trace\] udp \(no connection: each datagram on its own\):$/m);
  assert.ok(udp, stdout);
  const arrows = tcp.split("\n").filter((line) => /^\[trace\] {3}\|(<|-)/.test(line));
  assert.match(arrows[0], /connect \(SYN, SYN-ACK, ACK\)/);
  // Three probes and their echoes, each named by its number (a read may carry two), then the two FINs.
  const seqs = arrows.slice(1, -2).flatMap((line) => line.match(/seq=([\d,]+) /)![1].split(",")).sort();
  assert.deepEqual(seqs, ["1", "1", "2", "2", "3", "3"], tcp);
  assert.match(arrows.at(-1)!, /<-+ FIN/);
  // UDP: no connect; what ping says it lost, the ladder shows lost (X on the relay's line).
  const rows = udp.split("\n").filter((line) => /^\[trace\] {3}[|X].* \+\d+ ms$/.test(line));
  assert.ok(rows.every((row) => !row.includes("connect")), udp);
  const lost = stdout.match(/^\[ping\] lost: (.+)$/gm)!.at(-1)!.replace("[ping] lost: ", "");
  const crossed = new Set(rows.filter((row) => row.includes("X")).map((row) => row.match(/seq=(\d+)/)![1]));
  for (const seq of lost === "none" ? [] : lost.split(", ")) {
    assert.ok(crossed.has(seq), `ping lost seq=${seq}, but the ladder shows no X for it:\n${udp}`);
  }
  // Every datagram the impairing relay says it dropped is an X: it went in and never came out.
  const dropped = stdout.match(/^\[relay\] #\d+ \S+ \d+ B: dropped$/gm)?.length ?? 0;
  const marked = rows.filter((row) => row.includes("X")).length;
  assert.ok(marked >= dropped, `the relay dropped ${dropped}, the ladder marks ${marked}:\n${stdout}`);
  if (marked > 0) assert.match(stdout, /^\[trace\] {3}X: lost there/m);
});

Deno.test("deno task solution-5 --trace: the DNS question and answer as datagrams, then the HTTP connection, reused", async () => {
  const { code, stdout, stderr } = await task("solution-5", ["--trace"], "C.UTF-8");
  assert.equal(code, 0, stderr);
  const [dns, http] = stdout.split(/^\[trace\] connection 1:$/m);
  assert.ok(http, stdout);
  const arrows = (text: string) => text.split("\n").filter((line) => /^\[trace\] {3}\|(<|-)/.test(line));
  // DNS: the question, then its answer from the zone; no connect before them.
  const asked = arrows(dns);
  assert.equal(asked.length, 2, dns);
  assert.match(asked[0], /^\[trace\] {3}\|-+ A\? site\.loc \d+ B -+>\|/);
  assert.match(asked[1], /^\[trace\] {3}\|<-+ site\.loc A 127\.0\.0\.1 \d+ B -+\|/);
  // HTTP: one connection carries the request for /, the 302, the request for /posts and the page; then the close.
  const said = arrows(http).map((line) => line.replace(/^\[trace\] {3}\|/, ""));
  assert.match(said[0], /connect \(SYN/);
  assert.match(said[1], /^-+ "GET \/ HTTP\/1\.1\\r\\nHost: s/);
  assert.ok(said.some((line) => /^<-+ "HTTP\/1\.1 302 Found\\r\\n/.test(line)), http);
  assert.ok(said.some((line) => /^-+ "GET \/posts HTTP\/1\.1\\r\\n/.test(line)), http);
  assert.ok(said.some((line) => /^<-+ "HTTP\/1\.1 200 OK\\r\\n/.test(line)), http);
  // Head and body in one write: the page never crosses on its own, after its head. (Written apart, Nagle's algorithm
  // and the delayed ACK held the body back some 40 ms on this kept-alive connection.)
  assert.ok(
    !said.some((line) => /^<-+ "<!doctype/.test(line)),
    `the page's body crossed apart from its head:\n${http}`,
  );
  assert.ok(!/^\[trace\] connection 2:$/m.test(stdout), "the redirect reuses the connection");
  assert.match(stdout, /^\[trace\] {3}\| +both sides closed +\|/m);
  // fetch still prints the page: the relays change nothing.
  assert.match(stdout, /^\[fetch\] <title>Posts<\/title>$/m);
  const ru = await task("solution-5", ["--trace"], "ru_RU.UTF-8");
  assert.equal(ru.code, 0, ru.stderr);
  assert.match(ru.stdout, /^\[trace\] udp \(соединения нет: каждая датаграмма сама по себе\):$/m);
});

Deno.test("wireOf reads the grader's connections back from a rendered transcript; a label opened twice at once is not drawn", async () => {
  // A server that says hello, reads one line, and closes.
  await using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    for (let i = 0; i < 3; i++) {
      const conn = await listener.accept();
      await conn.write(bytes("hello\r\n"));
      await conn.read(new Uint8Array(64));
      conn.close();
    }
  })();
  const transcript = new Transcript();
  const address = { transport: "tcp" as const, host: "127.0.0.1", port: listener.addr.port };
  transcript.bytes("grader sent", bytes("before any connection"));
  {
    await using peer = await Peer.connect(address, transcript, "grader (one)");
    assert.ok(await peer.readUntil((data) => data.length >= 7, 2000), "the hello within 2 s");
    await peer.write(bytes("x".repeat(100) + "\n"));
    await peer.closeWrite();
    assert.ok(await peer.waitForEof(2000), "the server's close within 2 s");
  }
  // Two connections under one label, both open at once: whose bytes are whose is unknown.
  {
    await using first = await Peer.connect(address, transcript, "grader (twice)");
    await using second = await Peer.connect(address, transcript, "grader (twice)");
    await first.write(bytes("a\n"));
    await second.write(bytes("b\n"));
    await first.waitForEof(2000);
    await second.waitForEof(2000);
  }
  await served;
  const conversations = wireOf(transcript.render());
  assert.deepEqual(conversations.map((c) => [c.label, c.grader]), [["grader (one)", "client"], [
    "grader (twice)",
    "client",
  ]]);
  const said = conversations[0].events.map((e) => `${e.from} ${e.kind}${e.text ? ` ${e.text} ${e.size}` : ""}`);
  assert.deepEqual(said, [
    "client open",
    'server data "hello\\r\\n" 7',
    `client data "${"x".repeat(60)}"… 101`,
    "client fin",
    "server fin",
  ]);
  // The second label's first connection is kept only up to where the second opened.
  assert.deepEqual(conversations[1].events.map((e) => e.kind), ["open"]);
  const lines = ladder(conversations[0].events, LADDER_WORDS.en);
  assert.match(lines[4], /^ {2}\|-+ "x{20,}…" 101 B -+>\| {2}\+\d+ ms$/, lines.join("\n"));
});

Deno.test("a failed check's full report draws its last connection as a ladder, in either language", async () => {
  const { render, wireLadder } = await import("./grade.ts");
  const lesson = lessons.find((l) => l.number === 1)!;
  const variant = lesson.variants.find((v) => v.id === "no-newline")!;
  const dir = await buildVariant(lesson, variant);
  const result = await runCheck(lesson, lesson.checks.find((c) => c.id === "time-line")!, dir);
  assert.equal(result.status, "failed");
  const report = render(result, true, new Set(), lesson).map(stripVTControlCharacters);
  const at = report.findIndex((line) => line.includes("the last connection on the wire, as a ladder"));
  assert.ok(at > 0, report.join("\n"));
  assert.match(report[at + 1], /^ {8}grader +your server$/);
  assert.match(report[at + 2], /connect \(SYN, SYN-ACK, ACK\) -+>\|/);
  // The time line without its newline, then the server's FIN: the mistake, in the picture.
  assert.match(report[at + 3], /^ {8}\|<-+ "\d{4}-\d\d-\d\dT[\d:.]+Z" 24 B -+\| {2}\+\d+ ms$/, report.join("\n"));
  assert.match(report[at + 4], /<-+ FIN \(no more from me\) -+\|/);
  const ru = wireLadder(result.transcript, "ru");
  assert.deepEqual(ru.slice(0, 2).map((line) => line.trim().replace(/ +/g, " ")), [
    "последнее соединение в сети лестницей (время идёт вниз):",
    "grader ваш сервер",
  ]);
  // No wire in the transcript, no ladder; a brief report, no ladder either.
  assert.deepEqual(wireLadder(["     1 ms [server] listening on 127.0.0.1:1"], "en"), []);
  assert.ok(!render(result, false, new Set(), lesson).join("\n").includes("ladder"));
});

Deno.test("a long exchange keeps the opening and the last events; the rest is counted", async () => {
  const { wireLadder } = await import("./grade.ts");
  const lines = ["     5 ms [grader] connected to 127.0.0.1:9"];
  for (let i = 0; i < 30; i++) {
    lines.push(`  ${10 + i} ms [grader ${i % 2 ? "received" : "sent"}] "line ${i}\\n" (7 B)`);
  }
  const drawn = wireLadder(lines, "en");
  assert.equal(drawn.length, 2 + 12 + 1, drawn.join("\n"));
  assert.match(drawn[2], /connect/);
  assert.equal(drawn[3].trim(), "(20 events left out)");
  assert.match(drawn.at(-1)!, /<-+ "line 29\\n" 7 B -+\| {2}\+34 ms$/);
  // Bytes shown as escapes are cut between escapes, never inside one.
  const binary = wireLadder(
    [lines[0], `    9 ms [grader sent] "${"\\uFFFD\\x0f".repeat(20)}"… (262144 bytes in all)`],
    "en",
  );
  assert.match(binary.at(-1)!, /-+ "(\\uFFFD|\\x0f)+…" 262144 B -+>\|/, binary.join("\n"));
  // A connect that got nothing back is drawn too: the picture of a silent program.
  const silent = wireLadder([...lines, "    50 ms [grader (silent)] connected to 127.0.0.1:9"], "en");
  assert.equal(silent.length, 3, silent.join("\n"));
  assert.match(silent[1], /^ {2}grader \(silent\) +your server$/);
});

Deno.test("a failed check's report draws UDP too: the echo's drops end in an X, held answers come later, sizes are whole", async () => {
  const { wireLadder } = await import("./grade.ts");
  const transcript = new Transcript();
  // The learner's pinger, played by a bare socket: four probes to the grader's echo, which drops #2, holds #3 for
  // 60 ms, and answers #4 twice and with a stray numbered 9.
  const echo = new ScriptedEcho(
    (seq) => seq === 2 ? [] : seq === 3 ? [{ delay: 60 }] : seq === 4 ? [{}, {}, { renumber: 9 }] : [{}],
    transcript,
  );
  const pinger = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    for (let seq = 1; seq <= 4; seq++) {
      const probe = new Uint8Array(64);
      new DataView(probe.buffer).setUint32(0, seq);
      await pinger.send(probe, { transport: "udp", hostname: "127.0.0.1", port: echo.port });
    }
    // #1, #4 twice, the stray, then the held #3: five answers.
    for (let i = 0; i < 5; i++) await within(pinger.receive(), 2000, { en: "the echo's answers", ru: "ответы эха" });
  } finally {
    pinger.close();
    await echo[Symbol.asyncDispose]();
  }
  const drawn = wireLadder(transcript.render(), "en");
  assert.match(drawn[0], /^the last datagrams on the wire, as a ladder/, drawn.join("\n"));
  assert.match(drawn[1], /^ {2}your client +grader udp echo$/);
  const arrows = drawn.slice(2, -1).map((line) => line.replace(/ {2}\+\d+ ms$/, "").replace(/-+/g, "-"));
  assert.deepEqual(arrows, [
    "  |- #1 64 B ->|",
    "  |<- #1 64 B -|",
    "  |- #2 64 B -X|",
    "  |- #3 64 B ->|",
    "  |- #4 64 B ->|",
    "  |<- #4 64 B -|",
    "  |<- #4 64 B -|",
    "  |<- #9 (copy of #4) 64 B -|",
    "  |<- #3 64 B -|",
  ], drawn.join("\n"));
  assert.match(drawn.at(-1)!, /^ {2}X: lost on the way/);
  assert.match(wireLadder(transcript.render(), "ru")[0], /^последние датаграммы в сети лестницей/);

  // The grader as a client: a datagram of 2,000 bytes is drawn with its whole size, and the program is the server.
  const server = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const echoed = (async () => {
    const [data, from] = await server.receive();
    await server.send(data, from);
  })();
  const asking = new Transcript();
  try {
    using peer = new UdpPeer(asking, "grader udp");
    await peer.send(bytes("0123456789".repeat(200)), (server.addr as Deno.NetAddr).port);
    assert.ok(await peer.receive(2000), "the echo within 2 s");
  } finally {
    // Closing the socket ends a receive still waiting (nothing came): the echo's end, whichever way it went.
    server.close();
    await echoed.catch(() => {});
  }
  const [, header, sent, back] = wireLadder(asking.render(), "en");
  assert.match(header, /^ {2}grader udp +your server$/);
  assert.match(sent, /^ {2}\|-+ "0123[\d]*…" 2000 B -+>\|/, sent);
  assert.match(back, /^ {2}\|<-+ "0123[\d]*…" 2000 B -+\|/, back);
});
