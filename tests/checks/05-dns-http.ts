/**
 * Lesson 5's checks: the learner's `fetch` against the grader's own DNS and
 * HTTP servers, with names (`alpha.test`, `beta.test`), ports and paths the
 * learner has not seen. Every check runs `fetch` as a process and looks at
 * both sides: what the servers were asked, and what the program printed.
 *
 * @module
 */
import type { Check, Lesson, Trial, Variant } from "../harness/check.ts";
import { CheckFailure } from "../harness/failure.ts";
import type { Bilingual } from "../harness/text.ts";
import { firstDifference, visible } from "../harness/bytes.ts";
import type { LearnerProcess } from "../harness/process.ts";
import { closedPort } from "../harness/socket.ts";
import { assertCleanError } from "../harness/programs.ts";
import { dribble, GraderDns, GraderHttp, type Route } from "../harness/web.ts";

const ZONE = { "alpha.test": "127.0.0.1", "beta.test": "127.0.0.1" };

/** A 200 response with `body`, framed by Content-Length. */
function ok(body: string, extra = ""): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${
    new TextEncoder().encode(body).length
  }\r\n${extra}\r\n${body}`;
}

/** Starts the grader's servers and the learner's `fetch URL`; waits for it to end. */
async function fetchWith(
  trial: Trial,
  routes: Record<string, Route>,
  path: (port: number) => string,
  ms = 8000,
): Promise<{ fetch: LearnerProcess; status: Deno.CommandStatus; dns: GraderDns; http: GraderHttp }> {
  const dns = new GraderDns(ZONE, trial.transcript);
  trial.defer(dns);
  const http = new GraderHttp(routes, trial.transcript);
  trial.defer(http);
  const fetch = trial.start("fetch", ["fetch", "--url", path(http.port), "--dns", `127.0.0.1:${dns.port}`]);
  const status = await fetch.exitWithin(ms);
  if (!status) {
    const last = fetch.stdout.slice(-2).join("\n");
    throw new CheckFailure({
      en: `fetch was still running after ${ms / 1000} s`,
      ru: `fetch всё ещё работал через ${ms / 1000} с`,
    }, {
      expected: {
        en: "an answer printed, or one line of error, and an exit",
        ru: "выведенный ответ или одна строка ошибки, затем завершение",
      },
      actual: {
        en: `last output: ${visible(last || "(none)")}`,
        ru: `последний вывод: ${visible(last || "(ничего)")}`,
      },
    });
  }
  return { fetch, status, dns, http };
}

/** Fails unless `fetch` exited 0 and printed exactly `body`. */
function expectBody(fetch: LearnerProcess, status: Deno.CommandStatus, body: string, situation: Bilingual): void {
  const printed = fetch.stdout.filter((line) => !/^[<>*]( |$)/.test(line)).join("\n");
  const want = body.replace(/\n$/, "");
  if (status.code !== 0 || printed !== want) {
    const actual = (nothing: string, lang: "en" | "ru" = "en") =>
      `${visible(printed || nothing)}${printed ? `; ${firstDifference(want, printed, lang)}` : ""}${
        fetch.stderr.length ? `; stderr: ${fetch.stderr.join(" | ")}` : ""
      }`;
    throw new CheckFailure(
      status.code !== 0
        ? {
          en: `fetch exited with code ${status.code} (${situation.en})`,
          ru: `fetch завершился с кодом ${status.code} (${situation.ru})`,
        }
        : {
          en: `fetch printed something else than the body (${situation.en})`,
          ru: `fetch напечатал не тело ответа, а что-то другое (${situation.ru})`,
        },
      {
        expected: visible(want),
        actual: { en: actual("(nothing)"), ru: actual("(ничего)", "ru") },
      },
    );
  }
}

/** Fails unless `fetch` ended with a one-line error that matches `says`. */
function expectError(fetch: LearnerProcess, status: Deno.CommandStatus, says: RegExp, situation: Bilingual): void {
  assertCleanError(fetch, status, situation);
  const said = fetch.stderr.join(" ");
  if (!says.test(said)) {
    throw new CheckFailure({
      en: `fetch's error does not say what went wrong (${situation.en})`,
      ru: `по ошибке fetch не понять, что пошло не так (${situation.ru})`,
    }, {
      expected: { en: `a line matching ${says}`, ru: `строка, подходящая под ${says}` },
      actual: visible(said),
    });
  }
}

const checks: Check[] = [
  {
    id: "asks-dns",
    title: {
      en: "fetch asks the given DNS server for the host's address, then connects there",
      ru: "fetch спрашивает адрес хоста у заданного DNS-сервера и подключается по этому адресу",
    },
    hint: {
      en: 'Deno.resolveDns(host, "A", { nameServer }) with the --dns address; connect to the address it gives.',
      ru: 'Deno.resolveDns(host, "A", { nameServer }) с адресом из --dns; подключайтесь к полученному адресу.',
    },
    async run(trial) {
      const { fetch, status, dns, http } = await fetchWith(
        trial,
        { "/hello": ok("hello from the grader\n") },
        (port) => `http://alpha.test:${port}/hello`,
      );
      if (!dns.asked.includes("alpha.test A")) {
        throw new CheckFailure({
          en: "fetch did not ask the DNS server for alpha.test",
          ru: "fetch не спросил DNS-сервер про alpha.test",
        }, {
          expected: {
            en: 'a question "alpha.test A" to the --dns server',
            ru: 'вопрос "alpha.test A" к серверу из --dns',
          },
          actual: dns.asked.length ? dns.asked.join(", ") : { en: "no question at all", ru: "ни одного вопроса" },
        });
      }
      if (http.requests.length === 0) {
        const said = [...fetch.stdout, ...fetch.stderr].join("\n");
        throw new CheckFailure({
          en: "fetch sent no request to the address DNS gave",
          ru: "fetch не отправил запрос по адресу, который дал DNS",
        }, {
          expected: {
            en: `a connection to 127.0.0.1:${http.port} and "GET /hello HTTP/1.1"`,
            ru: `соединение с 127.0.0.1:${http.port} и "GET /hello HTTP/1.1"`,
          },
          actual: {
            en: `no request; fetch said: ${visible(said || "(nothing)")}`,
            ru: `запроса нет; fetch напечатал: ${visible(said || "(ничего)")}`,
          },
        });
      }
      expectBody(fetch, status, "hello from the grader\n", {
        en: "a 200 with Content-Length",
        ru: "ответ 200 с Content-Length",
      });
    },
  },
  {
    id: "request-format",
    title: {
      en: "the request is well formed: request line, Host with the port, CRLF, empty line",
      ru: "запрос составлен правильно: строка запроса, Host с портом, CRLF, пустая строка",
    },
    hint: {
      en:
        "GET PATH?QUERY HTTP/1.1, then Host: NAME:PORT, User-Agent, Accept, each line ending in \\r\\n, then an empty line.",
      ru:
        "GET ПУТЬ?ЗАПРОС HTTP/1.1, затем Host: ИМЯ:ПОРТ, User-Agent, Accept, каждая строка с \\r\\n в конце, затем пустая строка.",
    },
    async run(trial) {
      const { fetch, http } = await fetchWith(
        trial,
        { "/q": ok("fine\n") },
        (port) => `http://alpha.test:${port}/q?x=1&y=two`,
      );
      const request = http.requests[0];
      if (!request) {
        const said = [...fetch.stdout, ...fetch.stderr].join("\n");
        throw new CheckFailure({
          en: "the grader's HTTP server got no request",
          ru: "HTTP-сервер проверки не получил ни одного запроса",
        }, {
          expected: {
            en: '"GET /q?x=1&y=two HTTP/1.1" and its headers',
            ru: '"GET /q?x=1&y=two HTTP/1.1" и его заголовки',
          },
          actual: {
            en: `nothing; fetch said: ${visible(said || "(nothing)")}`,
            ru: `ничего; fetch напечатал: ${visible(said || "(ничего)")}`,
          },
        });
      }
      const problems: Bilingual[] = [];
      if (request.line !== "GET /q?x=1&y=two HTTP/1.1") {
        problems.push({ en: `request line ${visible(request.line)}`, ru: `строка запроса ${visible(request.line)}` });
      }
      if (request.headers.get("host") !== `alpha.test:${http.port}`) {
        const host = request.headers.get("host");
        problems.push({ en: `Host ${visible(host ?? "(missing)")}`, ru: `Host ${visible(host ?? "(нет)")}` });
      }
      if (!request.head.endsWith("\r\n\r\n") || /[^\r]\n/.test(request.head)) {
        problems.push({ en: "lines not ending in \\r\\n", ru: "строки не заканчиваются на \\r\\n" });
      }
      if (!request.headers.has("user-agent")) problems.push({ en: "no User-Agent", ru: "нет User-Agent" });
      if (problems.length > 0) {
        throw new CheckFailure({
          en: `the request is not well formed: ${problems.map((p) => p.en).join("; ")}`,
          ru: `запрос составлен неправильно: ${problems.map((p) => p.ru).join("; ")}`,
        }, {
          expected: visible(`GET /q?x=1&y=two HTTP/1.1\r\nHost: alpha.test:${http.port}\r\nUser-Agent: …\r\n…\r\n\r\n`),
          actual: visible(request.head),
        });
      }
    },
  },
  {
    id: "redirects",
    title: {
      en: "fetch follows a relative 302 and an absolute 301 to another host, and prints the final body",
      ru: "fetch следует относительному 302 и абсолютному 301 на другой хост и печатает итоговое тело",
    },
    hint: {
      en:
        "On 301/302/303/307/308, resolve Location against the current URL (new URL(location, url)) and fetch that, asking DNS again for a new host.",
      ru:
        "На 301/302/303/307/308 разрешите Location относительно текущего URL (new URL(location, url)) и запросите его, снова спросив DNS для нового хоста.",
    },
    async run(trial) {
      const { fetch, status, dns, http } = await fetchWith(trial, {
        "/start": "HTTP/1.1 302 Found\r\nLocation: /hop\r\nContent-Length: 0\r\n\r\n",
        "/hop":
          "HTTP/1.1 301 Moved Permanently\r\nLocation: http://beta.test:{port}/final\r\nContent-Length: 0\r\n\r\n",
        "/final": ok("you made it: два перехода\n"),
      }, (port) => `http://alpha.test:${port}/start`);
      const lines = http.requests.map((r) => r.line);
      if (!lines.includes("GET /final HTTP/1.1")) {
        throw new CheckFailure({
          en: "fetch did not follow the redirects to /final",
          ru: "fetch не дошёл по перенаправлениям до /final",
        }, {
          expected: "GET /start, GET /hop, GET /final",
          actual: lines.join(", ") || { en: "no request", ru: "ни одного запроса" },
        });
      }
      const final = http.requests.find((r) => r.line === "GET /final HTTP/1.1")!;
      if (final.headers.get("host") !== `beta.test:${http.port}` || !dns.asked.includes("beta.test A")) {
        throw new CheckFailure(
          {
            en: "after the redirect to beta.test, fetch did not ask DNS for it and send Host: beta.test",
            ru: "после перенаправления на beta.test fetch не спросил о нём DNS или не отправил Host: beta.test",
          },
          {
            actual: {
              en: `DNS asked: ${dns.asked.join(", ")}; Host: ${final.headers.get("host")}`,
              ru: `вопросы к DNS: ${dns.asked.join(", ")}; Host: ${final.headers.get("host")}`,
            },
          },
        );
      }
      expectBody(fetch, status, "you made it: два перехода\n", {
        en: "after two redirects",
        ru: "после двух перенаправлений",
      });
    },
  },
  {
    id: "dribbled-body",
    title: {
      en: "a Content-Length body that arrives in pieces is read to its last byte",
      ru: "тело с Content-Length, которое приходит по частям, прочитано до последнего байта",
    },
    hint: {
      en: "Content-Length says how many bytes follow the empty line: read until you have that many, not once.",
      ru:
        "Content-Length говорит, сколько байтов идёт после пустой строки: читайте, пока не наберёте столько, а не один раз.",
    },
    async run(trial) {
      const body = "a body sent in pieces, with a pause between each\n";
      const { fetch, status } = await fetchWith(trial, {
        "/slow": (conn) => dribble(conn, ok(body, "Connection: close\r\n"), 7, 30),
      }, (port) => `http://alpha.test:${port}/slow`);
      expectBody(fetch, status, body, {
        en: "the response came 7 bytes at a time",
        ru: "ответ приходил по 7 байтов",
      });
    },
  },
  {
    id: "chunked",
    title: {
      en: "a chunked body (sizes in hex, an extension, a trailer) is put together exactly",
      ru: "тело кусками (размеры в hex, расширение, трейлер) собирается точно",
    },
    hint: {
      en:
        "Transfer-Encoding: chunked: read SIZE (hex) CRLF, SIZE bytes, CRLF, again; a 0 chunk ends it, then trailers and an empty line.",
      ru:
        "Transfer-Encoding: chunked: читайте РАЗМЕР (hex) CRLF, РАЗМЕР байтов, CRLF, снова; нулевой кусок — конец, затем трейлеры и пустая строка.",
    },
    async run(trial) {
      const raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n" +
        "6\r\nchunks\r\n1;ext=1\r\n \r\nc\r\nare fine \xe2\x9c\x93\r\n0\r\nX-Trailer: yes\r\n\r\n";
      const { fetch, status } = await fetchWith(trial, {
        "/chunks": (conn) => dribble(conn, decodeLatin1(raw), 5, 20),
      }, (port) => `http://alpha.test:${port}/chunks`);
      expectBody(fetch, status, "chunks are fine ✓\n".replace("\n", ""), {
        en: "a chunked response, 5 bytes at a time",
        ru: "ответ кусками, по 5 байтов за раз",
      });
    },
  },
  {
    id: "until-close",
    title: {
      en: "a body with neither length nor chunks ends when the server closes",
      ru: "тело без длины и без кусков заканчивается, когда сервер закрывает соединение",
    },
    hint: {
      en: "No Content-Length and no Transfer-Encoding: the body is everything until the connection closes.",
      ru: "Нет ни Content-Length, ни Transfer-Encoding: тело — всё, что придёт до закрытия соединения.",
    },
    async run(trial) {
      const body = "the end of this body is the end of the connection\n";
      const { fetch, status } = await fetchWith(trial, {
        "/stream": (conn) => dribble(conn, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n${body}`, 16, 20),
      }, (port) => `http://alpha.test:${port}/stream`);
      expectBody(fetch, status, body, {
        en: "the body ended with the connection",
        ru: "тело закончилось вместе с соединением",
      });
    },
  },
  {
    id: "keep-alive",
    title: {
      en: "a kept-alive connection is reused for the next request to the same server",
      ru: "соединение, оставленное открытым (keep-alive), используется для следующего запроса к тому же серверу",
    },
    hint: {
      en: "HTTP/1.1 keeps the connection open unless told 'Connection: close': send the next request on it.",
      ru:
        "HTTP/1.1 оставляет соединение открытым, если не сказано 'Connection: close': отправьте следующий запрос по нему же.",
    },
    async run(trial) {
      const { fetch, status, http } = await fetchWith(trial, {
        "/one": "HTTP/1.1 302 Found\r\nLocation: /two\r\nContent-Length: 0\r\n\r\n",
        "/two": ok("two requests, one connection\n"),
      }, (port) => `http://alpha.test:${port}/one`);
      expectBody(fetch, status, "two requests, one connection\n", {
        en: "after a redirect on a kept-alive connection",
        ru: "после перенаправления по соединению, оставленному открытым",
      });
      if (http.connections !== 1) {
        throw new CheckFailure(
          {
            en: `fetch opened ${http.connections} connections for 2 requests to a server that kept the first open`,
            ru:
              `на 2 запроса к серверу, который оставил первое соединение открытым, fetch открыл соединений: ${http.connections}`,
          },
          {
            expected: { en: "1 connection, 2 requests on it", ru: "1 соединение и 2 запроса по нему" },
            actual: {
              en: http.requests.map((r) => `${r.line} on connection ${r.connection}`).join("; "),
              ru: http.requests.map((r) => `${r.line} по соединению ${r.connection}`).join("; "),
            },
          },
        );
      }
    },
  },
  {
    id: "redirect-loop",
    title: {
      en: "a redirect loop ends with a clear error, not forever",
      ru: "петля перенаправлений заканчивается понятной ошибкой, а не длится вечно",
    },
    hint: {
      en:
        "Count the redirects (--max-redirects) and remember the URLs you have been to; stop with an error either way.",
      ru:
        "Считайте перенаправления (--max-redirects) и запоминайте пройденные URL; в обоих случаях остановитесь с ошибкой.",
    },
    async run(trial) {
      const { fetch, status } = await fetchWith(
        trial,
        {
          "/a": "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
          "/b": "HTTP/1.1 302 Found\r\nLocation: /a\r\nContent-Length: 0\r\n\r\n",
        },
        (port) => `http://alpha.test:${port}/a`,
        5000,
      );
      expectError(fetch, status, /redirect/i, {
        en: "/a redirects to /b and /b to /a",
        ru: "/a перенаправляет на /b, а /b — на /a",
      });
    },
  },
  {
    id: "nxdomain",
    title: {
      en: "a name DNS does not know ends in one clear line and a non-zero code",
      ru: "имя, которого DNS не знает, даёт одну понятную строку и ненулевой код возврата",
    },
    hint: {
      en: "Deno.resolveDns rejects (NotFound) for a name the server does not know: say which name, in one line.",
      ru: "Deno.resolveDns отклоняется (NotFound) для неизвестного имени: назовите это имя, одной строкой.",
    },
    async run(trial) {
      const { fetch, status } = await fetchWith(trial, {}, (port) => `http://nowhere.test:${port}/`);
      expectError(fetch, status, /nowhere\.test/, {
        en: "nowhere.test is not in the DNS server's zone",
        ru: "nowhere.test нет в зоне DNS-сервера",
      });
    },
  },
  {
    id: "refused",
    title: {
      en: "a refused connection ends in one clear line and a non-zero code",
      ru: "отказ в соединении даёт одну понятную строку и ненулевой код возврата",
    },
    covers: "given",
    hint: {
      en: "Let Deno.connect's ConnectionRefused reach main.ts, which prints one line.",
      ru: "Пусть ConnectionRefused из Deno.connect дойдёт до main.ts, который напечатает одну строку.",
    },
    async run(trial) {
      const port = closedPort();
      const fetch = trial.start("fetch", ["fetch", "--url", `http://127.0.0.1:${port}/`]);
      const status = await fetch.exitWithin(8000);
      if (!status) {
        const stderr = fetch.stderr.join("\n");
        throw new CheckFailure({
          en: "fetch was still running 8 s after a refused connection",
          ru: "fetch всё ещё работал через 8 с после отказа в соединении",
        }, {
          expected: {
            en: "one line on stderr saying the connection was refused, and a non-zero exit",
            ru: "одна строка в stderr о том, что в соединении отказано, и ненулевой код возврата",
          },
          actual: {
            en: `still running; stderr: ${visible(stderr || "(empty)")}`,
            ru: `всё ещё работает; stderr: ${visible(stderr || "(пусто)")}`,
          },
        });
      }
      expectError(fetch, status, /refused/i, {
        en: `nothing listens on port ${port}`,
        ru: `порт ${port} никто не слушает`,
      });
    },
  },
  {
    id: "conflicting-framing",
    title: {
      en: "a response with both Content-Length and chunked framing is refused",
      ru: "ответ, где есть и Content-Length, и кадрирование кусками, отвергается",
    },
    hint: {
      en:
        "RFC 9112: a response with Transfer-Encoding and Content-Length is a smuggling risk; refuse it with an error.",
      ru:
        "RFC 9112: ответ и с Transfer-Encoding, и с Content-Length опасен (request smuggling); отклоните его с ошибкой.",
    },
    async run(trial) {
      const { fetch, status } = await fetchWith(trial, {
        "/both": "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      }, (port) => `http://alpha.test:${port}/both`);
      expectError(fetch, status, /content-length|transfer-encoding|framing/i, {
        en: "both framings in one response",
        ru: "два способа кадрирования в одном ответе",
      });
    },
  },
  {
    id: "huge-header",
    title: {
      en: "a 1 MiB header line is refused, not buffered",
      ru: "строка заголовка в 1 МиБ отвергается, а не копится в буфере",
    },
    hint: {
      en: "Bound the bytes you keep while looking for the end of a header line, and fail past the bound.",
      ru:
        "Ограничьте число байтов, которые вы держите в поисках конца строки заголовка, и завершайтесь ошибкой сверх лимита.",
    },
    async run(trial) {
      const { fetch, status } = await fetchWith(trial, {
        "/big": (conn) =>
          dribble(
            conn,
            `HTTP/1.1 200 OK\r\nX-Big: ${"y".repeat(1024 * 1024)}\r\nContent-Length: 2\r\n\r\nhi`,
            64 * 1024,
            1,
          ),
      }, (port) => `http://alpha.test:${port}/big`);
      expectError(fetch, status, /header|long|large|limit/i, {
        en: "the server sent a 1 MiB header line",
        ru: "сервер прислал строку заголовка в 1 МиБ",
      });
    },
  },
];

/** Latin-1 bytes as a string whose UTF-8 encoding gives them back: the test's raw response has UTF-8 inside. */
function decodeLatin1(text: string): string {
  return new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

/** Known mistakes, each patched into a copy of the reference; the named check must catch it. */
const variants: Variant[] = [
  {
    id: "hard-coded-address",
    mistake: "fetch connects to 127.0.0.1 without asking DNS",
    file: "fetch.ts",
    patch: [[
      '  const literal = host.startsWith("[") ? host.slice(1, -1) : host;',
      '  return "127.0.0.1";\n  const literal = host.startsWith("[") ? host.slice(1, -1) : host;',
    ]],
    rejectedBy: "asks-dns",
    message: /did not ask the DNS server for alpha\.test/,
  },
  {
    id: "no-host",
    mistake: "the request has no Host header",
    file: "fetch.ts",
    patch: [["    `Host: ${url.host}`,\n", ""]],
    rejectedBy: "request-format",
    message: /Host "\(missing\)"/,
  },
  {
    id: "stops-at-302",
    mistake: "fetch prints the 302 and stops",
    file: "fetch.ts",
    patch: [[
      "      if ([301, 302, 303, 307, 308].includes(response.status) && location !== undefined) {",
      "      if (false) {",
    ]],
    rejectedBy: "redirects",
    message: /did not follow the redirects to \/final/,
  },
  {
    id: "reads-body-once",
    mistake: "fetch reads the body once and takes what came as all of it",
    file: "fetch.ts",
    patch: [["    while (this.#buffer.length < count) {", "    if (this.#buffer.length < count) {"], [
      "    return this.#take(count);\n  }\n\n  /** A chunked body",
      "    return this.#take(Math.min(count, this.#buffer.length));\n  }\n\n  /** A chunked body",
    ]],
    rejectedBy: "dribbled-body",
    message: /printed something else than the body/,
  },
  {
    id: "redirects-forever",
    mistake: "fetch follows redirects without a limit",
    file: "fetch.ts",
    patch: [
      ["        if (redirects >= options.maxRedirects) {", "        if (false) {"],
      ["        if (seen.includes(next.href)) throw", "        if (false) throw"],
    ],
    rejectedBy: "redirect-loop",
    message: /still running after 5 s/,
  },
];

/** Lesson 5 as the grader knows it. */
export const lesson: Lesson = {
  number: 5,
  slug: "05-dns-http",
  title: { en: "DNS, then HTTP/1.1 by hand", ru: "DNS, затем HTTP/1.1 вручную" },
  checks,
  variants,
  given: ["main.ts", "dns.ts", "http.ts"],
  server: "http-server",
  demo: [
    /^\[dns\] query from .*: site\.loc A: 127\.0\.0\.1$/m,
    /^\[fetch\] < HTTP\/1\.1 302 Found$/m,
    /^\[fetch\] <\/ul>$/m,
  ],
};
