/**
 * Lesson 5's known-wrong variants: the reference with one mistake each, as a
 * learner would make it, named by the promise it breaks and the check that
 * must catch it (with the words that say so).
 *
 * @module
 */
import type { Variant } from "../../harness/check.ts";

const F = "fetch.ts";

/** Lines of the reference that several variants patch. */
const REDIRECT_IF = "      if ([301, 302, 303, 307, 308].includes(response.status) && location !== undefined) {";
const TO_GET = '        if (response.status === 303 || (response.status <= 302 && method === "POST")) {';
const LIMIT = "        if (redirects >= options.maxRedirects) {";
const LOOP = "        if (seen.includes(next.href)) throw";
const NEXT = "        const next = new URL(location, url);";
const LITERAL = '  if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(literal) || literal.includes(":")) return literal;';
const TIMEOUT_ERROR =
  "        throw new FetchError(`no answer from the DNS server ${where} within ${options.timeoutMs} ms`);";
const NOT_FOUND_ERROR =
  "  throw new FetchError(`cannot resolve ${literal}: ${where} knows no such name (NXDOMAIN, or no A or AAAA record)`);";
const SIGNAL = "        signal: AbortSignal.timeout(options.timeoutMs),\n";
const HOST_LINE = "    `Host: ${url.host}`,\n";
const JOIN = '  const head = encoder.encode(`${lines.join("\\r\\n")}\\r\\n\\r\\n`);';
const KEEP_ALIVE_LINE =
  '    let keepAlive = version === "HTTP/1.1" ? !connection.includes("close") : connection.includes("keep-alive");';
const NO_BODY = '    if (method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200)) {';
const BOTH = '      if (lengths) {\n        throw new FetchError("the response has both';
const UNTIL_CLOSE = "      body = await this.#untilClose();\n      keepAlive = false;";
const STATUS_ERROR = "      if (response.status < 200 || response.status > 299) {";
const PRINT = '      if (text) options.log(text.endsWith("\\n") ? text.slice(0, -1) : text);';
const TIMER = "    const timer = setTimeout(() => this.close(), options.timeoutMs);";
const OTHER_DNS_ERRORS = [
  "      if (!(error instanceof Deno.errors.NotFound)) {",
  "        const why = error instanceof Error ? error.message : String(error);",
  "        throw new FetchError(`the DNS server ${where} gave no usable answer about ${literal}: ${why}`);",
  "      }",
].join("\n");
const RETHROW = "      if (!(error instanceof Deno.errors.NotFound)) throw error;";
const INTERIM_LOOP = [
  "      while (true) {",
  "        const response = await this.#readResponse(method, note);",
  "        if (response.status >= 200 || response.status === 101) return response;",
  "        note(`* ${response.status} is an interim response: reading on for the answer`);",
  "      }",
].join("\n");

export const variants: Variant[] = [
  // DNS.
  {
    id: "hard-coded-address",
    mistake: "fetch connects to 127.0.0.1 without asking DNS",
    breaks: "dns-then-connect",
    file: F,
    patch: [[
      '  const literal = host.startsWith("[")',
      '  return "127.0.0.1";\n  const literal = host.startsWith("[")',
    ]],
    rejectedBy: "asks-dns",
    message: /did not ask the DNS server "alpha\.test A"/,
  },
  {
    id: "system-resolver",
    mistake: "fetch ignores --dns and asks the system's resolver",
    breaks: "help-dns",
    file: F,
    patch: [["        ...(options.dns ? { nameServer: options.dns } : {}),\n", ""]],
    rejectedBy: "asks-dns",
    message: /did not ask the DNS server "alpha\.test A"/,
  },
  {
    id: "literal-asks-dns",
    mistake: "an IP literal is sent to DNS like a name",
    breaks: "ip-literal",
    file: F,
    patch: [[LITERAL, '  if (host.startsWith("[")) return literal;']],
    rejectedBy: "ip-literal",
    message: /asked DNS about the address 127\.0\.0\.1/,
  },
  {
    id: "aaaa-first",
    mistake: "fetch asks AAAA before A",
    breaks: "a-then-aaaa",
    file: F,
    patch: [['  for (const type of ["A", "AAAA"] as const) {', '  for (const type of ["AAAA", "A"] as const) {']],
    rejectedBy: "a-then-aaaa",
    message: /must ask A and use its first address/,
  },
  {
    id: "gives-up-after-a",
    mistake: "NotFound for A is taken for no such name, and AAAA is never asked",
    breaks: "aaaa-after-notfound",
    file: F,
    patch: [[OTHER_DNS_ERRORS, `${OTHER_DNS_ERRORS}\n      break;`]],
    rejectedBy: "a-then-aaaa",
    message: /did not ask the DNS server "six\.test AAAA"/,
  },
  {
    id: "last-address",
    mistake: "fetch connects to the last address of the answer, not the first",
    breaks: "first-address",
    file: F,
    patch: [["        return answers[0];", "        return answers[answers.length - 1];"]],
    rejectedBy: "a-then-aaaa",
    message: /fetch \(A and AAAA\) exited with code 1/,
  },
  {
    id: "nxdomain-names-server-only",
    mistake: "the NXDOMAIN error names the DNS server but not the name",
    breaks: "nxdomain-names-name",
    file: F,
    patch: [[NOT_FOUND_ERROR, "  throw new FetchError(`${where} knows no such name`);"]],
    rejectedBy: "nxdomain",
    message: /does not name nowhere\.test/,
  },
  {
    id: "timeout-names-host",
    mistake: "the DNS timeout error names the host instead of the DNS server that did not answer",
    breaks: "timeout-names-server",
    file: F,
    patch: [[TIMEOUT_ERROR, "        throw new FetchError(`no DNS answer for ${literal} in time`);"]],
    rejectedBy: "dns-timeout",
    message: /does not name 127\.0\.0\.1:\d+/,
  },
  {
    id: "no-dns-deadline",
    mistake: "Deno.resolveDns gets no signal, so a silent DNS server is waited for (15 s)",
    breaks: "dns-silence",
    file: F,
    patch: [[SIGNAL, ""]],
    rejectedBy: "dns-timeout",
    message: /"alpha\.test A" and was still waiting 3 s later/,
  },
  {
    id: "fixed-timeout",
    mistake: "--timeout is ignored: every step waits 30 s",
    breaks: "help-timeout",
    file: F,
    patch: [[TIMER, "    const timer = setTimeout(() => this.close(), 30_000);"]],
    rejectedBy: "response-timeout",
    message: /still running after 8 s \(its --timeout was 2000 ms\)/,
  },
  {
    id: "one-deadline",
    mistake: "one --timeout for the whole fetch instead of one per step",
    breaks: "timeout-each-step",
    file: F,
    patch: [
      [
        "const encoder = new TextEncoder();",
        "const encoder = new TextEncoder();\nconst started = performance.now();\nconst left = (ms: number) => Math.max(1, ms - (performance.now() - started));",
      ],
      [SIGNAL, "        signal: AbortSignal.timeout(left(options.timeoutMs)),\n"],
      [TIMER, "    const timer = setTimeout(() => this.close(), left(options.timeoutMs));"],
    ],
    rejectedBy: "timeout-per-step",
    message: /fetch exited with code 1, not 0/,
  },
  {
    id: "aaaa-without-deadline",
    mistake:
      "only the A question gets the --timeout signal; the AAAA question after it waits as long as the resolver does",
    breaks: "dns-silence",
    file: F,
    patch: [[SIGNAL, '        signal: type === "A" ? AbortSignal.timeout(options.timeoutMs) : undefined,\n']],
    rejectedBy: "dns-timeout",
    message: /asked 127\.0\.0\.1:\d+ "alpha\.test AAAA" and was still waiting 3 s later/,
  },
  {
    id: "dns-deadline-fixed",
    mistake: "the DNS question's deadline is the default 5000 ms, whatever --timeout says",
    breaks: "help-timeout",
    file: F,
    patch: [[SIGNAL, "        signal: AbortSignal.timeout(5000),\n"]],
    rejectedBy: "dns-deadline",
    message: /fetch, with --timeout 300, waited for it and went on/,
  },
  {
    id: "resolver-timeout-unnamed",
    mistake:
      "only the signal's TimeoutError is taken for a timeout; Deno's own TimedOut (its tries run out first) is passed on as it is, with every other error but NotFound",
    breaks: "resolver-gives-up",
    file: F,
    patch: [
      [
        "      if (error instanceof Deno.errors.TimedOut) {\n        throw new FetchError(`no answer from the DNS server ${where} (the resolver gave up after its own tries)`);\n      }\n",
        "",
      ],
      [OTHER_DNS_ERRORS, RETHROW],
    ],
    rejectedBy: "dns-deadline",
    message: /fetch \(default --timeout\)'s error does not name 127\.0\.0\.1:\d+/,
  },
  {
    id: "dns-error-rethrown",
    mistake:
      "a DNS failure other than NotFound and the two timeouts (a truncated answer whose TCP retry is refused) is rethrown as it is",
    breaks: "dns-other-errors",
    file: F,
    patch: [[OTHER_DNS_ERRORS, RETHROW]],
    rejectedBy: "dns-broken",
    message: /fetch \(truncated\)'s error does not name 127\.0\.0\.1:\d+/,
  },
  {
    id: "silence-as-nxdomain",
    mistake:
      "a DNS timeout is taken for no answer at all: fetch asks AAAA next and then says the server knows no such name",
    breaks: "nxdomain-names-name",
    file: F,
    patch: [[TIMEOUT_ERROR, "        continue;"]],
    rejectedBy: "dns-timeout",
    message: /says the same when the DNS server does not answer as when it answers that there is no such name/,
  },
  // The request.
  {
    id: "no-host",
    mistake: "the request has no Host header",
    breaks: "host-with-port",
    file: F,
    patch: [[HOST_LINE, ""]],
    rejectedBy: "request-format",
    message: /Host "\(missing\)"/,
  },
  {
    id: "hostname-without-port",
    mistake: "Host is url.hostname, without the port",
    breaks: "host-with-port",
    file: F,
    patch: [[HOST_LINE, "    `Host: ${url.hostname}`,\n"]],
    rejectedBy: "request-format",
    message: /Host "alpha\.test"/,
  },
  {
    id: "bare-lf",
    mistake: "request lines end in \\n instead of \\r\\n",
    breaks: "request-shape",
    file: F,
    patch: [[JOIN, '  const head = encoder.encode(`${lines.join("\\n")}\\n\\n`);']],
    rejectedBy: "request-format",
    message: /lines not ending in \\r\\n/,
  },
  {
    id: "path-dropped",
    mistake: "the request line asks for / whatever the URL's path",
    breaks: "help-url",
    file: F,
    patch: [["    `${method} ${url.pathname}${url.search} HTTP/1.1`,", "    `${method} / HTTP/1.1`,"]],
    rejectedBy: "asks-dns",
    message: /never sent its request for \/hello/,
  },
  {
    id: "crlf-after-head",
    mistake: "an extra CRLF after the empty line, as if the (empty) body were a line too",
    breaks: "get-no-body",
    file: F,
    patch: [[JOIN, '  const head = encoder.encode(`${lines.join("\\r\\n")}\\r\\n\\r\\n\\r\\n`);']],
    rejectedBy: "request-format",
    message: /a body on a GET \(bytes after the head\)/,
  },
  {
    id: "no-connection-header",
    mistake: "fetch does not send Connection: keep-alive, the 1.1 default",
    breaks: "sends-keep-alive",
    file: F,
    patch: [['    "Connection: keep-alive",\n', ""]],
    rejectedBy: "request-format",
    message: /no Connection: keep-alive/,
  },
  {
    id: "no-accept",
    mistake: "fetch sends no Accept header",
    breaks: "request-headers",
    file: F,
    patch: [['    "Accept: */*",\n', ""]],
    rejectedBy: "request-format",
    message: /no Accept/,
  },
  {
    id: "utf16-length",
    mistake: "Content-Length counts UTF-16 code units (body.length), not UTF-8 bytes",
    breaks: "post-data",
    file: F,
    patch: [["`Content-Length: ${bytes.length}`", "`Content-Length: ${body!.length}`"]],
    rejectedBy: "post",
    message: /Content-Length: 21/,
  },
  {
    id: "empty-data-no-length",
    mistake:
      "an empty --data is taken for no body: the POST goes without Content-Length (if (body), not body !== undefined)",
    breaks: "empty-post",
    file: F,
    patch: [[
      "  const bytes = body === undefined ? undefined : encoder.encode(body);",
      "  const bytes = body ? encoder.encode(body) : undefined;",
    ]],
    rejectedBy: "post",
    message: /with --data '' fetch must still send a POST that says its body is empty/,
  },
  {
    id: "data-as-get",
    mistake: "--data is sent as the body of a GET",
    breaks: "help-data",
    file: F,
    patch: [['  let method = options.data === undefined ? "GET" : "POST";', '  let method = "GET";']],
    rejectedBy: "post",
    message: /fetch sent "GET \/form HTTP\/1\.1"/,
  },
  // Status codes and what is printed.
  {
    id: "error-before-body",
    mistake: "a 404 ends in the error before its body is printed",
    breaks: "body-before-error",
    file: F,
    patch: [[PRINT, ""], [
      "      return response;\n    }\n  } finally {",
      `${PRINT}\n      return response;\n    }\n  } finally {`,
    ]],
    rejectedBy: "status-codes",
    message: /printed something else than the body \(a 404 with a body\)/,
  },
  {
    id: "only-200-succeeds",
    mistake: "only 200 counts as success: a 201 ends in an error",
    breaks: "status-exit",
    file: F,
    patch: [[STATUS_ERROR, "      if (response.status !== 200) {"]],
    rejectedBy: "post",
    message: /exited with code 1, not 0 \(a 201 Created with a body\)/,
  },
  {
    id: "exit-code-per-class",
    mistake: "fetch exits with the status class (4 for a 404) instead of 1",
    breaks: "exit-code-1",
    file: F,
    patch: [[
      STATUS_ERROR,
      `${STATUS_ERROR}\n        console.error(\`error: \${response.status}\`);\n        Deno.exit(Math.floor(response.status / 100));`,
    ]],
    rejectedBy: "status-codes",
    message: /exited with code 4, not 1/,
  },
  {
    id: "notes-always",
    mistake: "the * notes are printed without -v too",
    breaks: "body-only",
    file: F,
    patch: [["  const note = (line: string) => options.verbose && options.log(line);", "  const note = options.log;"]],
    rejectedBy: "asks-dns",
    message: /printed something else than the body/,
  },
  {
    id: "two-line-error",
    mistake: "an error comes with a second line of advice on stderr",
    breaks: "error-wording",
    file: F,
    patch: [[
      BOTH,
      '      if (lengths) {\n        console.error("hint: the server sent two framings");\n        throw new FetchError("the response has both',
    ]],
    rejectedBy: "conflicting-framing",
    message: /2 lines on stderr/,
  },
  {
    id: "stack-trace",
    mistake: "fetch prints an error it made itself with console.error(error), stack trace and all, then exits",
    breaks: "one-line-errors",
    file: F,
    patch: [[
      BOTH,
      '      if (lengths) {\n        console.error(new FetchError("both framings"));\n        Deno.exit(1);\n        throw new FetchError("the response has both',
    ]],
    rejectedBy: "conflicting-framing",
    message: /printed a stack trace/,
  },
  {
    id: "verbose-silent-exchange",
    mistake: "-v shows the * notes but not the request and response heads",
    breaks: "verbose-lines",
    file: F,
    patch: [
      ['    for (const line of head.split("\\r\\n")) note(`> ${line}`);\n    note(">");\n', ""],
      ["      note(`< ${line}`);\n", ""],
    ],
    rejectedBy: "verbose",
    message: /with -v, line 1 of the exchange/,
  },
  {
    id: "verbose-lower-case",
    mistake: "-v prints the response headers from the parsed map (lower-cased names), not as they were read",
    breaks: "help-verbose",
    file: F,
    patch: [["      note(`< ${line}`);\n", ""], [
      '    note("<");\n',
      '    for (const [name, value] of headers) note(`< ${name}: ${value}`);\n    note("<");\n',
    ]],
    rejectedBy: "verbose",
    message: /with -v, line \d+ of the exchange/,
  },
  // Redirects.
  {
    id: "stops-at-302",
    mistake: "fetch prints the 302 and stops",
    breaks: "relative-location",
    file: F,
    patch: [[REDIRECT_IF, "      if (false) {"]],
    rejectedBy: "redirects",
    message: /did not follow the redirects from \/start to \/hop to \/final/,
  },
  {
    id: "origin-relative",
    mistake: "a relative Location is resolved against the site's root, not the URL asked",
    breaks: "relative-location",
    file: F,
    patch: [[NEXT, "        const next = new URL(location, url.origin);"]],
    rejectedBy: "relative-location",
    message: /did not resolve each Location against the URL it had asked/,
  },
  {
    id: "default-limit-three",
    mistake: "the redirect limit is 3 whatever --max-redirects says",
    breaks: "max-redirects-default",
    file: F,
    patch: [[LIMIT, "        if (redirects >= 3) {"]],
    rejectedBy: "relative-location",
    message: /stopped before the default limit of 5 redirects/,
  },
  {
    id: "flag-ignored",
    mistake: "--max-redirects is ignored: the limit is always 5",
    breaks: "help-max-redirects",
    file: F,
    patch: [[LIMIT, "        if (redirects >= 5) {"]],
    rejectedBy: "max-redirects",
    message: /with --max-redirects 2 and a server that redirects forever, fetch sent 6 requests/,
  },
  {
    id: "one-hop-too-many",
    mistake: "the limit is checked with > instead of >=: one redirect too many is followed",
    breaks: "max-redirects",
    file: F,
    patch: [[LIMIT, "        if (redirects > options.maxRedirects) {"]],
    rejectedBy: "max-redirects",
    message: /fetch sent 4 requests/,
  },
  {
    id: "no-loop-check",
    mistake: "only the limit stops a loop: URLs already visited are requested again",
    breaks: "redirect-loop",
    file: F,
    patch: [[LOOP, "        if (false) throw"]],
    rejectedBy: "redirect-loop",
    message: /should stop when \/b sends it back to \/a/,
  },
  {
    id: "post-kept-on-302",
    mistake: "only a 303 turns a POST into a GET; after a 301 or 302 the POST is repeated",
    breaks: "redirect-301-302",
    file: F,
    patch: [[TO_GET, "        if (response.status === 303) {"]],
    rejectedBy: "redirect-to-get",
    message: /after a 301 to a POST, fetch sent "POST \/after301 HTTP\/1\.1"/,
  },
  {
    id: "body-kept-on-303",
    mistake: "after a 303 the method becomes GET but the body is still sent",
    breaks: "redirect-303",
    file: F,
    patch: [['          method = "GET";\n          body = undefined;', '          method = "GET";']],
    rejectedBy: "redirect-to-get",
    message: /after a 30\d to a POST, fetch sent body/,
  },
  {
    id: "post-dropped-on-307",
    mistake: "every redirect after a POST turns it into a GET, 307 and 308 too",
    breaks: "redirect-307-308",
    file: F,
    patch: [[TO_GET, '        if (response.status === 303 || method === "POST") {']],
    rejectedBy: "redirect-keeps-post",
    message: /after a 307 to a POST, fetch sent "GET \/k2 HTTP\/1\.1"/,
  },
  {
    id: "one-address-for-all",
    mistake: "DNS is asked once, and its address is used for every host",
    breaks: "new-host",
    file: F,
    patch: [[
      "      const address = addresses.get(url.hostname) ?? await resolve(url.hostname, options, note);",
      "      const address = [...addresses.values()][0] ?? await resolve(url.hostname, options, note);",
    ]],
    rejectedBy: "redirects",
    message: /did not ask the DNS server "beta\.test A"/,
  },
  {
    id: "pool-by-name",
    mistake: "the pool is keyed by the URL's host name, so another name for the same address gets a new connection",
    breaks: "same-address-reuse",
    file: F,
    patch: [["      let conn = pool.get(key);", "      let conn = pool.get(url.host);"], [
      "        pool.set(key, conn);",
      "        pool.set(url.host, conn);",
    ], ["        pool.delete(key);", "        pool.delete(url.host);"]],
    rejectedBy: "same-address-reuse",
    message: /yet fetch opened 2 connections there/,
  },
  {
    id: "never-reuses",
    mistake: "every request opens a new connection",
    breaks: "reuses-open-connection",
    file: F,
    patch: [["      let conn = pool.get(key);", "      let conn: Connection | undefined;"]],
    rejectedBy: "keep-alive",
    message: /opened 3 connections for 3 requests/,
  },
  // Framing.
  {
    id: "reads-body-once",
    mistake: "fetch reads the body once and takes what came as all of it",
    breaks: "content-length-exact",
    file: F,
    patch: [["    while (this.#buffer.length < count) {", "    if (this.#buffer.length < count) {"], [
      "    return this.#take(count);\n  }\n\n  /** A chunked body",
      "    return this.#take(Math.min(count, this.#buffer.length));\n  }\n\n  /** A chunked body",
    ]],
    rejectedBy: "dribbled-body",
    message: /printed something else than the body/,
  },
  {
    id: "eof-is-the-end",
    mistake: "an early end of the stream ends the body without an error",
    breaks: "content-length-exact",
    file: F,
    patch: [[
      "      if (!await this.#fill()) {\n        throw new FetchError(`the connection closed ${count - this.#buffer.length} bytes short of ${what}`);\n      }",
      "      if (!await this.#fill()) return this.#take(this.#buffer.length);",
    ]],
    rejectedBy: "short-body",
    message: /exited with code 0/,
  },
  {
    id: "forgets-304",
    mistake: "a 304 is framed by its Content-Length like any response",
    breaks: "no-body-statuses",
    file: F,
    patch: [[NO_BODY, '    if (method === "HEAD" || status === 204 || (status >= 100 && status < 200)) {']],
    rejectedBy: "no-body-statuses",
    message: /fetch \(304\) printed a body/,
  },
  {
    id: "no-framing-empty",
    mistake: "a response with neither Content-Length nor chunks is taken to have no body",
    breaks: "until-close",
    file: F,
    patch: [[UNTIL_CLOSE, "      body = new Uint8Array(0);\n      keepAlive = false;"]],
    rejectedBy: "until-close",
    message: /printed something else than the body/,
  },
  {
    id: "until-close-reused",
    mistake: "after a body read until close the connection stays in the pool",
    breaks: "until-close-used-up",
    file: F,
    patch: [[UNTIL_CLOSE, "      body = await this.#untilClose();"]],
    rejectedBy: "until-close-reconnects",
    message: /did not send the next request on a new one/,
  },
  {
    id: "decimal-sizes",
    mistake: "chunk sizes are read as decimal numbers",
    breaks: "chunked",
    file: F,
    patch: [
      [
        '      const size = parseInt(sizeLine.split(";")[0].trim(), 16);',
        '      const size = parseInt(sizeLine.split(";")[0].trim(), 10);',
      ],
      [
        '      if (!/^[0-9a-fA-F]+$/.test(sizeLine.split(";")[0].trim()) || Number.isNaN(size)) {',
        "      if (Number.isNaN(size)) {",
      ],
    ],
    rejectedBy: "chunked",
    message: /fetch exited with code 1, not 0 \(a chunked response/,
  },
  {
    id: "extension-refused",
    mistake: "a chunk size line with ;name=value is taken for a bad size",
    breaks: "chunk-extensions",
    file: F,
    patch: [[
      '      if (!/^[0-9a-fA-F]+$/.test(sizeLine.split(";")[0].trim()) || Number.isNaN(size)) {',
      "      if (!/^[0-9a-fA-F]+$/.test(sizeLine.trim()) || Number.isNaN(size)) {",
    ]],
    rejectedBy: "chunked",
    message: /fetch exited with code 1, not 0 \(a chunked response/,
  },
  {
    id: "trailers-left",
    mistake: "the body ends at the 0 chunk: the trailers and the empty line are left on the connection",
    breaks: "chunked",
    file: F,
    patch: [['    while (await this.#line("the trailers") !== "") { /* trailers are not used here */ }\n', ""]],
    rejectedBy: "keep-alive",
    message: /exited with code 1, not 0 \(after a 302 with a Content-Length body and a 302 with a chunked body/,
  },
  {
    id: "redirect-body-skipped",
    mistake: "a redirect's body is not read: the next response is read from where it begins",
    breaks: "reuse-needs-framing",
    file: F,
    patch: [[
      "    let body: Uint8Array;\n",
      '    let body: Uint8Array;\n    if (status >= 300 && status < 400 && headers.has("location")) {\n      return { version, status, reason: match[3] ?? "", headers, body: new Uint8Array(0), keepAlive };\n    }\n',
    ]],
    rejectedBy: "keep-alive",
    message: /did not go \/one → \/two → \/three/,
  },
  {
    id: "chunked-wins",
    mistake: "with both framings, chunked wins (as the RFC allows) instead of a refusal",
    breaks: "both-framings-refused",
    file: F,
    patch: [[BOTH, '      if (false) {\n        throw new FetchError("the response has both']],
    rejectedBy: "conflicting-framing",
    message: /printed a body \(both framings in one response\)/,
  },
  {
    id: "case-sensitive-headers",
    mistake: "header names keep their case, and the framing looks them up as Name and as name only",
    breaks: "header-case",
    file: F,
    patch: [
      [
        "      const name = line.slice(0, colon).trim().toLowerCase();",
        "      const name = line.slice(0, colon).trim();",
      ],
      [
        '    const connection = headers.get("connection")?.toLowerCase() ?? "";',
        '    const connection = (headers.get("connection") ?? headers.get("Connection"))?.toLowerCase() ?? "";',
      ],
      [
        '    const transfer = headers.get("transfer-encoding");',
        '    const transfer = headers.get("transfer-encoding") ?? headers.get("Transfer-Encoding");',
      ],
      [
        '    const lengths = counts.get("content-length");',
        '    const lengths = counts.get("content-length") ?? counts.get("Content-Length");',
      ],
      [
        '      const location = response.headers.get("location");',
        '      const location = response.headers.get("location") ?? response.headers.get("Location");',
      ],
    ],
    rejectedBy: "header-case",
    message: /did not follow a 302 whose header was spelt lOcAtIoN/,
  },
  // Connections.
  {
    id: "close-ignored",
    mistake: "Connection: close is ignored: the connection stays in the pool",
    breaks: "connection-close",
    file: F,
    patch: [[KEEP_ALIVE_LINE, '    let keepAlive = version === "HTTP/1.1" || connection.includes("keep-alive");']],
    rejectedBy: "connection-close",
    message: /on the connection of a response with Connection: close/,
  },
  {
    id: "http10-kept",
    mistake: "an HTTP/1.0 response is taken to keep the connection open, as 1.1 does",
    breaks: "http10-closes",
    file: F,
    patch: [[KEEP_ALIVE_LINE, '    let keepAlive = !connection.includes("close");']],
    rejectedBy: "connection-close",
    message: /on the connection of an HTTP\/1\.0 response/,
  },
  // Bounds.
  {
    id: "crlf-counted",
    mistake: "the line bound counts the CRLF, so a line of exactly 8,192 bytes is refused",
    breaks: "line-bound",
    file: F,
    patch: [["        if (end > MAX_LINE) throw", "        if (at + 1 > MAX_LINE) throw"]],
    rejectedBy: "line-limit",
    message: /fetch \(8,192\) exited with code 1, not 0/,
  },
  {
    id: "unbounded-line",
    mistake: "a line is bounded only once its LF arrives, so a line with no end is buffered for ever",
    breaks: "line-bound",
    file: F,
    patch: [[
      "      if (this.#buffer.length > MAX_LINE + 1) throw new FetchError(`${what} is longer than ${MAX_LINE} bytes`);\n",
      "",
    ]],
    rejectedBy: "huge-header",
    message: /still reading a header line with no end after 8 s/,
  },
  {
    id: "no-head-bound",
    mistake: "only each line is bounded, not the head as a whole",
    breaks: "head-bound",
    file: F,
    patch: [["      if (this.#taken - start > MAX_HEAD) {", "      if (false) {"]],
    rejectedBy: "head-limit",
    message: /fetch \(65,537\) printed a body/,
  },
  {
    id: "chunks-at-bound-refused",
    mistake: "the chunks' sum is refused when it reaches 16 MiB (>=), so a body of exactly 16 MiB in chunks is refused",
    breaks: "body-bound",
    file: F,
    patch: [["      if (total + size > MAX_BODY) throw", "      if (total + size >= MAX_BODY) throw"]],
    rejectedBy: "body-limit",
    message: /fetch \(16 MiB\) exited with code 1, not 0 .*chunks add up to exactly 16 MiB/,
  },
  {
    id: "unbounded-until-close",
    mistake: "a body read until close has no bound",
    breaks: "body-bound",
    file: F,
    patch: [[
      "      if (this.#buffer.length > MAX_BODY) throw new FetchError(`a body over the ${MAX_BODY}-byte limit`);\n",
      "",
    ]],
    rejectedBy: "body-limit",
    message: /fetch \(close\) printed a body \(a body of 16 MiB \+ 1 byte, until close\)/,
  },
  {
    id: "stops-at-interim",
    mistake: "a 1xx is taken for the answer: fetch stops at 100 Continue",
    breaks: "interim-skipped",
    file: F,
    patch: [[INTERIM_LOOP, "      return await this.#readResponse(method, note);"]],
    rejectedBy: "interim-responses",
    message: /fetch exited with code 1, not 0/,
  },
];
