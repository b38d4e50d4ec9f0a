/**
 * Lesson 4, reference: one echo server, two transports.
 *
 * On the same port number it runs a TCP echo (every byte a client sends comes
 * back, in order, until the client closes) and a UDP echo (every datagram
 * comes back, unchanged, to the address it came from). TCP and UDP ports are
 * separate spaces: 40123/tcp and 40123/udp are two different sockets.
 *
 * A TCP client whose first line is `COUNT` gets no echo: the server counts
 * the bytes that follow and, when the client half-closes, answers with the
 * count. That is what `bulk --tcp` measures: one way, like iperf3.
 *
 * @module
 */
import { acceptFailureLog, formatAddr, outOfResources } from "@course/program.ts";

/** How `runServer` is configured; `main.ts` fills it from the command line. */
export interface ServerOptions {
  /** The address to bind. */
  host: string;
  /** The port for both; 0 lets the system pick one free for TCP, then UDP takes the same number. */
  port: number;
  /** Where the server's log lines go. */
  log: (line: string) => void;
  /** Aborted when the server should stop. */
  signal: AbortSignal;
}

/** The largest UDP payload over IPv4: 65,535 minus 8 (UDP header) minus 20 (IP header). */
export const MAX_DATAGRAM = 65_507;

/** Listens on TCP and UDP and echoes until `signal` is aborted. */
export async function runServer(options: ServerOptions): Promise<void> {
  const [tcp, udp] = bindBoth(options.host, options.port);
  options.log(`listening on ${formatAddr(tcp.addr)}`);
  options.log(`(tcp and udp both: port ${tcp.addr.port}/tcp and ${tcp.addr.port}/udp)`);
  const stop = () => {
    tcp.close();
    udp.close();
  };
  options.signal.addEventListener("abort", stop, { once: true });
  await Promise.all([serveTcp(tcp, options), serveUdp(udp, options)]);
  options.signal.removeEventListener("abort", stop);
  options.log("server stopped");
}

/**
 * Binds TCP, then UDP on the same port number. With port 0 the number TCP got
 * may be taken for UDP by another program; then try again with a new one.
 */
function bindBoth(host: string, port: number): [Deno.TcpListener, Deno.DatagramConn] {
  for (let attempt = 0;; attempt++) {
    const tcp = Deno.listen({ hostname: host, port });
    try {
      return [tcp, Deno.listenDatagram({ transport: "udp", hostname: host, port: tcp.addr.port })];
    } catch (error) {
      tcp.close();
      if (port !== 0 || attempt === 10 || !(error instanceof Deno.errors.AddrInUse)) throw error;
    }
  }
}

/** Accepts TCP clients and echoes each one's bytes back, all at once. */
async function serveTcp(listener: Deno.TcpListener, options: ServerOptions): Promise<void> {
  const jobs = new Set<Promise<void>>();
  const acceptFailed = acceptFailureLog(options.log);
  while (true) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      // One connection failed (its client reset it before accept() returned):
      // the next one is fine, so accept it at once; a storm of such failures
      // is logged as a count. Only when the process is out of resources (too
      // many open files) does every accept() fail: then wait for a client to
      // leave rather than spin.
      acceptFailed(error);
      if (outOfResources(error)) await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const job = serveTcpClient(conn, options);
    jobs.add(job);
    job.finally(() => jobs.delete(job));
  }
  // Each connection closes itself on the stop signal; wait for them.
  await Promise.allSettled(jobs);
}

/**
 * A client that opens with this line wants its bytes counted, not echoed:
 * `bulk --tcp` measures one way, as iperf3 does, and needs to hear that every
 * byte arrived. (iperf3 too tells its connections apart by what they send
 * first.)
 */
export const COUNT_HELLO = "COUNT\n";
const HELLO = new TextEncoder().encode(COUNT_HELLO);

/** Serves one TCP client, an echo or a count, then closes. Never throws. */
async function serveTcpClient(conn: Deno.Conn, options: ServerOptions): Promise<void> {
  const onStop = () => conn.close();
  options.signal.addEventListener("abort", onStop, { once: true });
  const who = `tcp ${formatAddr(conn.remoteAddr)}`;
  // 64 KiB: big enough for few reads, small enough to stay in the CPU's cache.
  const buffer = new Uint8Array(64 * 1024);
  let total = 0;
  try {
    const opening = await readOpening(conn, buffer);
    if (opening.counting) {
      total = opening.length - HELLO.length + await count(conn, buffer);
      // The answer is the point: write() returning only says the bytes left the sender, not that they came.
      await writeAll(conn, new TextEncoder().encode(`${total}\n`));
      options.log(`${who}: counted ${total} bytes`);
    } else {
      // The opening bytes were not the hello: they are the start of an echo.
      await writeAll(conn, buffer.subarray(0, opening.length));
      total = opening.length;
      total += await echoTcp(conn, buffer);
      options.log(`${who}: echoed ${total} bytes`);
    }
  } catch (error) {
    if (!options.signal.aborted) {
      options.log(`${who}: ${error instanceof Error ? error.name : error} after ${total} bytes`);
    }
  } finally {
    options.signal.removeEventListener("abort", onStop);
    try {
      conn.close();
    } catch { /* closed by the stop */ }
  }
}

/**
 * Reads until the first bytes say whether this is a count: the whole hello,
 * or a byte that differs from it, or EOF. Even six bytes may come in more
 * than one read. Returns how many bytes are in `buffer`.
 */
async function readOpening(conn: Deno.Conn, buffer: Uint8Array): Promise<{ counting: boolean; length: number }> {
  let length = 0;
  while (true) {
    const same = buffer.subarray(0, Math.min(length, HELLO.length)).every((byte, i) => byte === HELLO[i]);
    if (!same) return { counting: false, length };
    if (length >= HELLO.length) return { counting: true, length };
    const n = await conn.read(buffer.subarray(length));
    if (n === null) return { counting: false, length };
    length += n;
  }
}

/** Reads to EOF and says how many bytes came. */
async function count(conn: Deno.Conn, buffer: Uint8Array): Promise<number> {
  let total = 0;
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) total += n;
  return total;
}

/** Writes every byte of `bytes`: one write() may take only part (the `sendall` of the BSD-style APIs). */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** Echoes until the client half-closes; resolves with the number of bytes. */
async function echoTcp(conn: Deno.Conn, buffer: Uint8Array): Promise<number> {
  // Whatever one read returns goes straight back. TCP keeps the bytes in
  // order; where the reads split them does not matter to an echo.
  let total = 0;
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
    await writeAll(conn, buffer.subarray(0, n));
    total += n;
  }
  return total;
}

/**
 * Echoes every datagram to the address it came from. UDP has no connection:
 * one socket serves every peer, and each `receive` says who sent it.
 */
async function serveUdp(socket: Deno.DatagramConn, options: ServerOptions): Promise<void> {
  const peers = new Set<string>();
  while (true) {
    let data: Uint8Array, from: Deno.Addr;
    try {
      [data, from] = await socket.receive(new Uint8Array(MAX_DATAGRAM));
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      // A datagram can fail alone (on some systems an ICMP "port unreachable" for an earlier send shows up here).
      continue;
    }
    try {
      await socket.send(data, from);
    } catch { /* the peer's problem, not ours: UDP promises nothing */ }
    const who = formatAddr(from);
    if (!peers.has(who) && peers.size < 100) {
      peers.add(who);
      options.log(`udp ${who}: first datagram (${data.length} bytes)`);
    }
  }
}
