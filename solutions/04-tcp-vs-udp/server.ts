/**
 * Lesson 4, reference: one echo server, two transports.
 *
 * On the same port number it runs a TCP echo (every byte a client sends comes
 * back, in order, until the client closes) and a UDP echo (every datagram
 * comes back, unchanged, to the address it came from). TCP and UDP ports are
 * separate spaces: 40123/tcp and 40123/udp are two different sockets.
 *
 * @module
 */
import { formatAddr } from "@course/program.ts";

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
  while (true) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (options.signal.aborted || error instanceof Deno.errors.BadResource) break;
      options.log(`accept failed: ${error instanceof Error ? error.message : error}; still listening`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    const job = echoTcp(conn, options);
    jobs.add(job);
    job.finally(() => jobs.delete(job));
  }
  // Each connection closes itself on the stop signal; wait for them.
  await Promise.allSettled(jobs);
}

/** Echoes until the client half-closes, then closes. Never throws. */
async function echoTcp(conn: Deno.Conn, options: ServerOptions): Promise<void> {
  const onStop = () => conn.close();
  options.signal.addEventListener("abort", onStop, { once: true });
  const buffer = new Uint8Array(256 * 1024);
  let total = 0;
  try {
    // Whatever one read returns goes straight back. TCP keeps the bytes in
    // order; where the reads split them does not matter to an echo.
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      for (let at = 0; at < n;) at += await conn.write(buffer.subarray(at, n));
      total += n;
    }
    options.log(`tcp ${formatAddr(conn.remoteAddr)}: echoed ${total} bytes`);
  } catch (error) {
    if (!options.signal.aborted) {
      options.log(
        `tcp ${formatAddr(conn.remoteAddr)}: ${error instanceof Error ? error.name : error} after ${total} bytes`,
      );
    }
  } finally {
    options.signal.removeEventListener("abort", onStop);
    try {
      conn.close();
    } catch { /* closed by the stop */ }
  }
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
