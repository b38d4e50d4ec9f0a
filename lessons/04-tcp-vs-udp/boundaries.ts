/**
 * Lesson 4, given: message boundaries, seen from the receiving side. You do
 * not edit this file.
 *
 * Three small writes over TCP, sent while the receiver is busy, come out of
 * one read: a stream keeps the bytes and their order, not the writes. Three
 * datagrams over UDP come out of three receives, each whole: a datagram is a
 * message, and the receiver gets it whole or not at all.
 *
 * @module
 */

/** What the receiver saw on each transport: one entry per read or receive. */
export interface Boundaries {
  tcp: string[];
  udp: string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const messages = ["one", "two", "three"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends three messages each way on loopback and returns what each read or receive returned. */
export async function measureBoundaries(): Promise<Boundaries> {
  // TCP: the sender writes three times, the receiver reads 50 ms later.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sender = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const receiver = await listener.accept();
  for (const message of messages) await sender.write(encoder.encode(message));
  sender.close();
  await sleep(50);
  const tcp: string[] = [];
  const buffer = new Uint8Array(1024);
  for (let n = await receiver.read(buffer); n !== null; n = await receiver.read(buffer)) {
    tcp.push(decoder.decode(buffer.subarray(0, n)));
  }
  receiver.close();

  // UDP: the same three, as three datagrams.
  const inbox = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const outbox = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const udp: string[] = [];
  try {
    for (const message of messages) await outbox.send(encoder.encode(message), inbox.addr);
    await sleep(50);
    for (let i = 0; i < messages.length; i++) {
      const [data] = await inbox.receive();
      udp.push(decoder.decode(data));
    }
  } finally {
    inbox.close();
    outbox.close();
  }
  return { tcp, udp };
}

/** Prints the two side by side. */
export async function runBoundaries(log: (line: string) => void): Promise<Boundaries> {
  const seen = await measureBoundaries();
  log(`sent on each: ${messages.map((m) => JSON.stringify(m)).join(", ")} (three writes, three datagrams)`);
  log(`tcp: ${seen.tcp.length} read(s):    ${seen.tcp.map((m) => JSON.stringify(m)).join(", ")}`);
  log(`udp: ${seen.udp.length} receive(s): ${seen.udp.map((m) => JSON.stringify(m)).join(", ")}`);
  return seen;
}
