/**
 * Lesson 1's accepted variants: correct in another style or other words;
 * each must pass every check.
 *
 * @module
 */
import type { Accepted } from "../../harness/check.ts";

/** Correct solutions written otherwise; each must pass every check. */
export const accepted: Accepted[] = [
  {
    id: "utc-two-writes",
    differs: "the server sends toISOString() (UTC, Z) and the newline in two writes",
    file: "server.ts",
    patch: [[
      'await writeAll(conn, encoder.encode(timestamp(new Date()) + "\\n"));',
      'await writeAll(conn, encoder.encode(new Date().toISOString()));\n    await writeAll(conn, encoder.encode("\\n"));',
    ]],
  },
  {
    id: "reworded",
    differs: "every log line and error the text leaves free is worded differently",
    file: "server.ts",
    patch: [
      ["    log(`Client ${peer} connected`);", "    log(`new visitor from ${peer}`);"],
      ['  options.log("server stopped");', '  options.log("bye: the listener is closed");'],
      [
        '    log(`Client ${peer}: ${error instanceof Error ? error.name : "error"}, dropped`);',
        "    log(`lost ${peer} half-way`);",
      ],
    ],
    also: [{
      file: "client.ts",
      patch: [[
        "`the server did not close the connection within ${options.timeoutMs} ms`",
        "`no end of answer after ${options.timeoutMs} ms; giving up`",
      ]],
    }],
  },
  {
    id: "stream-client",
    differs: "the client reads conn.readable through a TextDecoderStream, with AbortSignal.timeout as its deadline",
    file: "client.ts",
    patch: [[
      '  // A server that never closes would keep us waiting forever: closing the\n  // connection after the deadline makes the pending read() end.\n  let timedOut = false;\n  const timer = setTimeout(() => {\n    timedOut = true;\n    conn.close();\n  }, options.timeoutMs);\n\n  // A streaming decoder keeps a character whose bytes were split between two\n  // reads until the rest of it arrives.\n  const decoder = new TextDecoder();\n  let text = "";\n  let size = 0;\n  try {\n    const buffer = new Uint8Array(1024);\n    // recv() in a loop until it returns nothing: read() resolves null at EOF,\n    // when the server has closed its side.\n    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {\n      size += n;\n      if (size > MAX_BYTES) throw new Error(`the server sent more than ${MAX_BYTES} bytes; a time line is short`);\n      text += decoder.decode(buffer.subarray(0, n), { stream: true });\n    }\n    text += decoder.decode();\n  } catch (error) {\n    if (timedOut) {\n      throw new Deno.errors.TimedOut(`the server did not close the connection within ${options.timeoutMs} ms`);\n    }\n    throw error;\n  } finally {\n    clearTimeout(timer);\n    if (!timedOut) conn.close();\n  }\n\n',
      '  // Another style: the connection\'s readable stream, decoded by a TextDecoderStream, with one\n  // AbortSignal as the deadline for the whole answer.\n  const deadline = AbortSignal.timeout(options.timeoutMs);\n  const reader = conn.readable.pipeThrough(new TextDecoderStream()).getReader();\n  const gaveUp = new Promise<never>((_, reject) =>\n    deadline.addEventListener("abort", () => reject(new Error(`gave up after ${options.timeoutMs} ms without an end`)))\n  );\n  gaveUp.catch(() => {});\n  let text = "";\n  try {\n    while (true) {\n      const { value, done } = await Promise.race([reader.read(), gaveUp]);\n      if (done) break;\n      text += value;\n    }\n  } finally {\n    reader.cancel().catch(() => {});\n  }\n',
    ]],
  },
  {
    id: "temporal-bytewise",
    differs:
      "the server formats the time with Temporal and writes it four bytes at a time; the client reads one byte at a time",
    file: "server.ts",
    patch: [
      [
        'encoder.encode(timestamp(new Date()) + "\\n")',
        'encoder.encode(Temporal.Now.zonedDateTimeISO().toString({ smallestUnit: "millisecond", timeZoneName: "never" }) + "\\n")',
      ],
      ["await conn.write(bytes.subarray(written))", "await conn.write(bytes.subarray(written, written + 4))"],
    ],
    also: [{
      file: "client.ts",
      patch: [["const buffer = new Uint8Array(1024);", "const buffer = new Uint8Array(1);"]],
    }],
  },
];
