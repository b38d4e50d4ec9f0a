/**
 * Lesson 5's given DNS server where the grader's checks cannot reach it: a
 * datagram forged to come from the server itself (no program on loopback can
 * send one without raw sockets, so it is handed to the server's receive loop
 * here), and `dig`, the usual DNS client, over TCP and through a truncated
 * UDP answer, where dig is installed. The lessons' copy and the reference's
 * are the same file (it is given); both are tested.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as given from "../lessons/05-dns-http/dns.ts";
import * as reference from "../solutions/05-dns-http/dns.ts";

/** A query for `site.loc A` with `id`. */
function query(id: number): Uint8Array {
  return Uint8Array.of(
    id >> 8,
    id & 0xff,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    4,
    115,
    105,
    116,
    101,
    3,
    108,
    111,
    99,
    0,
    0,
    1,
    0,
    1,
  );
}

/** Resolves after `ms`. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [side, dns] of [["lessons", given], ["solutions", reference]] as const) {
  Deno.test(`${side}' dns server does not answer a datagram forged to come from itself, and answers others`, async () => {
    const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const own = socket.addr as Deno.NetAddr;
    const sent: Deno.Addr[] = [];
    let forged = false;
    // The real socket, except that the first receive returns a query "from" the server's own address and port.
    const spoofed = {
      addr: own,
      receive: () => {
        if (forged) return socket.receive();
        forged = true;
        return Promise.resolve([query(0x5e1f), own] as [Uint8Array, Deno.Addr]);
      },
      send: (data: Uint8Array, to: Deno.Addr) => {
        sent.push(to);
        return socket.send(data, to);
      },
    } as unknown as Deno.DatagramConn;
    const lines: string[] = [];
    const serving = dns.serveUdp(spoofed, { zone: dns.defaultZone(), log: (line) => lines.push(line) });
    const client = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    try {
      // A real client is still answered (so the loop is running), and in 300 ms no more than that one reply goes out.
      await client.send(query(0x0c0c), own);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answer = await Promise.race([
        client.receive(),
        new Promise<never>((_, reject) => timer = setTimeout(() => reject(new Error("no answer within 3 s")), 3000)),
      ]).finally(() => clearTimeout(timer));
      assert.equal(answer[0][0] << 8 | answer[0][1], 0x0c0c, "the answer carries the client's id");
      await sleep(300);
      assert.deepEqual(
        sent.map((to) => (to as Deno.NetAddr).port),
        [(client.addr as Deno.NetAddr).port],
        `one reply, to the client; the server also wrote to: ${JSON.stringify(sent)}; its log: ${lines.join(" | ")}`,
      );
    } finally {
      client.close();
      socket.close();
      await serving;
    }
  });
}

/** Runs dig with `args`; undefined when dig is not installed. */
async function dig(args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await new Deno.Command("dig", {
      args,
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(30_000),
    }).output();
    return new TextDecoder().decode(stdout);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

Deno.test("the given dns server answers dig over TCP (+tcp), and dig retries over TCP after a truncated UDP answer", async () => {
  const zone = given.parseZone(
    ["site.loc A 127.0.0.1", ...Array.from({ length: 40 }, (_, i) => `big.site.loc A 10.0.0.${i + 1}`)].join("\n"),
  );
  const stop = new AbortController();
  const port = Promise.withResolvers<number>();
  const serving = given.runDnsServer({
    host: "127.0.0.1",
    port: 0,
    zone,
    signal: stop.signal,
    log: (line) => {
      const found = line.match(/^listening on .*:(\d+)$/);
      if (found) port.resolve(Number(found[1]));
    },
  });
  try {
    const at = ["@127.0.0.1", "-p", String(await port.promise), "+time=2", "+tries=1"];
    const tcp = await dig([...at, "+tcp", "site.loc", "A"]);
    if (tcp === undefined) {
      console.log("SKIPPED: dig is not installed (apt-get install dnsutils); the grader's dns-tcp check still runs");
      return;
    }
    assert.match(tcp, /status: NOERROR/, tcp);
    assert.match(tcp, /^site\.loc\.\s+60\s+IN\s+A\s+127\.0\.0\.1$/m, tcp);
    assert.match(tcp, /\(TCP\)/, tcp);
    const big = await dig([...at, "big.site.loc", "A"]);
    assert.match(big ?? "", /Truncated, retrying in TCP mode/, big);
    assert.equal((big ?? "").match(/^big\.site\.loc\.\s+60\s+IN\s+A\s+10\.0\.0\.\d+$/gm)?.length, 40, big);
    const refused = await dig([...at, "+tcp", "example.com", "A"]);
    assert.match(refused ?? "", /status: REFUSED/, refused);
    const nx = await dig([...at, "+tcp", "nope.site.loc", "A"]);
    assert.match(nx ?? "", /status: NXDOMAIN/, nx);
    assert.match(
      nx ?? "",
      /^site\.loc\.\s+60\s+IN\s+SOA\s+site\.loc\. hostmaster\.site\.loc\. 1 3600 600 86400 60$/m,
      nx,
    );
  } finally {
    stop.abort();
    await serving;
  }
});
