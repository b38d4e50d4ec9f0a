/**
 * Lesson 5's hardening checks: what real servers do that the happy path does
 * not show. Header names in any case, bodies that must not be read, a
 * connection that cannot or must not be used again, two framings at once,
 * bodies cut short by a close or a reset, servers that never answer or
 * answer late, and every bound the text sets (a line, the head, the body),
 * hit exactly and by one byte.
 *
 * @module
 */
import type { Check } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import { visible } from "../../harness/bytes.ts";
import { endlessLine, GraderHttp, ResettingHttp, type Responder, send } from "../../harness/web.ts";
import {
  byteLength,
  chunks,
  encoder,
  expectAsked,
  expectBody,
  expectError,
  expectRequests,
  ok,
  redirect,
  RUN_MS,
  runFetch,
  servers,
  together,
} from "./support.ts";

/** The lesson's bounds. */
const MAX_HEAD = 65536;
const MAX_BODY = 16 * 1024 * 1024;
/** How long a run that moves 16 MiB may take: a second or so on a quiet machine, far more on a busy one. */
const BIG_MS = 20_000;
/**
 * The --timeout for those runs: a response must come whole within --timeout, and 16 MiB on a busy machine may take
 * longer than the default 5 s. The bounds are judged here, not the deadline.
 */
const BIG_TIMEOUT = ["--timeout", "15000"];

/** Fails unless fetch printed nothing on stdout: a refused or failed response has no body to show. */
function expectNothingPrinted(fetch: { label: string; stdout: string[] }, situation: { en: string; ru: string }) {
  const out = fetch.stdout.join("\n");
  if (out === "") return;
  throw new CheckFailure({
    en: `${fetch.label} printed a body (${situation.en}), as if the response were fine`,
    ru: `${fetch.label} напечатал тело (${situation.ru}), как будто с ответом всё в порядке`,
  }, { expected: { en: "nothing on stdout", ru: "ничего в stdout" }, actual: visible(out) });
}

/**
 * A response whose head is exactly `size` bytes (status line to the empty
 * line, CRLFs included), every line within MAX_LINE, then `body`.
 */
function headOfSize(size: number, body: string): string {
  const start = `HTTP/1.1 200 OK\r\nContent-Length: ${byteLength(body)}\r\n`;
  let left = size - start.length - 2;
  const lines: string[] = [];
  for (let i = 0; left > 0; i++) {
    const name = `X-Fill-${String(i).padStart(2, "0")}: `;
    // A line is name + value + CRLF; the last one takes what is left (at least a short value).
    const value = Math.min(8000, left - name.length - 2);
    if (value < 1) throw new Error(`cannot fill a head of ${size} bytes`);
    lines.push(`${name}${"h".repeat(value)}\r\n`);
    left -= name.length + value + 2;
  }
  const raw = `${start}${lines.join("")}\r\n${body}`;
  if (byteLength(raw) - byteLength(body) !== size) throw new Error("headOfSize miscounted");
  return raw;
}

/** `size` bytes of body text in lines of 1,024 bytes (the last one shorter). */
function bigBody(size: number): string {
  const line = "x".repeat(1023) + "\n";
  return line.repeat(Math.floor(size / 1024)) + "y".repeat(size % 1024);
}

export const hardening: Check[] = [
  {
    id: "body-limit",
    section: "hardening",
    timeoutMs: 30_000,
    title: {
      en:
        "a body of exactly 16 MiB is taken, by Content-Length and in chunks (redirects' bodies, read to their end); 16 MiB + 1 byte is refused, whether framed by Content-Length, in chunks or until close",
      ru:
        "тело ровно в 16 МиБ принимается, по Content-Length и кусками (тела перенаправлений, дочитанные до конца); 16 МиБ + 1 байт отвергается, как бы оно ни было кадрировано: Content-Length, куски или до закрытия",
    },
    hint: {
      en:
        "16 MiB = 16,777,216 bytes is the largest body, and is allowed: refuse only more (>, not >=), checking Content-Length, the sum of the chunk sizes, and the bytes read until close.",
      ru:
        "16 МиБ = 16 777 216 байтов — самое большое тело, и оно допустимо: отвергайте только больше (>, а не >=), сверяя с этим Content-Length, сумму размеров кусков и байты, прочитанные до закрытия.",
    },
    async run(trial) {
      // One buffer of 16 MiB + 1 bytes; each route sends its own head, then all of it or all but its last byte.
      const over = encoder.encode(bigBody(MAX_BODY + 1));
      const exact = over.subarray(0, MAX_BODY);
      const framed =
        (head: string, body: Uint8Array, tail = "", then: "keep" | "close" = "keep"): Responder => async (conn) => {
          for (const part of [encoder.encode(head), body, encoder.encode(tail)]) {
            for (let at = 0; at < part.length;) at += await conn.write(part.subarray(at));
          }
          return then;
        };
      const body = "two 16 MiB bodies were read, and the redirects followed\n";
      const { dns, http } = servers(trial, {
        // Exactly at the bound, as redirects' bodies: read to their end, then each redirect is followed.
        "/exact": framed(`HTTP/1.1 302 Found\r\nLocation: /exact-chunks\r\nContent-Length: ${MAX_BODY}\r\n\r\n`, exact),
        // A 1-byte chunk, then one of 16 MiB - 1: their sum is the bound exactly.
        "/exact-chunks": framed(
          `HTTP/1.1 302 Found\r\nLocation: /small\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n${
            (MAX_BODY - 1).toString(16)
          }\r\n`,
          exact.subarray(1),
          "\r\n0\r\n\r\n",
        ),
        "/small": ok(body),
        "/length": framed(`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY + 1}\r\n\r\n`, over),
        // A 1-byte chunk, then one of 16 MiB: only their sum is over the bound.
        "/chunks": framed(
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n${MAX_BODY.toString(16)}\r\n`,
          exact,
          "\r\n0\r\n\r\n",
        ),
        "/close": framed("HTTP/1.1 200 OK\r\n\r\n", over, "", "close"),
      });
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/exact`, dns, BIG_TIMEOUT, {
            label: "fetch (16 MiB)",
            body,
            ms: BIG_MS,
          });
          expectBody(run, body, {
            en:
              "a 302 whose body is exactly 16 MiB by Content-Length, a 302 whose chunks add up to exactly 16 MiB, then a small body",
            ru:
              "302 с телом ровно в 16 МиБ по Content-Length, 302 с кусками ровно на 16 МиБ в сумме, затем маленькое тело",
          });
        },
        ...(["length", "chunks", "close"] as const).map((framing) => async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/${framing}`, dns, BIG_TIMEOUT, {
            label: `fetch (${framing})`,
            ms: BIG_MS,
          });
          expectAsked(http, `/${framing}`, run.fetch);
          const how = {
            length: { en: "by Content-Length", ru: "по Content-Length" },
            chunks: { en: "in a chunk of 1 byte and one of 16 MiB", ru: "куском в 1 байт и куском в 16 МиБ" },
            close: { en: "until close", ru: "до закрытия" },
          }[framing];
          const situation = { en: `a body of 16 MiB + 1 byte, ${how.en}`, ru: `тело в 16 МиБ + 1 байт, ${how.ru}` };
          expectNothingPrinted(run.fetch, situation);
          expectError(run, situation);
        }),
      ]);
    },
  },
  {
    id: "header-case",
    section: "hardening",
    title: {
      en:
        "header names in any case: lOcAtIoN, content-LENGTH, CONNECTION, TRANSFER-encoding work as in their usual case",
      ru:
        "имена заголовков в любом регистре: lOcAtIoN, content-LENGTH, CONNECTION, TRANSFER-encoding работают так же, как в обычном",
    },
    hint: {
      en: "Header names ignore case: lower-case them once when you parse, and look them up in lower case.",
      ru: "Регистр в именах заголовков не важен: приведите их к нижнему регистру при разборе и ищите в нижнем.",
    },
    async run(trial) {
      const body = "case did not matter\n";
      const { dns, http } = servers(trial, {
        // The server closes after /h1, as its CONNECTION header says: a client that misses the header is not left waiting.
        "/h1": send("HTTP/1.1 302 Found\r\nlOcAtIoN: /h2\r\ncontent-LENGTH: 6\r\nCONNECTION: close\r\n\r\nmoved\n", {
          then: "close",
        }),
        "/h2": `HTTP/1.1 200 OK\r\nTRANSFER-encoding: chunked\r\nCONTENT-TYPE: text/plain\r\n\r\n${
          chunks("case did ", "not matter\n")
        }`,
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/h1`, dns, [], { body });
      expectRequests(http, ["GET /h1 HTTP/1.1", "GET /h2 HTTP/1.1"], {
        en: "fetch did not follow a 302 whose header was spelt lOcAtIoN",
        ru: "fetch не прошёл по 302, где заголовок записан как lOcAtIoN",
      });
      expectBody(run, body, {
        en: "a body framed by TRANSFER-encoding: chunked",
        ru: "тело с кадрированием TRANSFER-encoding: chunked",
      });
    },
  },
  {
    id: "no-body-statuses",
    section: "hardening",
    title: {
      en:
        "a 1xx, a 204 and a 304 have no body, whatever Content-Length says: nothing is printed; exit code 0 after the 204, 1 after the others",
      ru:
        "у 1xx, 204 и 304 нет тела, что бы ни говорил Content-Length: ничего не печатается; код выхода 0 после 204, 1 после остальных",
    },
    hint: {
      en: "Decide the framing in the RFC's order: first the responses that never have a body (HEAD, 1xx, 204, 304).",
      ru: "Выбирайте кадрирование в порядке RFC: сначала ответы, у которых тела не бывает (HEAD, 1xx, 204, 304).",
    },
    async run(trial) {
      const { dns, http } = servers(trial, {
        // Ten bytes that end in CRLF: a client that takes the 100 as interim and reads on finds no status line there.
        "/100": "HTTP/1.1 100 Continue\r\nContent-Length: 10\r\n\r\nnot body\r\n",
        "/204": "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nnot a body",
        "/304": "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nnot a body",
      });
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/100`, dns, [], { label: "fetch (100)" });
          expectAsked(http, "/100", run.fetch);
          const situation = {
            en: "a 100 Continue with Content-Length: 10 and 10 stray bytes",
            ru: "100 Continue с Content-Length: 10 и 10 лишними байтами",
          };
          expectNothingPrinted(run.fetch, situation);
          expectError(run, situation);
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/204`, dns, [], { label: "fetch (204)" });
          expectAsked(http, "/204", run.fetch);
          expectBody(run, "", {
            en: "a 204 No Content with Content-Length: 10 and 10 stray bytes",
            ru: "204 No Content с Content-Length: 10 и 10 лишними байтами",
          });
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/304`, dns, [], { label: "fetch (304)" });
          expectAsked(http, "/304", run.fetch);
          expectNothingPrinted(run.fetch, {
            en: "a 304 Not Modified with Content-Length: 10 and 10 stray bytes",
            ru: "304 Not Modified с Content-Length: 10 и 10 лишними байтами",
          });
          expectError(run, { en: "a 304 is not 2xx", ru: "304 — не 2xx" });
        },
      ]);
    },
  },
  {
    id: "interim-responses",
    section: "hardening",
    title: {
      en:
        "a 100 Continue and a 103 Early Hints before the answer are interim: the 200 after them is the answer, its body printed, exit code 0",
      ru:
        "100 Continue и 103 Early Hints перед ответом — промежуточные: ответ — это 200 после них, его тело напечатано, код 0",
    },
    hint: {
      en:
        "A 1xx is not the answer (RFC 9110, 15.2): read it (it has no body), then read the next response on the same connection, until one is not 1xx.",
      ru:
        "1xx — не ответ (RFC 9110, 15.2): прочитайте его (тела у него нет), затем читайте следующий ответ по тому же соединению, пока не придёт не-1xx.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, {
        "/hints": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" +
          "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nfinal answer\n",
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/hints`, dns);
      expectAsked(http, "/hints", run.fetch);
      expectBody(run, "final answer\n", {
        en: "a 100 and a 103, then a 200 with a 13-byte body",
        ru: "100 и 103, затем 200 с телом в 13 байтов",
      });
    },
  },
  {
    id: "until-close-reconnects",
    section: "hardening",
    title: {
      en: "after a body read until close, the next request goes on a new connection",
      ru: "после тела, прочитанного до закрытия, следующий запрос идёт по новому соединению",
    },
    hint: {
      en:
        "A body with neither Content-Length nor chunks ends with the connection: that connection cannot be used again (keepAlive = false).",
      ru:
        "Тело без Content-Length и без кусков кончается вместе с соединением: это соединение больше использовать нельзя (keepAlive = false).",
    },
    async run(trial) {
      const body = "a fresh connection\n";
      const { dns, http } = servers(trial, {
        "/u1": send("HTTP/1.1 302 Found\r\nLocation: /u2\r\n\r\nmoved, and this connection ends here\n", {
          then: "close",
        }),
        "/u2": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/u1`, dns, [], { body });
      const where = http.requests.map((r) => `${r.line} (connection ${r.connection})`).join("; ");
      if (http.lines.length < 2) {
        throw new CheckFailure({
          en: "after a 302 whose body ended with the connection, fetch did not send the next request on a new one",
          ru: "после 302, тело которого кончилось вместе с соединением, fetch не отправил следующий запрос по новому",
        }, {
          expected: { en: "GET /u2 on connection 2", ru: "GET /u2 по соединению 2" },
          actual: `${where}; stderr: ${visible(run.fetch.stderr.join(" | ") || "(empty)")}`,
        });
      }
      expectBody(run, body, { en: "after a body read until close", ru: "после тела до закрытия" });
    },
  },
  {
    id: "connection-close",
    section: "hardening",
    title: {
      en:
        "after Connection: close, and after an HTTP/1.0 response without keep-alive, the next request goes on a new connection even if the server has not closed yet",
      ru:
        "после Connection: close и после ответа HTTP/1.0 без keep-alive следующий запрос идёт по новому соединению, даже если сервер его ещё не закрыл",
    },
    hint: {
      en:
        "The response's word counts, not the socket's state: HTTP/1.1 with Connection: close, or HTTP/1.0 without Connection: keep-alive, ends that connection's use.",
      ru:
        "Важно слово ответа, а не состояние сокета: HTTP/1.1 с Connection: close или HTTP/1.0 без Connection: keep-alive заканчивают использование этого соединения.",
    },
    async run(trial) {
      const body = "three connections for three requests\n";
      // Both redirects leave the connection open, so a fetch that reuses it would be heard.
      const { dns, http } = servers(trial, {
        "/c1": redirect(302, "/c2", "", "Connection: close\r\n"),
        "/c2": "HTTP/1.0 302 Found\r\nLocation: /c3\r\nContent-Length: 0\r\n\r\n",
        "/c3": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/c1`, dns, [], { body });
      expectRequests(http, ["GET /c1 HTTP/1.1", "GET /c2 HTTP/1.1", "GET /c3 HTTP/1.1"], {
        en: "fetch did not go /c1 → /c2 → /c3",
        ru: "fetch не прошёл /c1 → /c2 → /c3",
      });
      const on = http.requests.map((r) => r.connection);
      if (on[1] === on[0] || on[2] === on[1]) {
        const reused = on[1] === on[0]
          ? { en: "a response with Connection: close", ru: "ответа с Connection: close" }
          : {
            en: "an HTTP/1.0 response without Connection: keep-alive",
            ru: "ответа HTTP/1.0 без Connection: keep-alive",
          };
        throw new CheckFailure({
          en: `fetch sent its next request on the connection of ${reused.en}`,
          ru: `fetch отправил следующий запрос по соединению ${reused.ru}`,
        }, {
          expected: { en: "/c1, /c2 and /c3 on three connections", ru: "/c1, /c2 и /c3 по трём соединениям" },
          actual: http.requests.map((r) => `${r.line} (connection ${r.connection})`).join("; "),
        });
      }
      expectBody(run, body, { en: "after Connection: close and HTTP/1.0", ru: "после Connection: close и HTTP/1.0" });
    },
  },
  {
    id: "same-address-reuse",
    section: "hardening",
    title: {
      en:
        "a redirect to another name at the same address and port reuses the open connection; to another port, a new one",
      ru:
        "перенаправление на другое имя с тем же адресом и портом использует открытое соединение; на другой порт — новое",
    },
    hint: {
      en:
        "A connection goes to an address and a port, not to a name: key the pool by ADDRESS:PORT, and ask DNS for each new name.",
      ru:
        "Соединение устанавливается с адресом и портом, а не с именем: ключ пула — АДРЕС:ПОРТ, а о каждом новом имени спрашивайте DNS.",
    },
    async run(trial) {
      const body = "another port, another connection\n";
      const other = new GraderHttp({ "/s3": ok(body) }, trial.transcript);
      trial.defer(other);
      const { dns, http } = servers(trial, {
        "/s1": redirect(302, "http://beta.test:{port}/s2"),
        "/s2": redirect(302, `http://alpha.test:${other.port}/s3`),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/s1`, dns, [], { body });
      expectRequests(http, ["GET /s1 HTTP/1.1", "GET /s2 HTTP/1.1"], {
        en: "fetch did not follow the redirect from alpha.test to beta.test at the same address and port",
        ru: "fetch не прошёл по перенаправлению с alpha.test на beta.test с тем же адресом и портом",
      });
      if (http.connections !== 1) {
        throw new CheckFailure({
          en:
            `alpha.test and beta.test are both 127.0.0.1:${http.port}, and the connection was kept alive, yet fetch opened ${http.connections} connections there`,
          ru:
            `alpha.test и beta.test — оба 127.0.0.1:${http.port}, и соединение осталось открытым, а fetch открыл туда соединений: ${http.connections}`,
        }, {
          expected: { en: "/s1 and /s2 on one connection", ru: "/s1 и /s2 по одному соединению" },
          actual: http.requests.map((r) => `${r.line} (connection ${r.connection})`).join("; "),
        });
      }
      if (other.lines[0] !== "GET /s3 HTTP/1.1") {
        throw new CheckFailure({
          en: `after the redirect to port ${other.port}, fetch did not connect there`,
          ru: `после перенаправления на порт ${other.port} fetch туда не подключился`,
        }, {
          expected: `GET /s3 HTTP/1.1 (127.0.0.1:${other.port})`,
          actual: `${other.lines.join(", ") || "—"}; stderr: ${visible(run.fetch.stderr.join(" | ") || "(empty)")}`,
        });
      }
      expectBody(run, body, { en: "after a redirect to another port", ru: "после перенаправления на другой порт" });
    },
  },
  {
    id: "conflicting-framing",
    section: "hardening",
    title: {
      en:
        "a response with both Content-Length and Transfer-Encoding is refused: nothing printed, one line, exit code 1",
      ru: "ответ и с Content-Length, и с Transfer-Encoding отвергается: ничего не напечатано, одна строка, код 1",
    },
    hint: {
      en:
        "RFC 9112: a response with Transfer-Encoding and Content-Length is a smuggling risk; this client refuses it with an error, choosing neither.",
      ru:
        "RFC 9112: ответ и с Transfer-Encoding, и с Content-Length опасен (request smuggling); этот клиент отвергает его с ошибкой, не выбирая ни одно.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, {
        "/both": "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/both`, dns);
      expectAsked(http, "/both", run.fetch);
      const situation = { en: "both framings in one response", ru: "два способа кадрирования в одном ответе" };
      expectNothingPrinted(run.fetch, situation);
      expectError(run, situation);
    },
  },
  {
    id: "short-body",
    section: "hardening",
    title: {
      en: "a Content-Length body cut short, by a close and by a reset, is an error: one line, exit code 1",
      ru: "тело с Content-Length, оборванное закрытием и сбросом, — это ошибка: одна строка, код 1",
    },
    hint: {
      en:
        "When the stream ends before the bytes Content-Length or a chunk size promised, stop with an error: a short body is not the body.",
      ru:
        "Если поток кончился раньше, чем пришли байты, обещанные Content-Length или размером куска, остановитесь с ошибкой: короткое тело — не тело.",
    },
    async run(trial) {
      const cut = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nonly 14 bytes\n";
      const { dns, http } = servers(trial, {
        "/cut": send(cut, { then: "close" }),
      });
      const reset = await ResettingHttp.start(encoder.encode(cut), trial.transcript);
      trial.defer(reset);
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/cut`, dns, [], { label: "fetch (close)" });
          expectAsked(http, "/cut", run.fetch);
          expectError(run, {
            en: "Content-Length: 40, and the server closed after 14 bytes",
            ru: "Content-Length: 40, а сервер закрыл соединение после 14 байтов",
          });
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${reset.port}/cut`, dns, [], { label: "fetch (reset)" });
          if (reset.lines.length === 0) expectAsked(http, "/cut (on the resetting server)", run.fetch);
          expectError(run, {
            en: "Content-Length: 40, and the server reset the connection after 14 bytes",
            ru: "Content-Length: 40, а сервер сбросил соединение после 14 байтов",
          });
        },
      ]);
    },
  },
  {
    id: "line-limit",
    section: "hardening",
    title: {
      en:
        "a header line of exactly 8,192 bytes (UTF-8, CRLF not counted) is taken; one of 8,193 is refused: one line, exit code 1",
      ru:
        "строка заголовка ровно в 8 192 байта (UTF-8, без CRLF) принимается; в 8 193 байта — отвергается: одна строка, код 1",
    },
    hint: {
      en:
        "Count bytes, not characters, and do not count the line's CRLF: 8,192 bytes is the longest line allowed, 8,193 is one too many.",
      ru:
        "Считайте байты, а не символы, и не считайте CRLF строки: 8 192 байта — самая длинная допустимая строка, 8 193 — на байт больше.",
    },
    async run(trial) {
      // "X-Long: " is 8 bytes, each "я" 2: 8 + 2 × 4,092 = 8,192 bytes in 4,100 characters.
      const exact = "X-Long: " + "я".repeat(4092);
      const body = "a long line, within the bound\n";
      const { dns, http } = servers(trial, {
        "/exact": `HTTP/1.1 200 OK\r\n${exact}\r\nContent-Length: ${byteLength(body)}\r\n\r\n${body}`,
        "/over": `HTTP/1.1 200 OK\r\n${exact}y\r\nContent-Length: ${byteLength(body)}\r\n\r\n${body}`,
      });
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/exact`, dns, [], {
            label: "fetch (8,192)",
            body,
          });
          expectBody(run, body, {
            en: "a header line of exactly 8,192 bytes",
            ru: "строка заголовка ровно в 8 192 байта",
          });
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/over`, dns, [], { label: "fetch (8,193)" });
          expectAsked(http, "/over", run.fetch);
          const situation = { en: "a header line of 8,193 bytes", ru: "строка заголовка в 8 193 байта" };
          expectNothingPrinted(run.fetch, situation);
          expectError(run, situation);
        },
      ]);
    },
  },
  {
    id: "huge-header",
    section: "hardening",
    title: {
      en:
        "a header line that never ends is refused once it passes the bound, long before --timeout: one line, exit code 1",
      ru:
        "строка заголовка, которая никогда не кончается, отвергается, как только превысит предел, задолго до --timeout: одна строка, код 1",
    },
    hint: {
      en: "Bound the bytes you keep while looking for the end of a line, and fail as soon as the bound is passed.",
      ru:
        "Ограничьте число байтов, которые вы держите в поисках конца строки, и завершайтесь ошибкой, как только предел превышен.",
    },
    async run(trial) {
      const sent = { bytes: 0 };
      const { dns, http } = servers(trial, { "/endless": endlessLine(sent) });
      const fetch = trial.start("fetch", [
        "fetch",
        `http://alpha.test:${http.port}/endless`,
        "--dns",
        dns.address,
        "--timeout",
        "30000",
      ]);
      const status = await fetch.exitWithin(RUN_MS);
      if (!status) {
        throw new CheckFailure({
          en: `fetch was still reading a header line with no end after ${RUN_MS / 1000} s (${
            Math.round(sent.bytes / 1048576)
          } MiB sent): it keeps the line growing without a bound`,
          ru: `fetch всё ещё читал бесконечную строку заголовка через ${RUN_MS / 1000} с (отправлено ${
            Math.round(sent.bytes / 1048576)
          } МиБ): он копит строку без предела`,
        }, {
          expected: {
            en: "an error once the line passes 8,192 bytes",
            ru: "ошибка, как только строка превысит 8 192 байта",
          },
          actual: { en: "still running (its --timeout is 30 s)", ru: "всё ещё работает (его --timeout — 30 с)" },
        });
      }
      expectAsked(http, "/endless", fetch);
      expectError({ fetch, status }, { en: "a header line with no end", ru: "строка заголовка без конца" });
    },
  },
  {
    id: "head-limit",
    section: "hardening",
    title: {
      en:
        "a response head of exactly 65,536 bytes (status line to the empty line, CRLFs included) is taken; 65,537 is refused",
      ru:
        "заголовочная часть ответа ровно в 65 536 байтов (от строки состояния до пустой строки, с CRLF) принимается; 65 537 — отвергается",
    },
    hint: {
      en:
        "Add up the bytes of the status line and every header line with their CRLFs, and the empty line; past 65,536, stop with an error.",
      ru:
        "Складывайте байты строки состояния и каждой строки заголовка вместе с их CRLF, и пустой строки; больше 65 536 — остановитесь с ошибкой.",
    },
    async run(trial) {
      const body = "head\n";
      const { dns, http } = servers(trial, {
        "/exact": headOfSize(MAX_HEAD, body),
        "/over": headOfSize(MAX_HEAD + 1, body),
      });
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/exact`, dns, [], {
            label: "fetch (65,536)",
            body,
          });
          expectBody(run, body, {
            en: "a head of exactly 65,536 bytes",
            ru: "заголовочная часть ровно в 65 536 байтов",
          });
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/over`, dns, [], {
            label: "fetch (65,537)",
          });
          expectAsked(http, "/over", run.fetch);
          const situation = { en: "a head of 65,537 bytes", ru: "заголовочная часть в 65 537 байтов" };
          expectNothingPrinted(run.fetch, situation);
          expectError(run, situation);
        },
      ]);
    },
  },
];
