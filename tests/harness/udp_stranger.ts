/**
 * A UDP peer the server is not allowed to answer, run as its own small
 * process: it sends from 127.0.0.2, another loopback address, which the
 * lessons' tasks do not grant (they allow 127.0.0.1, ::1 and localhost), so
 * the server's `send` back fails with NotCapable, as a send to an
 * unreachable peer fails on a real network. A server must survive that and
 * keep serving everyone else.
 *
 * Run as a script: `udp_stranger.ts PORT` sends three datagrams from
 * 127.0.0.2 to 127.0.0.1:PORT, prints `sent` (or `unavailable` when this
 * machine cannot bind 127.0.0.2), and exits.
 *
 * @module
 */
import { LearnerProcess } from "./process.ts";
import type { Trial } from "./check.ts";

const SCRIPT = decodeURIComponent(new URL(import.meta.url).pathname);

/** Sends three datagrams to 127.0.0.1:`port` from 127.0.0.2; resolves with false when 127.0.0.2 is not available. */
export async function sendAsStranger(trial: Trial, port: number): Promise<boolean> {
  const peer = new LearnerProcess({
    label: "grader udp (127.0.0.2)",
    command: ["run", "--unstable-net", "--allow-net=127.0.0.1,127.0.0.2", SCRIPT],
    args: [String(port)],
  }, trial.transcript);
  trial.defer(peer);
  const status = await peer.exitWithin(8000);
  return status?.code === 0 && peer.stdout.includes("sent");
}

if (import.meta.main) {
  const port = Number(Deno.args[0]);
  let socket: Deno.DatagramConn;
  try {
    socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.2", port: 0 });
  } catch {
    console.log("unavailable");
    Deno.exit(0);
  }
  for (let i = 0; i < 3; i++) {
    await socket.send(new TextEncoder().encode(`stranger ${i}`), { transport: "udp", hostname: "127.0.0.1", port });
  }
  console.log("sent");
  socket.close();
}
