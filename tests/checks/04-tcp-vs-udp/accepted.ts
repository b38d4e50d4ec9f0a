/**
 * Lesson 4's correct variants: the reference in other words and another
 * style. Each must pass every check, so no check demands the reference's
 * own wording or way of doing things.
 *
 * @module
 */
import type { Accepted } from "../../harness/check.ts";

/** Every line the lesson text leaves free, said otherwise (the summary printers and the TODO-named lines stay). */
const reworded: Accepted = {
  id: "reworded",
  differs:
    "every free-worded line is reworded: the server's log, the pinger's header, duplicate and late lines, errors",
  file: "server.ts",
  patch: [
    [
      "  options.log(`(tcp and udp both: port ${tcp.addr.port}/tcp and ${tcp.addr.port}/udp)`);",
      "  options.log(`same number for both transports: ${tcp.addr.port}`);",
    ],
    ['  options.log("server stopped");', '  options.log("bye");'],
    [
      "      acceptFailed(error);",
      "      options.log(`could not take a connection (${error}), carrying on`);",
    ],
    ["      options.log(`${who}: counted ${total} bytes`);", "      options.log(`[${who}] tally done, ${total} B`);"],
    [
      "      options.log(`${who}: echoed ${total} bytes`);",
      "      options.log(`[${who}] sent back ${total} B in all`);",
    ],
    [
      "      options.log(`${who}: ${error instanceof Error ? error.name : error} after ${total} bytes`);",
      "      options.log(`[${who}] broke off (${error}) at byte ${total}`);",
    ],
    [
      "      options.log(`udp ${who}: first datagram (${data.length} bytes)`);",
      "      options.log(`new UDP peer ${who}, ${data.length} B to start with`);",
    ],
  ],
  also: [
    {
      file: "ping.ts",
      patch: [
        [
          "    `PING ${target} over ${options.protocol}: ${options.count} probes of ${options.size} bytes` +",
          "    `pinging ${target} (${options.protocol.toUpperCase()}), ${options.count} × ${options.size} B` +",
        ],
        [
          '(connectMs === undefined ? "" : `, connected in ${ms(connectMs)} ms (SYN, SYN+ACK, ACK)`),',
          '(connectMs === undefined ? "" : `; handshake took ${ms(connectMs)} ms`),',
        ],
        [
          "      options.log(`seq=${seq} duplicate reply`);",
          "      options.log(`#${seq} again: a copy, not counted twice`);",
        ],
        [
          "      options.log(`seq=${seq} late reply after ${ms(now - probe.sentAt)} ms (already counted lost)`);",
          "      options.log(`#${seq} showed up after ${ms(now - probe.sentAt)} ms, too late to count`);",
        ],
        ['ms${overtaken ? " (out of order)" : ""}`);', 'ms${overtaken ? " [overtaken]" : ""}`);'],
        [
          "      options.log(`seq=${oldest} timeout (no reply within ${options.timeoutMs} ms)`);",
          "      options.log(`seq=${oldest} timeout: nothing after ${options.timeoutMs} ms, given up`);",
        ],
      ],
    },
    {
      file: "bulk.ts",
      patch: [
        [
          "    if (!/^\\d+$/.test(answer)) throw new Error(`the server answered ${JSON.stringify(answer)}, not a byte count`);",
          "    if (!/^\\d+$/.test(answer)) throw new Error(`not a number from the server: ${JSON.stringify(answer)}`);",
        ],
        [
          "      throw new Error(`the server counted ${received} of ${options.bytes} bytes; TCP should have delivered all`);",
          "      throw new Error(`short count: ${received}/${options.bytes}`);",
        ],
        [
          '    if (length === buffer.length) throw new Error("the server\'s answer is longer than a byte count");',
          '    if (length === buffer.length) throw new Error("answer too long");',
        ],
      ],
    },
  ],
};

/**
 * Another style throughout: the echo with a while loop, its own small buffer
 * and two writes per read; the UDP send's failure caught as a promise; the
 * pinger with a switch, a timer per probe instead of the one timer, and the
 * summary from counters; the bulk sender reading the answer with a stream
 * reader into 32 bytes (which closes the connection at its end; the given
 * code's close allows for that), and counting echoes in a Set.
 */
const otherStyle: Accepted = {
  id: "other-style",
  differs:
    "another style: while loops, a 1500-byte echo buffer written in two halves, a timer per probe, a switch, counters, a stream reader, a Set",
  file: "server.ts",
  patch: [
    [
      "  let total = 0;\n  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {\n    await writeAll(conn, buffer.subarray(0, n));\n    total += n;\n  }\n  return total;",
      "  const small = buffer.subarray(0, 1500);\n  let echoed = 0;\n  while (true) {\n    const got = await conn.read(small);\n    if (got === null) break;\n    const half = got >> 1;\n    await writeAll(conn, small.subarray(0, half));\n    await writeAll(conn, small.subarray(half, got));\n    echoed += got;\n  }\n  return echoed;",
    ],
    [
      "    try {\n      await socket.send(data, from);\n    } catch { /* the peer's problem, not ours: UDP promises nothing */ }",
      "    await socket.send(data, from).catch(() => undefined);",
    ],
  ],
  also: [
    {
      file: "ping.ts",
      patch: [
        [
          '    const probe = probes.get(seq);\n    if (!probe) return; // not ours, or corrupted\n    if (probe.state === "answered") {\n      summary.duplicates++;\n      options.log(`seq=${seq} duplicate reply`);\n      return;\n    }\n    if (probe.state === "lost") {\n      summary.late++;\n      options.log(`seq=${seq} late reply after ${ms(now - probe.sentAt)} ms (already counted lost)`);\n      return;\n    }\n    probe.state = "answered";\n    const rtt = now - probe.sentAt;\n    rtts.push(rtt);\n    const overtaken = seq < highest;\n    if (overtaken) summary.outOfOrder++;\n    highest = Math.max(highest, seq);\n    options.log(`seq=${seq} bytes=${reply.length} time=${ms(rtt)} ms${overtaken ? " (out of order)" : ""}`);\n    settle();',
          '    const probe = probes.get(seq);\n    switch (probe?.state) {\n      case undefined:\n        return;\n      case "answered":\n        summary.duplicates += 1;\n        options.log(`seq=${seq} duplicate reply`);\n        return;\n      case "lost":\n        summary.late += 1;\n        options.log(`seq=${seq} late reply`);\n        return;\n      case "waiting": {\n        probe.state = "answered";\n        clearTimeout(deadlines.get(seq));\n        deadlines.delete(seq);\n        const took = now - probe.sentAt;\n        rtts.push(took);\n        const behind = highest > seq;\n        if (behind) summary.outOfOrder += 1;\n        else highest = seq;\n        options.log(`seq=${seq} bytes=${reply.length} time=${ms(took)} ms`);\n        answered += 1;\n        settle();\n      }\n    }',
        ],
        [
          "  let highest = 0;",
          "  let highest = 0;\n  let answered = 0;\n  let lost = 0;\n  const deadlines = new Map<number, ReturnType<typeof setTimeout>>();",
        ],
        [
          '  const watch = () => {\n    if (timer !== undefined) return;\n    while (oldest <= sentSoFar && probes.get(oldest)!.state !== "waiting") oldest++;\n    if (oldest > sentSoFar) return;\n    timer = setTimeout(() => {\n      timer = undefined;\n      expire();\n      watch();\n    }, probes.get(oldest)!.sentAt + options.timeoutMs - performance.now());\n  };',
          '  const watch = () => {\n    const seq = sentSoFar;\n    const probe = probes.get(seq)!;\n    if (deadlines.has(seq) || probe.state !== "waiting") return;\n    const left = Math.max(0, probe.sentAt + options.timeoutMs - performance.now());\n    deadlines.set(seq, setTimeout(() => {\n      deadlines.delete(seq);\n      if (probe.state !== "waiting") return;\n      probe.state = "lost";\n      lost += 1;\n      options.log(`seq=${seq} timeout (no reply within ${options.timeoutMs} ms)`);\n      settle();\n    }, left));\n  };',
        ],
        [
          "    clearTimeout(timer);\n",
          "    clearTimeout(timer);\n    for (const pending of deadlines.values()) clearTimeout(pending);\n",
        ],
        [
          "    received: rtts.length,\n    lost: lostSeqs.length,\n    lossPercent: lostSeqs.length / options.count * 100,",
          "    received: answered,\n    lost,\n    lossPercent: 100 * lost / options.count,",
        ],
      ],
    },
    {
      file: "bulk.ts",
      patch: [
        [
          '  const buffer = new Uint8Array(64);\n  let length = 0;\n  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer.subarray(length))) {\n    length += n;\n    if (length === buffer.length) throw new Error("the server\'s answer is longer than a byte count");\n  }\n  return new TextDecoder().decode(buffer.subarray(0, length)).trim();',
          '  const reader = conn.readable.getReader();\n  const kept: number[] = [];\n  try {\n    for (let step = await reader.read(); !step.done; step = await reader.read()) {\n      kept.push(...step.value);\n      if (kept.length > 32) throw new Error("the server\'s answer is longer than a byte count");\n    }\n  } finally {\n    reader.releaseLock();\n  }\n  return new TextDecoder().decode(new Uint8Array(kept)).trim();',
        ],
        ["  const seen = new Uint8Array(count);", "  const seen = new Set<number>();"],
        [
          "        if (seq >= count || seen[seq]) continue;\n        seen[seq] = 1;\n        received++;\n        if (seq < highest) reordered++;\n        highest = Math.max(highest, seq);\n        lastArrival = performance.now();",
          "        if (!(seq < count) || seen.has(seq)) continue;\n        seen.add(seq);\n        received = seen.size;\n        reordered += seq < highest ? 1 : 0;\n        if (seq > highest) highest = seq;\n        lastArrival = performance.now();",
        ],
      ],
    },
  ],
};

/**
 * Streams and stamps: the echo through the connection's readable and
 * writable streams (ignoring the given buffer); the pinger reading a probe's
 * number byte by byte and timing each reply from the send time the probe
 * carries, with expire() as a while loop that returns at the first deadline
 * ahead and the summary from one pass over the probes; the bulk sender
 * reading the answer with `for await` over `conn.readable`, which closes the
 * connection at its end.
 */
const streamsAndStamps: Accepted = {
  id: "streams-and-stamps",
  differs:
    "streams and stamps: the echo through readable/writable, round trips from the probe's own send time, a while loop in expire(), for await over the answer",
  file: "server.ts",
  patch: [[
    "  let total = 0;\n  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {\n    await writeAll(conn, buffer.subarray(0, n));\n    total += n;\n  }\n  return total;",
    "  void buffer;\n  const reader = conn.readable.getReader();\n  const writer = conn.writable.getWriter();\n  let total = 0;\n  try {\n    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {\n      await writer.write(chunk.value);\n      total += chunk.value.byteLength;\n    }\n  } finally {\n    reader.releaseLock();\n    writer.releaseLock();\n  }\n  return total;",
  ]],
  also: [
    {
      file: "ping.ts",
      patch: [
        [
          "    const seq = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(0);",
          "    const seq = ((reply[0] << 24) | (reply[1] << 16) | (reply[2] << 8) | reply[3]) >>> 0;\n    // The probe carries its own send time in bytes 4 to 12: the round trip is now minus that.\n    const stamped = new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getFloat64(4);",
        ],
        ["    const rtt = now - probe.sentAt;", "    const rtt = now - stamped;"],
        [
          '    const now = performance.now();\n    for (; oldest <= sentSoFar; oldest++) {\n      const probe = probes.get(oldest)!;\n      if (probe.state !== "waiting") continue;\n      if (probe.sentAt + options.timeoutMs > now) break;\n      probe.state = "lost";\n      options.log(`seq=${oldest} timeout (no reply within ${options.timeoutMs} ms)`);\n      settle();\n    }',
          '    while (oldest <= sentSoFar) {\n      const probe = probes.get(oldest)!;\n      if (probe.state === "waiting") {\n        if (performance.now() < probe.sentAt + options.timeoutMs) return;\n        probe.state = "lost";\n        options.log(`seq=${oldest} timeout (no reply within ${options.timeoutMs} ms)`);\n        settle();\n      }\n      oldest += 1;\n    }',
        ],
        [
          '  const lostSeqs = [...probes].filter(([, p]) => p.state === "lost").map(([seq]) => seq);',
          '  const lostSeqs: number[] = [];\n  let answered = 0;\n  for (let seq = 1; seq <= sentSoFar; seq++) {\n    const state = probes.get(seq)?.state;\n    if (state === "lost") lostSeqs.push(seq);\n    if (state === "answered") answered++;\n  }',
        ],
        [
          "    sent: options.count,\n    received: rtts.length,\n    lost: lostSeqs.length,\n    lossPercent: lostSeqs.length / options.count * 100,",
          "    sent: sentSoFar,\n    received: answered,\n    lost: lostSeqs.length,\n    lossPercent: (100 * lostSeqs.length) / Math.max(sentSoFar, 1),",
        ],
      ],
    },
    {
      file: "bulk.ts",
      patch: [[
        '  const buffer = new Uint8Array(64);\n  let length = 0;\n  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer.subarray(length))) {\n    length += n;\n    if (length === buffer.length) throw new Error("the server\'s answer is longer than a byte count");\n  }\n  return new TextDecoder().decode(buffer.subarray(0, length)).trim();',
        '  const decoder = new TextDecoder();\n  let text = "";\n  let bytes = 0;\n  for await (const chunk of conn.readable) {\n    bytes += chunk.byteLength;\n    if (bytes > 64) throw new Error(`the answer ran past 64 bytes: ${JSON.stringify(text.slice(0, 20))}…`);\n    text += decoder.decode(chunk, { stream: true });\n  }\n  return (text + decoder.decode()).trim();',
      ]],
    },
  ],
};

export const accepted: Accepted[] = [reworded, otherStyle, streamsAndStamps];
