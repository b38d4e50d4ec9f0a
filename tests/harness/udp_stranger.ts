/**
 * A UDP peer the server is not allowed to answer, run as its own small
 * process (no imports, so it starts fast): it sends from 127.0.0.2, another
 * loopback address, which the lessons' tasks do not grant (they allow
 * 127.0.0.1, ::1 and localhost), so the server's `send` back fails with
 * NotCapable, as a send to an unreachable peer fails on a real network. A
 * server must survive that and keep serving everyone else.
 *
 * Run as a script: `udp_stranger.ts PORT` sends three datagrams from
 * 127.0.0.2 to 127.0.0.1:PORT, prints `sent` (or `unavailable` when this
 * machine cannot bind 127.0.0.2), and exits. The grader starts it with
 * {@linkcode strangerLaunch}.
 *
 * @module
 */

/** The `deno` arguments that run this script with just the permissions it needs. */
export function strangerLaunch(): string[] {
  return [
    "run",
    "--unstable-net",
    "--allow-net=127.0.0.1,127.0.0.2",
    decodeURIComponent(new URL(import.meta.url).pathname),
  ];
}

if (import.meta.main) {
  const port = Number(Deno.args[0]);
  let socket: Deno.DatagramConn | undefined;
  try {
    socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.2", port: 0 });
  } catch {
    console.log("unavailable");
  }
  if (socket) {
    for (let i = 0; i < 3; i++) {
      await socket.send(new TextEncoder().encode(`stranger ${i}`), { transport: "udp", hostname: "127.0.0.1", port });
    }
    console.log("sent");
    socket.close();
  }
}
