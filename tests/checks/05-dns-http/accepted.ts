/**
 * Lesson 5's accepted variants: correct solutions that differ from the
 * reference in words and in style. Each must pass every check, so no check
 * can demand the reference's wording or its way of doing things.
 *
 * @module
 */
import type { Accepted } from "../../harness/check.ts";

const F = "fetch.ts";

export const accepted: Accepted[] = [
  {
    id: "reworded",
    differs:
      "every error and every * note in other words (still naming the name for NXDOMAIN and the DNS server for a DNS timeout, as the text asks)",
    file: F,
    patch: [
      ["note(`* reusing the connection to ${key} (kept alive)`)", "note(`* same socket again: ${key}`)"],
      ["note(`* connected to ${key}`)", "note(`* TCP up: ${key}`)"],
      ["note(`* the server closes the connection`)", "note(`* no reuse after this one`)"],
      [
        'throw new FetchError(`too many redirects (${options.maxRedirects}): ${seen.join(" → ")} → ${location}`);',
        "throw new FetchError(`gave up: more than ${options.maxRedirects} hops, the next was ${location}`);",
      ],
      [
        'throw new FetchError(`redirect loop: ${[...seen, next.href].join(" → ")}`);',
        "throw new FetchError(`went round in a circle back to ${next.href}`);",
      ],
      ["note(`* following ${response.status} to ${next.href}`)", "note(`* hop (${response.status}): ${next.href}`)"],
      [
        "throw new FetchError(`the server answered ${response.status} ${response.reason} for ${url.href}`);",
        "throw new FetchError(`HTTP status ${response.status} is not a success (${url.href})`);",
      ],
      ["throw new FetchError(`not a URL: ${text}`);", "throw new FetchError(`cannot parse ${text} as a URL`);"],
      [
        "throw new FetchError(`only http:// URLs are spoken here, not ${url.protocol}//`);",
        "throw new FetchError(`${url.protocol} is not supported`);",
      ],
      [
        'note(`* ${literal} is ${answers.join(", ")} (${type}, asked ${where})`)',
        "note(`* DNS ${type} ${literal} → ${answers[0]}`)",
      ],
      [
        "throw new FetchError(`no answer from the DNS server ${where} within ${options.timeoutMs} ms`);",
        "throw new FetchError(`DNS server ${where} stayed silent for ${options.timeoutMs} ms`);",
      ],
      [
        "throw new FetchError(`cannot resolve ${literal}: ${where} knows no such name (NXDOMAIN, or no A or AAAA record)`);",
        "throw new FetchError(`${literal}: unknown host`);",
      ],
      [
        "reject(new FetchError(`no connection to ${hostPort(hostname, port)} within ${timeoutMs} ms`))",
        "reject(new FetchError(`connect timeout (${timeoutMs} ms)`))",
      ],
      [
        "throw new FetchError(`no complete response within ${options.timeoutMs} ms`);",
        "throw new FetchError(`the server kept us waiting over ${options.timeoutMs} ms`);",
      ],
      [
        "throw new FetchError(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);",
        'throw new FetchError("garbage where the status line should be");',
      ],
      [
        "throw new FetchError(`the response headers are longer than ${MAX_HEAD} bytes`);",
        'throw new FetchError("head too big");',
      ],
      [
        "throw new FetchError(`not a header line: ${JSON.stringify(line.slice(0, 80))}`);",
        'throw new FetchError("malformed header");',
      ],
      [
        'throw new FetchError("the response has both Transfer-Encoding and Content-Length: refused (request smuggling)");',
        'throw new FetchError("the response is framed twice (chunked and a length)");',
      ],
      [
        "throw new FetchError(`unsupported Transfer-Encoding: ${transfer}`);",
        "throw new FetchError(`cannot undo the coding ${transfer}`);",
      ],
      [
        'throw new FetchError(`a bad Content-Length: ${lengths.join(", ")}`);',
        'throw new FetchError("length header is nonsense");',
      ],
      [
        "throw new FetchError(`a body of ${length} bytes, over the ${MAX_BODY}-byte limit`);",
        'throw new FetchError("too much to take");',
      ],
      [
        "        if (end > MAX_LINE) throw new FetchError(`${what} is longer than ${MAX_LINE} bytes`);",
        "        if (end > MAX_LINE) throw new FetchError(`a response line is over ${MAX_LINE} bytes`);",
      ],
      [
        "      if (this.#buffer.length > MAX_LINE + 1) throw new FetchError(`${what} is longer than ${MAX_LINE} bytes`);",
        "      if (this.#buffer.length > MAX_LINE + 1) throw new FetchError(`a response line is over ${MAX_LINE} bytes`);",
      ],
      [
        "throw new FetchError(`the connection closed in the middle of ${what}`);",
        'throw new FetchError("EOF inside a line");',
      ],
      [
        "throw new FetchError(`the connection closed ${count - this.#buffer.length} bytes short of ${what}`);",
        'throw new FetchError("truncated");',
      ],
      [
        "throw new FetchError(`not a chunk size: ${JSON.stringify(sizeLine.slice(0, 40))}`);",
        'throw new FetchError("bad chunk header");',
      ],
      [
        "throw new FetchError(`a chunked body over the ${MAX_BODY}-byte limit`);",
        'throw new FetchError("chunks add up to too much");',
      ],
      ['throw new FetchError("a chunk is not followed by CRLF");', 'throw new FetchError("chunk overrun");'],
      [
        "      if (this.#buffer.length > MAX_BODY) throw new FetchError(`a body over the ${MAX_BODY}-byte limit`);",
        '      if (this.#buffer.length > MAX_BODY) throw new FetchError("too much to take");',
      ],
    ],
  },
  {
    id: "another-style",
    differs:
      "another style: a for(;;) read loop, chunk sizes by a regular expression, the request built as one string, DNS through a helper that maps NotFound to no answer, the status class by division, the body written as raw bytes, and the redirect rule as a switch",
    file: F,
    patch: [
      [
        "    while (this.#buffer.length < count) {\n      if (!await this.#fill()) {\n        throw new FetchError(`the connection closed ${count - this.#buffer.length} bytes short of ${what}`);\n      }\n    }\n    return this.#take(count);",
        "    for (;;) {\n      if (this.#buffer.length >= count) return this.#take(count);\n      const more = await this.#fill();\n      if (!more) throw new FetchError(`${what}: ${count - this.#buffer.length} bytes never came`);\n    }",
      ],
      [
        '      const size = parseInt(sizeLine.split(";")[0].trim(), 16);\n      if (!/^[0-9a-fA-F]+$/.test(sizeLine.split(";")[0].trim()) || Number.isNaN(size)) {',
        "      const hex = /^\\s*([0-9a-f]+)\\s*(?:;.*)?$/i.exec(sizeLine)?.[1];\n      const size = hex === undefined ? NaN : Number.parseInt(hex, 16);\n      if (hex === undefined) {",
      ],
      [
        '  const bytes = body === undefined ? undefined : encoder.encode(body);\n  if (bytes) lines.push("Content-Type: text/plain; charset=utf-8", `Content-Length: ${bytes.length}`);\n  const head = encoder.encode(`${lines.join("\\r\\n")}\\r\\n\\r\\n`);\n  if (!bytes) return head;\n  const all = new Uint8Array(head.length + bytes.length);\n  all.set(head);\n  all.set(bytes, head.length);\n  return all;',
        '  if (body !== undefined) {\n    lines.push("Content-Type: text/plain; charset=utf-8", `Content-Length: ${encoder.encode(body).length}`);\n  }\n  let text = "";\n  for (const line of lines) text += line + "\\r\\n";\n  return encoder.encode(text + "\\r\\n" + (body ?? ""));',
      ],
      [
        '  for (const type of ["A", "AAAA"] as const) {\n    try {\n      const answers = await Deno.resolveDns(literal, type, {\n        ...(options.dns ? { nameServer: options.dns } : {}),\n        signal: AbortSignal.timeout(options.timeoutMs),\n      });\n      if (answers.length > 0) {',
        '  const ask = async (type: "A" | "AAAA"): Promise<string[]> => {\n    try {\n      return await Deno.resolveDns(literal, type, {\n        nameServer: options.dns,\n        signal: AbortSignal.timeout(options.timeoutMs),\n      });\n    } catch (error) {\n      if (error instanceof Deno.errors.NotFound) return [];\n      throw error;\n    }\n  };\n  for (const type of ["A", "AAAA"] as const) {\n    try {\n      const answers = await ask(type);\n      if (answers.length > 0) {',
      ],
      [
        "      if (response.status < 200 || response.status > 299) {",
        "      if (Math.floor(response.status / 100) !== 2) {",
      ],
      [
        '      if (text) options.log(text.endsWith("\\n") ? text.slice(0, -1) : text);',
        "      await logFlushed();\n      for (let at = 0; at < response.body.length;) at += Deno.stdout.writeSync(response.body.subarray(at));\n      void text;",
      ],
      [
        'import { hostPort, ProgramError } from "@course/program.ts";',
        'import { hostPort, logFlushed, ProgramError } from "@course/program.ts";',
      ],
      [
        '        if (response.status === 303 || (response.status <= 302 && method === "POST")) {\n          method = "GET";\n          body = undefined;\n        }',
        '        switch (response.status) {\n          case 301:\n          case 302:\n            if (method !== "POST") break;\n            // falls through: a POST becomes a GET\n          case 303:\n            method = "GET";\n            body = undefined;\n        }',
      ],
    ],
  },
  {
    id: "interim-by-reassignment",
    differs: "the interim 1xx responses skipped by reading again into the same variable, not by a loop that returns",
    file: F,
    patch: [[
      "      while (true) {\n        const response = await this.#readResponse(method, note);\n        if (response.status >= 200 || response.status === 101) return response;\n        note(`* ${response.status} is an interim response: reading on for the answer`);\n      }",
      "      let response = await this.#readResponse(method, note);\n      while (response.status < 200 && response.status !== 101) response = await this.#readResponse(method, note);\n      return response;",
    ]],
  },
  {
    id: "one-dns-deadline",
    differs:
      "one deadline for the whole DNS step (A and AAAA share it), made of an AbortController and a setTimeout that is cleared when the step ends; the two DNS errors worded as terse codes, still naming the name and the server",
    file: F,
    patch: [
      [
        '  for (const type of ["A", "AAAA"] as const) {\n    try {',
        '  const step = new AbortController();\n  const timer = setTimeout(() => step.abort(), options.timeoutMs);\n  try {\n  for (const type of ["A", "AAAA"] as const) {\n    try {',
      ],
      [
        "        ...(options.dns ? { nameServer: options.dns } : {}),\n        signal: AbortSignal.timeout(options.timeoutMs),\n",
        "        ...(options.dns ? { nameServer: options.dns } : {}),\n        signal: step.signal,\n",
      ],
      [
        '      if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {\n        throw new FetchError(`no answer from the DNS server ${where} within ${options.timeoutMs} ms`);\n      }',
        "      if (step.signal.aborted || error instanceof Deno.errors.TimedOut) throw new FetchError(`E_DNS_SILENT ${where}`);",
      ],
      [
        "  throw new FetchError(`cannot resolve ${literal}: ${where} knows no such name (NXDOMAIN, or no A or AAAA record)`);\n}",
        "  throw new FetchError(`E_NO_SUCH_NAME ${literal}`);\n  } finally {\n    clearTimeout(timer);\n  }\n}",
      ],
    ],
  },
];
