/**
 * `deno task lesson-N --trace`: the relay records what crosses it, and the
 * ladder diagram draws it (lessons 1, 2 and 3 so far).
 *
 * @module
 */
import assert from "node:assert/strict";
import { ladder, LADDER_WORDS, Relay, shown, type WireEvent } from "../lessons/_shared/trace.ts";
import { type Ran, runDeno, taskArgs } from "./harness/course.ts";

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
  assert.match(help.stdout, /--trace' runs the demo through a relay/);
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

Deno.test("--trace where a lesson's demo cannot draw yet is a usage error", async () => {
  const wrong = await task("solution-4", ["--trace"], "C.UTF-8");
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^usage error: unknown command '--trace'/);
});
