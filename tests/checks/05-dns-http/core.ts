/**
 * Lesson 5's core checks: the learner's `fetch` against the grader's own DNS
 * and HTTP servers, in the order a learner meets the steps: DNS, the request,
 * the three framings, redirects and their rules, and the errors the text
 * names. Every check runs `fetch` as a process and looks at both sides: what
 * the servers were asked, and what the program printed.
 *
 * @module
 */
import type { Check, Trial } from "../../harness/check.ts";
import { CheckFailure, CheckSkipped } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { visible } from "../../harness/bytes.ts";
import { closedPort, hasIpv6Loopback } from "../../harness/socket.ts";
import { GraderDns, GraderHttp, never, type Route, type SeenRequest, send } from "../../harness/web.ts";
import {
  byteLength,
  encoder,
  expectAsked,
  expectBody,
  expectError,
  expectQuestion,
  expectRequests,
  ok,
  printed,
  redirect,
  type Run,
  RUN_MS,
  runFetch,
  servers,
  together,
  ZONE,
} from "./support.ts";

/** Fails unless `request` is `method path` with exactly `body` (no body: none, and no Content-Length above 0). */
function expectMethod(request: SeenRequest | undefined, method: string, path: string, body: string, after: Bilingual) {
  const problems: string[] = [];
  const line = request?.line ?? "(no request)";
  if (line !== `${method} ${path} HTTP/1.1`) problems.push(visible(line));
  const got = new TextDecoder().decode(request?.body ?? new Uint8Array(0));
  if (request && got !== body) problems.push(`body ${visible(got || "(none)")}`);
  if (request && body === "" && (request.headers.get("content-length") ?? "0") !== "0") {
    problems.push(`Content-Length: ${request.headers.get("content-length")}`);
  }
  if (request && body !== "" && request.headers.get("content-length") !== String(byteLength(body))) {
    problems.push(`Content-Length: ${request.headers.get("content-length") ?? "(none)"}`);
  }
  if (problems.length === 0) return;
  throw new CheckFailure({
    en: `${after.en}, fetch sent ${problems.join(", ")}`,
    ru: `${after.ru} fetch отправил ${problems.join(", ")}`,
  }, {
    expected: body
      ? `${method} ${path} HTTP/1.1, Content-Length: ${byteLength(body)}, ${visible(body)}`
      : { en: `${method} ${path} HTTP/1.1, no body`, ru: `${method} ${path} HTTP/1.1, без тела` },
    actual: request ? visible(request.head + new TextDecoder().decode(request.body)) : line,
  });
}

/** How long fetch --timeout 500 may still wait once its DNS question has arrived: six times its deadline. */
const DNS_GRACE_MS = 3000;

/**
 * Runs `fetch URL --dns DNS --timeout 500` until `dns` has been asked
 * `question`, then gives it {@linkcode DNS_GRACE_MS} to end: a question
 * without a deadline, or with one of its own that is not --timeout, is still
 * waiting then.
 */
async function fetchAfterQuestion(
  trial: Trial,
  url: string,
  dns: GraderDns,
  question: string,
  label: string,
): Promise<Run> {
  const fetch = trial.start(label, ["fetch", url, "--dns", dns.address, "--timeout", "500"]);
  const until = performance.now() + RUN_MS;
  let status: Deno.CommandStatus | undefined;
  while (!status && !dns.asked.includes(question) && performance.now() < until) status = await fetch.exitWithin(20);
  if (!status && dns.asked.includes(question)) status = await fetch.exitWithin(DNS_GRACE_MS);
  if (!status && dns.asked.includes(question)) {
    throw new CheckFailure({
      en: `${fetch.label} asked ${dns.address} "${question}" and was still waiting ${
        DNS_GRACE_MS / 1000
      } s later, with --timeout 500: that question has no deadline, or not the one --timeout gives`,
      ru: `${fetch.label} задал ${dns.address} вопрос "${question}" и всё ещё ждал через ${
        DNS_GRACE_MS / 1000
      } с, при --timeout 500: у этого вопроса нет крайнего срока или он не тот, что задаёт --timeout`,
    }, {
      expected: {
        en: "one line of error about 0.5 s after the question",
        ru: "одна строка ошибки примерно через 0,5 с после вопроса",
      },
      actual: {
        en: `still running; stderr: ${visible(fetch.stderr.join(" | ") || "(empty)")}`,
        ru: `всё ещё работает; stderr: ${visible(fetch.stderr.join(" | ") || "(пусто)")}`,
      },
    });
  }
  // A fetch that gave up before its question went out (a deadline of --timeout 500 on a busy machine) is judged by its line.
  if (!status) {
    throw new CheckFailure({
      en: `${fetch.label} was still running after ${RUN_MS / 1000} s (its --timeout was 500 ms)`,
      ru: `${fetch.label} всё ещё работал через ${RUN_MS / 1000} с (его --timeout был 500 мс)`,
    }, {
      expected: { en: "one line of error, and an exit", ru: "одна строка ошибки, затем завершение" },
      actual: { en: "still running", ru: "всё ещё работает" },
    });
  }
  return { fetch, status };
}

export const core: Check[] = [
  {
    id: "asks-dns",
    title: {
      en: "fetch asks the --dns server for the host's address, connects there, and prints the body and nothing else",
      ru: "fetch спрашивает адрес хоста у сервера из --dns, подключается туда и печатает тело, и ничего больше",
    },
    hint: {
      en:
        'Deno.resolveDns(host, "A", { nameServer }) with the --dns address; connect to the address it gives; without -v print only the body.',
      ru:
        'Deno.resolveDns(host, "A", { nameServer }) с адресом из --dns; подключайтесь к полученному адресу; без -v печатайте только тело.',
    },
    async run(trial) {
      const body = "hello from the grader\nи вторая строка\n";
      const { dns, http } = servers(trial, { "/hello": ok(body) });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/hello`, dns, [], { body });
      await expectQuestion(dns, "alpha.test A", run.fetch);
      expectAsked(http, "/hello", run.fetch);
      expectBody(run, body, { en: "a 200 with Content-Length", ru: "ответ 200 с Content-Length" });
    },
  },
  {
    id: "request-format",
    title: {
      en:
        "the request is well formed: request line with the query, Host with the port, User-Agent, Accept, Connection: keep-alive, CRLF, an empty line, no body",
      ru:
        "запрос составлен правильно: строка запроса с параметрами, Host с портом, User-Agent, Accept, Connection: keep-alive, CRLF, пустая строка, без тела",
    },
    hint: {
      en:
        "GET PATH?QUERY HTTP/1.1, then Host: NAME:PORT (url.host), User-Agent, Accept, Connection: keep-alive, each line ending in \\r\\n, then an empty line and nothing more for a GET.",
      ru:
        "GET ПУТЬ?ЗАПРОС HTTP/1.1, затем Host: ИМЯ:ПОРТ (url.host), User-Agent, Accept, Connection: keep-alive, каждая строка с \\r\\n в конце, затем пустая строка и больше ничего для GET.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, { "/q": ok("fine\n") });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/q?x=1&y=two`, dns, [], { body: "fine\n" });
      expectAsked(http, "/q", run.fetch);
      await http.settled();
      const request = http.requests[0];
      const problems: Bilingual[] = [];
      if (request.line !== "GET /q?x=1&y=two HTTP/1.1") {
        problems.push({ en: `request line ${visible(request.line)}`, ru: `строка запроса ${visible(request.line)}` });
      }
      const host = request.headers.get("host");
      if (host !== `alpha.test:${http.port}`) {
        problems.push({ en: `Host ${visible(host ?? "(missing)")}`, ru: `Host ${visible(host ?? "(нет)")}` });
      }
      if (!request.head.endsWith("\r\n\r\n") || /(^|[^\r])\n/.test(request.head)) {
        problems.push({ en: "lines not ending in \\r\\n", ru: "строки не заканчиваются на \\r\\n" });
      }
      const lines = request.head.split("\r\n").slice(1, -2);
      const odd = lines.find((line) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*\S/.test(line));
      if (odd !== undefined) {
        problems.push({
          en: `a header line not "Name: value": ${visible(odd)}`,
          ru: `строка заголовка не вида "Name: value": ${visible(odd)}`,
        });
      }
      for (const name of ["User-Agent", "Accept"]) {
        if (!request.headers.get(name.toLowerCase())) problems.push({ en: `no ${name}`, ru: `нет ${name}` });
      }
      if (!/(^|,)\s*keep-alive\s*(,|$)/i.test(request.headers.get("connection") ?? "")) {
        problems.push({ en: "no Connection: keep-alive", ru: "нет Connection: keep-alive" });
      }
      const framing = [
        ...(request.headers.has("transfer-encoding") ? ["transfer-encoding"] : []),
        ...((request.headers.get("content-length") ?? "0") !== "0" ? ["content-length"] : []),
      ];
      if (framing.length || request.body.length || http.stray.length) {
        problems.push({
          en: `a body on a GET (${[...framing, ...(http.stray.length ? ["bytes after the head"] : [])].join(", ")})`,
          ru: `тело у GET (${[...framing, ...(http.stray.length ? ["байты после заголовков"] : [])].join(", ")})`,
        });
      }
      if (problems.length > 0) {
        throw new CheckFailure({
          en: `the request is not well formed: ${problems.map((p) => p.en).join("; ")}`,
          ru: `запрос составлен неправильно: ${problems.map((p) => p.ru).join("; ")}`,
        }, {
          expected: visible(
            `GET /q?x=1&y=two HTTP/1.1\r\nHost: alpha.test:${http.port}\r\nUser-Agent: …\r\nAccept: …\r\nConnection: keep-alive\r\n\r\n`,
          ),
          actual: visible(request.head + (http.stray[0] ? new TextDecoder().decode(http.stray[0].bytes) : "")),
        });
      }
    },
  },
  {
    id: "nxdomain",
    title: {
      en: "a name DNS does not know ends in one line that names it, and exit code 1",
      ru: "имя, которого DNS не знает, даёт одну строку, где оно названо, и код выхода 1",
    },
    hint: {
      en:
        "Deno.resolveDns rejects with NotFound for a name the server does not know (for A, then for AAAA): say which name, in one line.",
      ru:
        "Deno.resolveDns отклоняется с NotFound для имени, которого сервер не знает (для A, затем для AAAA): назовите это имя, одной строкой.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, {});
      const run = await runFetch(trial, `http://nowhere.test:${http.port}/`, dns);
      await expectQuestion(dns, "nowhere.test A", run.fetch);
      expectError(run, {
        en: "nowhere.test is not in the DNS server's zone",
        ru: "nowhere.test нет в зоне DNS-сервера",
      }, [
        "nowhere.test",
      ]);
    },
  },
  {
    id: "dns-timeout",
    title: {
      en:
        "a DNS server that never answers, to A or to the AAAA asked after A found nothing: --timeout 500 ends the wait within 3 s of the question, in one line that names that server's ADDRESS:PORT and is not the line a name it does not know gets; exit code 1",
      ru:
        "DNS-сервер, который не отвечает на A или на AAAA, заданный после пустого A: --timeout 500 заканчивает ожидание в пределах 3 с после вопроса одной строкой, где назван его АДРЕС:ПОРТ и которая не совпадает со строкой для незнакомого ему имени; код 1",
    },
    hint: {
      en:
        "Give each question its own signal: AbortSignal.timeout(options.timeoutMs), the AAAA one too (not a fixed 5000). When it aborts, throw a FetchError that names the DNS server you asked, worded otherwise than the error for a name the server does not know: silence is not NXDOMAIN.",
      ru:
        "Дайте каждому вопросу свой signal: AbortSignal.timeout(options.timeoutMs), и вопросу AAAA тоже (не фиксированные 5000). Когда он сработает, бросьте FetchError, где назван спрошенный DNS-сервер, в других словах, чем ошибка для имени, которого сервер не знает: молчание — это не NXDOMAIN.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, {}, { dns: { silent: true } });
      // A name with an AAAA record only, whose AAAA answer is lost: the question after A's empty answer needs a deadline too.
      const lost = new GraderDns({ "alpha.test": { AAAA: ["::1"] } }, trial.transcript, { silentTo: ["AAAA"] });
      trial.defer(lost);
      // The same name, at a server that knows it is not there: its error must read otherwise than silence's.
      const empty = new GraderDns({}, trial.transcript);
      trial.defer(empty);
      const url = `http://alpha.test:${http.port}/`;
      const lines: Record<string, string | undefined> = {};
      /** A line of `run`'s stderr with `server`'s address and port taken out, if it printed one line. */
      const lineOf = (run: Run, server: GraderDns) => {
        const said = run.fetch.stderr.filter((line) => line.trim() !== "");
        return said.length === 1
          ? said[0].replaceAll(server.address, "ADDRESS").replaceAll(String(server.port), "PORT")
          : undefined;
      };
      await together([
        async () => {
          const run = await fetchAfterQuestion(trial, url, dns, "alpha.test A", "fetch (silent)");
          expectError(run, {
            en: "the DNS server got the question and never answered",
            ru: "DNS-сервер получил вопрос и так и не ответил",
          }, [dns.address]);
          lines.silent = lineOf(run, dns);
        },
        async () => {
          const run = await fetchAfterQuestion(trial, url, lost, "alpha.test AAAA", "fetch (AAAA lost)");
          expectError(run, {
            en: "the DNS server said alpha.test has no A record, then never answered the AAAA question",
            ru: "DNS-сервер сказал, что у alpha.test нет записи A, а на вопрос AAAA так и не ответил",
          }, [lost.address]);
        },
        async () => {
          // The default --timeout: an NXDOMAIN comes at once, so this line is never a timeout's, however busy the machine.
          const run = await runFetch(trial, url, empty, [], { label: "fetch (NXDOMAIN)" });
          lines.unknown = lineOf(run, empty);
        },
      ]);
      if (lines.silent !== undefined && lines.silent === lines.unknown) {
        throw new CheckFailure({
          en:
            "fetch says the same when the DNS server does not answer as when it answers that there is no such name: the text asks for one clear error each",
          ru:
            "fetch говорит одно и то же, когда DNS-сервер молчит и когда он отвечает, что такого имени нет: текст просит у каждого случая свою понятную ошибку",
        }, {
          expected: {
            en: "two different lines (the server's address aside)",
            ru: "две разные строки (не считая адреса сервера)",
          },
          actual: visible(lines.silent),
        });
      }
    },
  },
  {
    id: "dns-broken",
    title: {
      en:
        "a DNS server that answers with the wrong id, with bytes that are no DNS message, or with a truncated answer (TC set, and no TCP to retry on): one line that names that server's ADDRESS:PORT, exit code 1, within --timeout 1000 and the resolver's own tries",
      ru:
        "DNS-сервер, который отвечает с чужим id, байтами, которые не являются сообщением DNS, или обрезанным ответом (флаг TC, а повторить по TCP негде): одна строка, где назван АДРЕС:ПОРТ этого сервера, код 1, в пределах --timeout 1000 и собственных попыток резолвера",
    },
    hint: {
      en:
        "Besides NotFound and the timeout, Deno.resolveDns can fail in other ways (an answer cut short, a refused retry over TCP). Catch those too and throw a FetchError that names the DNS server you asked: rethrown as they are, they print as an exception with a place in your code.",
      ru:
        "Кроме NotFound и таймаута, Deno.resolveDns может завершиться ошибкой и по-другому (ответ обрезан, повтор по TCP отвергнут). Ловите и их и бросайте FetchError, где назван спрошенный DNS-сервер: если пробросить их как есть, они напечатаются как исключение с местом в вашем коде.",
    },
    async run(trial) {
      const { http } = servers(trial, { "/": "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n" });
      const cases = [
        { mangle: "wrong-id", en: "every answer carries another id", ru: "у каждого ответа чужой id" },
        { mangle: "garbage", en: "every answer is 7 bytes of no DNS message", ru: "каждый ответ — 7 байтов не-DNS" },
        {
          mangle: "truncated",
          en: "every answer is truncated (TC) and the server speaks no TCP",
          ru: "каждый ответ обрезан (TC), а по TCP сервер не говорит",
        },
      ] as const;
      await together(cases.map((c) => async () => {
        const dns = new GraderDns(ZONE, trial.transcript, { mangle: c.mangle });
        trial.defer(dns);
        const run = await runFetch(trial, `http://alpha.test:${http.port}/`, dns, ["--timeout", "1000"], {
          label: `fetch (${c.mangle})`,
        });
        expectError(run, { en: `the DNS server: ${c.en}`, ru: `DNS-сервер: ${c.ru}` }, [dns.address]);
      }));
    },
  },
  {
    id: "dns-deadline",
    slow: true,
    title: {
      en:
        "--timeout is the DNS answer's deadline: with --timeout 300, an answer 800 ms late is not waited for; with the default --timeout, a silent server (Deno's resolver gives up after about 2 s) ends in one line that names it; exit code 1",
      ru:
        "--timeout — крайний срок ответа DNS: при --timeout 300 ответ, опоздавший на 800 мс, не ждут; при --timeout по умолчанию молчащий сервер (резолвер Deno сдаётся примерно через 2 с) даёт одну строку, где он назван; код 1",
    },
    hint: {
      en:
        "The signal is AbortSignal.timeout(options.timeoutMs), not a number of your own. Deno.resolveDns may also reject with Deno.errors.TimedOut when its own tries run out: that is a timeout too, to be reported like the signal's, naming the DNS server.",
      ru:
        "signal — это AbortSignal.timeout(options.timeoutMs), а не своё число. Deno.resolveDns может отклониться и с Deno.errors.TimedOut, когда кончились его собственные попытки: это тоже таймаут, о нём нужно сообщить так же, как о сработавшем signal, назвав DNS-сервер.",
    },
    async run(trial) {
      const body = "a page behind a slow name server\n";
      const { dns, http } = servers(trial, { "/late": ok(body) }, { dns: { delayMs: 800 } });
      const silent = new GraderDns(ZONE, trial.transcript, { silent: true });
      trial.defer(silent);
      await together([
        async () => {
          // Whether the question went out before the deadline depends on how busy the machine is: either way, no page.
          const run = await runFetch(trial, `http://alpha.test:${http.port}/late`, dns, ["--timeout", "300"], {
            label: "fetch (--timeout 300)",
          });
          if (http.requests.length > 0 || printed(run.fetch) !== "") {
            throw new CheckFailure({
              en:
                "the DNS answer came 800 ms after the question and fetch, with --timeout 300, waited for it and went on: the DNS question's deadline must be --timeout",
              ru:
                "ответ DNS пришёл через 800 мс после вопроса, а fetch с --timeout 300 дождался его и пошёл дальше: крайний срок вопроса к DNS должен быть --timeout",
            }, {
              expected: {
                en: `one line of error that names ${dns.address}, no request`,
                ru: `одна строка ошибки, где назван ${dns.address}, без запроса`,
              },
              actual: {
                en: `${http.lines.join(", ") || "no request"}; printed: ${visible(printed(run.fetch) || "(nothing)")}`,
                ru: `${http.lines.join(", ") || "запроса нет"}; напечатано: ${
                  visible(printed(run.fetch) || "(ничего)")
                }`,
              },
            });
          }
          expectError(run, {
            en: "the DNS answer came 800 ms late, past --timeout 300",
            ru: "ответ DNS опоздал на 800 мс, позже --timeout 300",
          }, [dns.address]);
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/late`, silent, [], {
            label: "fetch (default --timeout)",
          });
          await expectQuestion(silent, "alpha.test A", run.fetch);
          expectError(run, {
            en: "a silent DNS server and the default --timeout: Deno's resolver gives up first, with TimedOut",
            ru: "молчащий DNS-сервер и --timeout по умолчанию: резолвер Deno сдаётся раньше, с TimedOut",
          }, [silent.address]);
        },
      ]);
    },
  },
  {
    id: "response-timeout",
    slow: true,
    title: {
      en: "a server that takes the request and never answers: --timeout 2000 ends the wait, one line, exit code 1",
      ru: "сервер, который принял запрос и не отвечает: --timeout 2000 заканчивает ожидание, одна строка, код 1",
    },
    hint: {
      en: "Give the response a deadline of --timeout ms; when it passes, close the connection and say so in one line.",
      ru:
        "Дайте ответу крайний срок в --timeout мс; когда он истёк, закройте соединение и скажите об этом одной строкой.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, { "/silent": never });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/silent`, dns, ["--timeout", "2000"]);
      expectAsked(http, "/silent", run.fetch);
      expectError(run, {
        en: "the server read the request and kept the connection open without a word",
        ru: "сервер прочитал запрос и держал соединение открытым, не сказав ни слова",
      });
    },
  },
  {
    id: "timeout-per-step",
    slow: true,
    title: {
      en:
        "--timeout is per step: a DNS answer and five responses, each 450 ms late, all fit --timeout 2200 though together they take longer",
      ru:
        "--timeout — на каждый шаг: ответ DNS и пять ответов сервера, каждый с опозданием 450 мс, укладываются в --timeout 2200, хотя вместе дольше",
    },
    hint: {
      en:
        "Start a fresh deadline for each step (the DNS answer, the connection, each response), rather than one for the whole fetch.",
      ru: "Заводите новый крайний срок на каждый шаг (ответ DNS, подключение, каждый ответ), а не один на весь fetch.",
    },
    async run(trial) {
      // Six steps of 450 ms: 2.7 s in all, past one deadline of 2.2 s, while each step has 1.75 s to spare.
      const body = "late, but each step in time\n";
      const routes: Record<string, Route> = { "/t5": send(ok(body), { delayMs: 450 }) };
      for (let i = 1; i < 5; i++) routes[`/t${i}`] = send(redirect(302, `/t${i + 1}`), { delayMs: 450 });
      const { dns, http } = servers(trial, routes, { dns: { delayMs: 450 } });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/t1`, dns, ["--timeout", "2200"], {
        ms: 12_000,
        body,
      });
      expectBody(run, body, {
        en: "the DNS answer and each of five responses came 450 ms late, with --timeout 2200",
        ru: "ответ DNS и каждый из пяти ответов приходили через 450 мс, при --timeout 2200",
      });
    },
  },
  {
    id: "a-then-aaaa",
    title: {
      en:
        "a name with A and AAAA records is reached at the first A address; a name with no A record is asked again for AAAA and reached over IPv6",
      ru:
        "имя с записями A и AAAA достигается по первому адресу A; имя без записи A спрашивается снова, про AAAA, и достигается по IPv6",
    },
    hint: {
      en:
        'Ask "A"; if it gives nothing (NotFound too: that is what a name with no A record gets), ask "AAAA". Use the first address of the answer.',
      ru:
        'Спросите "A"; если ответа нет (и NotFound тоже: его получает имя без записи A), спросите "AAAA". Берите первый адрес ответа.',
    },
    async run(trial) {
      if (!hasIpv6Loopback()) {
        throw new CheckSkipped({
          en: "this machine has no IPv6 loopback (::1)",
          ru: "на этой машине нет IPv6 loopback (::1)",
        });
      }
      const six = new GraderHttp({ "/six": ok("reached over IPv6\n") }, trial.transcript, { hostname: "::1" });
      trial.defer(six);
      const { dns, http } = servers(trial, { "/both": ok("reached over IPv4\n") }, {
        zone: {
          "six.test": { AAAA: ["::1"] },
          "both.test": { A: ["127.0.0.1", "127.0.0.2"], AAAA: ["::1"] },
        },
      });
      // Whatever listens on [::1] at the IPv4 server's port would catch a fetch that asked AAAA first.
      let decoy: GraderHttp | undefined;
      try {
        decoy = new GraderHttp({}, trial.transcript, { hostname: "::1", port: http.port });
        trial.defer(decoy);
      } catch { /* the port is taken on ::1: nothing of ours answers there, which is as good */ }
      await together([
        async () => {
          const run = await runFetch(trial, `http://six.test:${six.port}/six`, dns, [], {
            label: "fetch (AAAA only)",
            body: "reached over IPv6\n",
          });
          await expectQuestion(dns, "six.test AAAA", run.fetch);
          expectBody(run, "reached over IPv6\n", {
            en: "six.test has only an AAAA record, ::1",
            ru: "у six.test есть только запись AAAA, ::1",
          });
          const host = six.requests[0]?.headers.get("host");
          if (host !== `six.test:${six.port}`) {
            throw new CheckFailure({
              en: "over IPv6, Host must still name the site: six.test and its port",
              ru: "и по IPv6 в Host должно стоять имя сайта: six.test и порт",
            }, { expected: `six.test:${six.port}`, actual: host ?? "(none)" });
          }
        },
        async () => {
          const run = await runFetch(trial, `http://both.test:${http.port}/both`, dns, [], {
            label: "fetch (A and AAAA)",
            body: "reached over IPv4\n",
          });
          const asked = dns.asked.filter((q) => q.startsWith("both.test"));
          if (!asked.includes("both.test A") || (decoy?.connections ?? 0) > 0) {
            throw new CheckFailure({
              en: "for a name with both A and AAAA records, fetch must ask A and use its first address",
              ru: "для имени с записями и A, и AAAA fetch должен спросить A и взять его первый адрес",
            }, {
              expected: {
                en: "both.test A first, then a connection to 127.0.0.1",
                ru: "сначала both.test A, затем соединение с 127.0.0.1",
              },
              actual: {
                en: `questions: ${asked.join(", ") || "none"}; ${decoy?.connections ? "connected to [::1]" : ""}`,
                ru: `вопросы: ${asked.join(", ") || "нет"}; ${decoy?.connections ? "соединение с [::1]" : ""}`,
              },
            });
          }
          expectBody(run, "reached over IPv4\n", {
            en: "both.test has the A records 127.0.0.1 and 127.0.0.2, in that order",
            ru: "у both.test записи A 127.0.0.1 и 127.0.0.2, в этом порядке",
          });
        },
      ]);
    },
  },
  {
    id: "ip-literal",
    title: {
      en: "an IP literal (127.0.0.1, [::1]) is used as it is: no DNS question, Host as in the URL",
      ru: "IP-литерал (127.0.0.1, [::1]) используется как есть: без вопроса к DNS, Host как в URL",
    },
    hint: {
      en:
        "An address needs no resolving: pass 127.0.0.1 through, and [::1] without its brackets, and connect to it. url.host keeps the brackets for Host.",
      ru:
        "Адрес не нужно разрешать: пропускайте 127.0.0.1 как есть, а [::1] без скобок, и подключайтесь к нему. url.host сохраняет скобки для Host.",
    },
    async run(trial) {
      const v6 = hasIpv6Loopback();
      const six = v6
        ? new GraderHttp({ "/lit": ok("literal six\n") }, trial.transcript, { hostname: "::1" })
        : undefined;
      if (six) trial.defer(six);
      const { dns, http } = servers(trial, { "/lit": ok("literal four\n") });
      const cases = [{ host: "127.0.0.1", server: http, body: "literal four\n" }];
      if (six) cases.push({ host: "[::1]", server: six, body: "literal six\n" });
      await together(cases.map(({ host, server, body }) => async () => {
        const run = await runFetch(trial, `http://${host}:${server.port}/lit`, dns, [], {
          label: `fetch (${host})`,
          body,
        });
        const asked = dns.asked.filter((q) => q.includes("127.0.0.1") || q.includes("::1") || q.includes("["));
        if (asked.length > 0) {
          throw new CheckFailure({
            en: `fetch asked DNS about the address ${host}: an IP literal needs no DNS`,
            ru: `fetch спросил DNS об адресе ${host}: IP-литералу DNS не нужен`,
          }, { expected: { en: "no question", ru: "ни одного вопроса" }, actual: asked.join(", ") });
        }
        expectBody(run, body, { en: `the URL names ${host}`, ru: `в URL указан ${host}` });
        const got = server.requests[0]?.headers.get("host");
        if (got !== `${host}:${server.port}`) {
          throw new CheckFailure({
            en: "Host must be url.host: the address as the URL writes it, with the port",
            ru: "Host должен быть url.host: адрес, как он записан в URL, с портом",
          }, { expected: `${host}:${server.port}`, actual: got ?? "(none)" });
        }
      }));
      if (!six) {
        trial.transcript.event("grader", "no IPv6 loopback here: [::1] was not tried");
      }
    },
  },
  {
    id: "dribbled-body",
    title: {
      en:
        "a Content-Length body that arrives 7 bytes at a time is read to its last byte, UTF-8 split between reads too",
      ru:
        "тело с Content-Length, которое приходит по 7 байтов, прочитано до последнего байта, даже UTF-8, разрезанный между чтениями",
    },
    hint: {
      en: "Content-Length says how many bytes follow the empty line: read until you have that many, not once.",
      ru:
        "Content-Length говорит, сколько байтов идёт после пустой строки: читайте, пока не наберёте столько, а не один раз.",
    },
    async run(trial) {
      const body = "a body sent in pieces, with a pause between each: ✓ и ещё ✓✓\n";
      const { dns, http } = servers(trial, { "/slow": send(ok(body), { piece: 7, pauseMs: 15 }) });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/slow`, dns, [], { body });
      expectAsked(http, "/slow", run.fetch);
      expectBody(run, body, { en: "the response came 7 bytes at a time", ru: "ответ приходил по 7 байтов" });
    },
  },
  {
    id: "redirects",
    title: {
      en:
        "fetch follows a relative 302 and an absolute 301 to another host: DNS asked again, the right Host, the final body",
      ru:
        "fetch следует относительному 302 и абсолютному 301 на другой хост: DNS спрошен снова, верный Host, итоговое тело",
    },
    hint: {
      en:
        "On 301/302/303/307/308 with a Location, resolve it against the current URL (new URL(location, url)) and request that, asking DNS for a new host and sending its name in Host.",
      ru:
        "На 301/302/303/307/308 с Location разрешите его относительно текущего URL (new URL(location, url)) и запросите, спросив DNS о новом хосте и указав его имя в Host.",
    },
    async run(trial) {
      const body = "you made it: два перехода\n";
      const { dns, http } = servers(trial, {
        "/start": redirect(302, "/hop"),
        "/hop": redirect(301, "http://beta.test:{port}/final"),
        "/final": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/start`, dns, [], { body });
      expectRequests(http, ["GET /start HTTP/1.1", "GET /hop HTTP/1.1", "GET /final HTTP/1.1"], {
        en: "fetch did not follow the redirects from /start to /hop to /final",
        ru: "fetch не прошёл по перенаправлениям /start → /hop → /final",
      });
      await expectQuestion(dns, "beta.test A", run.fetch);
      const hosts = http.requests.map((r) => r.headers.get("host") ?? "(none)");
      const want = [`alpha.test:${http.port}`, `alpha.test:${http.port}`, `beta.test:${http.port}`];
      if (hosts.join() !== want.join()) {
        throw new CheckFailure({
          en: "after the redirects fetch did not say the new host in Host",
          ru: "после перенаправлений fetch не указал в Host новый хост",
        }, { expected: want.join(", "), actual: hosts.join(", ") });
      }
      expectBody(run, body, { en: "after two redirects", ru: "после двух перенаправлений" });
    },
  },
  {
    id: "keep-alive",
    title: {
      en:
        "a connection kept alive is reused: after a Content-Length body and after a chunked body with trailers, the next request goes on the same connection",
      ru:
        "соединение, оставленное открытым, используется снова: после тела с Content-Length и после тела кусками с трейлерами следующий запрос идёт по тому же соединению",
    },
    hint: {
      en:
        "HTTP/1.1 keeps the connection open unless told 'Connection: close'. Read each body to its exact end (a redirect's body too, and a chunked body's trailers and empty line), then send the next request on the same connection.",
      ru:
        "HTTP/1.1 оставляет соединение открытым, если не сказано 'Connection: close'. Дочитайте каждое тело ровно до конца (и у перенаправления, и трейлеры с пустой строкой у тела кусками), затем отправьте следующий запрос по тому же соединению.",
    },
    async run(trial) {
      const body = "three requests, one connection\n";
      const { dns, http } = servers(trial, {
        "/one": redirect(302, "/two", "moved to /two\n"),
        "/two": "HTTP/1.1 302 Found\r\nLocation: /three\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "5;why=moved\r\nmoved\r\n3\r\n to\r\n0\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n",
        "/three": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/one`, dns, [], { body });
      const lines = http.requests.map((r) => `${r.line} (connection ${r.connection})`);
      if (http.lines.length === 3 && http.connections > 1) {
        throw new CheckFailure(
          {
            en: `fetch opened ${http.connections} connections for 3 requests to a server that kept each one open`,
            ru:
              `на 3 запроса к серверу, который каждый раз оставлял соединение открытым, fetch открыл соединений: ${http.connections}`,
          },
          {
            expected: { en: "1 connection, 3 requests on it", ru: "1 соединение и 3 запроса по нему" },
            actual: lines.join("; "),
          },
        );
      }
      expectRequests(http, ["GET /one HTTP/1.1", "GET /two HTTP/1.1", "GET /three HTTP/1.1"], {
        en: "fetch did not go /one → /two → /three over the kept-alive connection",
        ru: "fetch не прошёл /one → /two → /three по соединению, оставленному открытым",
      });
      expectBody(run, body, {
        en: "after a 302 with a Content-Length body and a 302 with a chunked body, on one connection",
        ru: "после 302 с телом по Content-Length и 302 с телом кусками, по одному соединению",
      });
    },
  },
  {
    id: "chunked",
    title: {
      en:
        "a chunked body (sizes in hex of both cases, an extension, CRLF inside a chunk, UTF-8 split between chunks, trailers), 5 bytes at a time, is put together exactly",
      ru:
        "тело кусками (размеры в hex в обоих регистрах, расширение, CRLF внутри куска, UTF-8 на стыке кусков, трейлеры), по 5 байтов, собирается точно",
    },
    hint: {
      en:
        "Transfer-Encoding: chunked: read a line with SIZE in hex (ignore ;extensions), then exactly SIZE bytes (whatever they hold), then CRLF; a 0 chunk ends it, then trailer lines up to an empty one. Join the bytes before decoding.",
      ru:
        "Transfer-Encoding: chunked: прочитайте строку с РАЗМЕРОМ в hex (;расширения пропустите), затем ровно РАЗМЕР байтов (что бы в них ни было), затем CRLF; нулевой кусок — конец, затем строки трейлеров до пустой. Склейте байты и только потом декодируйте.",
    },
    async run(trial) {
      // 26 bytes (1A), 16 bytes (10) with a CRLF inside, and a ✓ (3 bytes) split across the last two chunks.
      const pieces = [
        encoder.encode("twenty-six bytes, exactly."),
        encoder.encode("a line\r\nand more"),
        encoder.encode("check \u2713").subarray(0, 8),
        encoder.encode("check \u2713 done\n").subarray(8),
      ];
      const sizes = ["1A", "10;name=value", pieces[2].length.toString(16), pieces[3].length.toString(16)];
      const parts: Uint8Array[] = [
        encoder.encode(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
        ),
      ];
      pieces.forEach((piece, i) => parts.push(encoder.encode(`${sizes[i]}\r\n`), piece, encoder.encode("\r\n")));
      parts.push(encoder.encode("0\r\nX-Trailer: yes\r\nX-Checksum: none\r\n\r\n"));
      const raw = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (raw.set(p, at), at + p.length), 0);
      const body = "twenty-six bytes, exactly.a line\r\nand morecheck \u2713 done\n";
      const { dns, http } = servers(trial, { "/chunks": send(raw, { piece: 5, pauseMs: 5 }) });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/chunks`, dns, [], { body });
      expectAsked(http, "/chunks", run.fetch);
      expectBody(run, body, { en: "a chunked response, 5 bytes at a time", ru: "ответ кусками, по 5 байтов за раз" });
    },
  },
  {
    id: "until-close",
    title: {
      en: "a body with neither length nor chunks is read until the server closes the connection",
      ru: "тело без длины и без кусков читается, пока сервер не закроет соединение",
    },
    hint: {
      en: "No Content-Length and no Transfer-Encoding: the body is everything until the connection closes.",
      ru: "Нет ни Content-Length, ни Transfer-Encoding: тело — всё, что придёт до закрытия соединения.",
    },
    async run(trial) {
      const body = "the end of this body is the end of the connection: конец\n";
      const { dns, http } = servers(trial, {
        "/stream": send(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n${body}`, {
          piece: 16,
          pauseMs: 15,
          then: "close",
        }),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/stream`, dns, [], { body });
      expectAsked(http, "/stream", run.fetch);
      expectBody(run, body, { en: "the body ended with the connection", ru: "тело закончилось вместе с соединением" });
    },
  },
  {
    id: "post",
    title: {
      en:
        "--data sends a POST with Content-Type and a Content-Length that counts UTF-8 bytes, then the body; a 201 is printed, exit code 0; --data '' is a POST with Content-Length: 0",
      ru:
        "--data отправляет POST с Content-Type и Content-Length, считающим байты UTF-8, затем тело; ответ 201 печатается, код выхода 0; --data '' — это POST с Content-Length: 0",
    },
    hint: {
      en:
        "With a body: POST, Content-Type, Content-Length: the number of bytes (new TextEncoder().encode(data).length, not data.length), the empty line, then those bytes. An empty --data is a body too: test body !== undefined, not body.",
      ru:
        "С телом: POST, Content-Type, Content-Length — число байтов (new TextEncoder().encode(data).length, а не data.length), пустая строка, затем эти байты. Пустой --data — тоже тело: проверяйте body !== undefined, а не body.",
    },
    async run(trial) {
      const data = "привет, POST ✓ & more";
      const answer = "<p>created: привет</p>\n";
      const created = (text: string) =>
        `HTTP/1.1 201 Created\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${
          byteLength(text)
        }\r\n\r\n${text}`;
      const emptyAnswer = "<p>created: an empty post</p>\n";
      const { dns, http } = servers(trial, { "/form": created(answer), "/empty": created(emptyAnswer) });
      await together([
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/form`, dns, ["--data", data], {
            body: answer,
          });
          expectAsked(http, "/form", run.fetch);
          await http.settled();
          const request = http.requests.find((r) => r.line.includes("/form "));
          expectMethod(request, "POST", "/form", data, {
            en: `with --data ${visible(data)} (${byteLength(data)} bytes in UTF-8)`,
            ru: `с --data ${visible(data)} (${byteLength(data)} байтов в UTF-8)`,
          });
          if (!request?.headers.get("content-type")) {
            throw new CheckFailure({
              en: "the POST has no Content-Type: the server cannot tell what the body is",
              ru: "у POST нет Content-Type: сервер не знает, что в теле",
            }, { expected: "Content-Type: …", actual: visible(request?.head ?? "") });
          }
          const stray = http.stray.find((s) => s.connection === request.connection);
          if (stray) {
            throw new CheckFailure({
              en: "fetch sent more bytes after the body than its Content-Length said",
              ru: "fetch отправил после тела больше байтов, чем сказано в его Content-Length",
            }, { expected: visible(data), actual: visible(stray.bytes) });
          }
          expectBody(run, answer, { en: "a 201 Created with a body", ru: "ответ 201 Created с телом" });
        },
        async () => {
          const run = await runFetch(trial, `http://alpha.test:${http.port}/empty`, dns, ["--data", ""], {
            label: "fetch (--data '')",
            body: emptyAnswer,
          });
          expectAsked(http, "/empty", run.fetch);
          const request = http.requests.find((r) => r.line.includes("/empty "));
          if (request?.line !== "POST /empty HTTP/1.1" || request.headers.get("content-length") !== "0") {
            throw new CheckFailure({
              en: "with --data '' fetch must still send a POST that says its body is empty: Content-Length: 0",
              ru:
                "с --data '' fetch всё равно должен отправить POST, который говорит, что его тело пусто: Content-Length: 0",
            }, {
              expected: "POST /empty HTTP/1.1, Content-Length: 0",
              actual: visible(request?.head ?? "(no request)"),
            });
          }
          expectBody(run, emptyAnswer, {
            en: "a 201 Created after --data ''",
            ru: "ответ 201 Created после --data ''",
          });
        },
      ]);
    },
  },
  {
    id: "status-codes",
    title: {
      en: "the final body is printed whatever the code: after a 404, its body on stdout, then one line and exit code 1",
      ru: "итоговое тело печатается при любом коде: после 404 — его тело в stdout, затем одна строка и код выхода 1",
    },
    hint: {
      en:
        "Print the body of the last response first; then, unless the status is 2xx (200 to 299), throw a FetchError (one line, exit code 1).",
      ru:
        "Сначала напечатайте тело последнего ответа; затем, если код не из 2xx (от 200 до 299), бросьте FetchError (одна строка, код выхода 1).",
    },
    async run(trial) {
      const missing = "nothing at /gone, says the grader\n";
      const { dns, http } = servers(trial, {
        "/gone": `HTTP/1.1 404 Not Found\r\nContent-Length: ${byteLength(missing)}\r\n\r\n${missing}`,
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/gone`, dns);
      expectAsked(http, "/gone", run.fetch);
      expectBody(run, missing, { en: "a 404 with a body", ru: "ответ 404 с телом" }, 1);
      expectError(run, { en: "a 404", ru: "ответ 404" });
    },
  },
  {
    id: "relative-location",
    title: {
      en:
        "a Location is resolved against the URL asked: ?page=2, a relative path, //beta.test:PORT/x (another host), ./y/z and ../w, by 302, 303, 307, 308 and 301 in turn, each time a GET; five hops, the default --max-redirects",
      ru:
        "Location разрешается относительно запрошенного URL: ?page=2, относительный путь, //beta.test:PORT/x (другой хост), ./y/z и ../w, через 302, 303, 307, 308 и 301 по очереди, каждый раз GET; пять переходов, --max-redirects по умолчанию",
    },
    hint: {
      en:
        "new URL(location, url) does what a browser does, for every form a Location may take; --max-redirects is 5 unless given.",
      ru:
        "new URL(location, url) делает то же, что браузер, для любой формы Location; --max-redirects равен 5, если не задан.",
    },
    async run(trial) {
      const body = "five kinds of relative Location\n";
      const { dns, http } = servers(trial, {
        // Every redirect code in turn; without --data each next request is a GET.
        "/dir/start": (conn, request, server) =>
          send(
            request.line.includes("?page=2") ? redirect(303, "other") : redirect(302, "?page=2"),
          )(conn, request, server),
        "/dir/other": redirect(307, "//beta.test:{port}/x"),
        "/x": redirect(308, "./y/z"),
        "/y/z": redirect(301, "../w"),
        "/w": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/dir/start`, dns, [], { body });
      expectRequests(http, [
        "GET /dir/start HTTP/1.1",
        "GET /dir/start?page=2 HTTP/1.1",
        "GET /dir/other HTTP/1.1",
        "GET /x HTTP/1.1",
        "GET /y/z HTTP/1.1",
        "GET /w HTTP/1.1",
      ], {
        en:
          "fetch did not resolve each Location against the URL it had asked (new URL(location, url)), or stopped before the default limit of 5 redirects",
        ru:
          "fetch не разрешил каждый Location относительно запрошенного URL (new URL(location, url)) или остановился раньше предела по умолчанию в 5 перенаправлений",
      });
      const carried = http.requests.find((r) => r.body.length > 0);
      if (carried) {
        throw new CheckFailure({
          en: `without --data every request is a GET with no body, yet ${carried.line} carried one`,
          ru: `без --data каждый запрос — GET без тела, а ${carried.line} его нёс`,
        }, { expected: { en: "no body", ru: "без тела" }, actual: visible(carried.body) });
      }
      const host = http.requests[3].headers.get("host");
      if (host !== `beta.test:${http.port}`) {
        throw new CheckFailure({
          en: "after //beta.test:PORT/x fetch did not send Host: beta.test:PORT",
          ru: "после //beta.test:PORT/x fetch не отправил Host: beta.test:PORT",
        }, { expected: `beta.test:${http.port}`, actual: host ?? "(none)" });
      }
      expectBody(run, body, { en: "after five relative redirects", ru: "после пяти относительных перенаправлений" });
    },
  },
  {
    id: "redirect-to-get",
    title: {
      en: "after --data, a 301, a 302 and a 303 each lead to a GET without the body",
      ru: "после --data ответы 301, 302 и 303 каждый ведут к GET без тела",
    },
    hint: {
      en:
        "303 always, and 301 and 302 after a POST, turn the next request into a GET: drop the body and its Content-Length and Content-Type.",
      ru:
        "303 всегда, а 301 и 302 после POST превращают следующий запрос в GET: уберите тело, его Content-Length и Content-Type.",
    },
    async run(trial) {
      const data = "form=1&name=✓";
      const routes: Record<string, string> = {};
      for (const code of [301, 302, 303]) {
        routes[`/post${code}`] = redirect(code, `/after${code}`, "see there\n");
        routes[`/after${code}`] = ok(`got there after ${code}\n`);
      }
      const { dns, http } = servers(trial, routes);
      await together([301, 302, 303].map((code) => async () => {
        const label = `fetch (${code})`;
        const run = await runFetch(trial, `http://alpha.test:${http.port}/post${code}`, dns, ["--data", data], {
          label,
        });
        const first = http.requests.find((r) => r.line.includes(`/post${code} `));
        expectMethod(first, "POST", `/post${code}`, data, { en: "with --data", ru: "с --data" });
        const next = http.requests.find((r) => r.line.includes(`/after${code} `));
        expectMethod(next, "GET", `/after${code}`, "", {
          en: `after a ${code} to a POST`,
          ru: `после ответа ${code} на POST`,
        });
        expectBody(run, `got there after ${code}\n`, { en: `after the ${code}`, ru: `после ${code}` });
      }));
    },
  },
  {
    id: "redirect-keeps-post",
    title: {
      en: "after --data, a 307 and then a 308 repeat the POST with the same body",
      ru: "после --data ответы 307, а затем 308 повторяют POST с тем же телом",
    },
    hint: {
      en: "307 and 308 mean: repeat exactly this request there. Keep the method and the body.",
      ru: "307 и 308 значат: повтори там ровно этот запрос. Сохраните метод и тело.",
    },
    async run(trial) {
      const data = "keep me: сохрани ✓";
      const body = "the POST arrived three times\n";
      const { dns, http } = servers(trial, {
        "/k1": redirect(307, "/k2", "again\n"),
        "/k2": redirect(308, "/k3", "and again\n"),
        "/k3": ok(body),
      });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/k1`, dns, ["--data", data], { body });
      const find = (path: string) => http.requests.find((r) => r.line.includes(`${path} `));
      expectMethod(find("/k1"), "POST", "/k1", data, { en: "with --data", ru: "с --data" });
      expectMethod(find("/k2"), "POST", "/k2", data, { en: "after a 307 to a POST", ru: "после 307 на POST" });
      expectMethod(find("/k3"), "POST", "/k3", data, { en: "after a 308 to a POST", ru: "после 308 на POST" });
      expectBody(run, body, { en: "after a 307 and a 308", ru: "после 307 и 308" });
    },
  },
  {
    id: "redirect-loop",
    title: {
      en:
        "a redirect loop (/a → /b → /a) ends at the first URL already visited, never requested twice: one line, exit code 1",
      ru:
        "петля перенаправлений (/a → /b → /a) обрывается на первом уже посещённом URL, который не запрашивается второй раз: одна строка, код 1",
    },
    hint: {
      en:
        "Remember every URL you have requested; a Location that resolves to one of them is a loop: stop with an error before requesting it again.",
      ru:
        "Запоминайте каждый запрошенный URL; Location, который указывает на один из них, — это петля: остановитесь с ошибкой, не запрашивая его снова.",
    },
    async run(trial) {
      const { dns, http } = servers(trial, { "/a": redirect(302, "/b"), "/b": redirect(302, "/a") });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/a`, dns, ["--max-redirects", "20"]);
      expectRequests(http, ["GET /a HTTP/1.1", "GET /b HTTP/1.1"], {
        en: "with --max-redirects 20, fetch should stop when /b sends it back to /a, which it has already visited",
        ru: "с --max-redirects 20 fetch должен остановиться, когда /b отправляет его обратно на /a, где он уже был",
      });
      expectError(run, { en: "/a redirects to /b and /b to /a", ru: "/a перенаправляет на /b, а /b — на /a" });
    },
  },
  {
    id: "max-redirects",
    title: {
      en:
        "--max-redirects N follows N redirects and not one more (2, and 0: the first redirect is one too many); past the limit, one line and exit code 1",
      ru:
        "--max-redirects N проходит N перенаправлений и ни одного сверх (2, и 0: уже первое лишнее); сверх предела — одна строка и код 1",
    },
    hint: {
      en:
        "Count the redirects followed. At a redirect when the count already equals --max-redirects, stop with an error instead of requesting the next URL.",
      ru:
        "Считайте пройденные перенаправления. Если на очередном перенаправлении счёт уже равен --max-redirects, остановитесь с ошибкой, не запрашивая следующий URL.",
    },
    async run(trial) {
      const routes: Record<string, string> = {};
      for (let i = 0; i < 10; i++) routes[`/on${i}`] = redirect(302, `/on${i + 1}`);
      for (let i = 0; i < 3; i++) routes[`/zero${i}`] = redirect(302, `/zero${i + 1}`);
      const { dns, http } = servers(trial, routes);
      const chain = (prefix: string) => http.lines.filter((line) => line.startsWith(`GET /${prefix}`));
      const want = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `GET /${prefix}${i} HTTP/1.1`);
      const url = `http://alpha.test:${http.port}`;
      await together([
        async () => {
          const run = await runFetch(trial, `${url}/on0`, dns, ["--max-redirects", "2"], { label: "fetch (2)" });
          const got = chain("on");
          if (got.join() !== want("on", 3).join()) {
            throw new CheckFailure({
              en: `with --max-redirects 2 and a server that redirects forever, fetch sent ${got.length} requests`,
              ru:
                `с --max-redirects 2 и сервером, который перенаправляет без конца, fetch отправил запросов: ${got.length}`,
            }, {
              expected: {
                en: `${want("on", 3).join(", ")}, then an error`,
                ru: `${want("on", 3).join(", ")}, затем ошибка`,
              },
              actual: got.join(", ") || { en: "no request", ru: "ни одного запроса" },
            });
          }
          expectError(run, { en: "past --max-redirects 2", ru: "сверх --max-redirects 2" });
        },
        async () => {
          const run = await runFetch(trial, `${url}/zero0`, dns, ["--max-redirects", "0"], { label: "fetch (0)" });
          const got = chain("zero");
          if (got.join() !== "GET /zero0 HTTP/1.1") {
            throw new CheckFailure({
              en:
                `with --max-redirects 0, fetch sent ${got.length} requests: the first redirect is already one too many`,
              ru: `с --max-redirects 0 fetch отправил запросов: ${got.length}; а уже первое перенаправление лишнее`,
            }, {
              expected: { en: "GET /zero0 HTTP/1.1, then an error", ru: "GET /zero0 HTTP/1.1, затем ошибка" },
              actual: got.join(", ") || { en: "no request", ru: "ни одного запроса" },
            });
          }
          expectError(run, { en: "with --max-redirects 0", ru: "с --max-redirects 0" });
        },
      ]);
    },
  },
  {
    id: "verbose",
    title: {
      en:
        "-v shows each exchange: > lines are the request head as sent, < lines the response head as read, then the body; * notes are free",
      ru:
        "-v показывает каждый обмен: строки > — заголовочная часть запроса как отправлена, < — ответа как прочитана, затем тело; заметки * — на ваш выбор",
    },
    hint: {
      en:
        "With -v, print each request line and header as '> ' + line, then '>'; each response line as '< ' + line, then '<'; notes start with '* '. The body comes last, as without -v.",
      ru:
        "С -v печатайте каждую строку запроса как '> ' + строка, затем '>'; каждую строку ответа как '< ' + строка, затем '<'; заметки начинаются с '* '. Тело идёт последним, как и без -v.",
    },
    async run(trial) {
      const first = redirect(302, "/v2", "moved\n", "X-Grader: yes\r\n");
      const body = "verbose body, line 1\nline 2\n";
      const second = ok(body);
      const { dns, http } = servers(trial, { "/v1": first, "/v2": second });
      const run = await runFetch(trial, `http://alpha.test:${http.port}/v1`, dns, ["-v"], { body });
      expectRequests(http, ["GET /v1 HTTP/1.1", "GET /v2 HTTP/1.1"], {
        en: "with -v, fetch did not follow the 302 from /v1 to /v2",
        ru: "с -v fetch не прошёл по 302 с /v1 на /v2",
      });
      const headOf = (raw: string) => raw.slice(0, raw.indexOf("\r\n\r\n")).split("\r\n");
      const want = [
        ...headOf(http.requests[0].head).map((l) => `> ${l}`),
        ">",
        ...headOf(first).map((l) => `< ${l}`),
        "<",
        ...headOf(http.requests[1].head).map((l) => `> ${l}`),
        ">",
        ...headOf(second).map((l) => `< ${l}`),
        "<",
        ...body.replace(/\n$/, "").split("\n"),
      ];
      const got = run.fetch.stdout.filter((line) => !/^\*( |$)/.test(line)).map((line) =>
        /^[<>] ?$/.test(line) ? line.trim() : line
      );
      const at = want.findIndex((line, i) => got[i] !== line);
      if (run.status.code !== 0 || at >= 0 || got.length !== want.length) {
        const i = at >= 0 ? at : Math.min(got.length, want.length);
        throw new CheckFailure({
          en: `with -v, line ${i + 1} of the exchange (not counting * notes) is not what was sent and read`,
          ru: `с -v строка ${i + 1} обмена (не считая заметок *) — не то, что было отправлено и прочитано`,
        }, {
          expected: visible(want.slice(Math.max(0, i - 1), i + 2).join("\n")),
          actual: visible(got.slice(Math.max(0, i - 1), i + 2).join("\n") || printed(run.fetch)),
        });
      }
    },
  },
  {
    id: "refused",
    covers: "given",
    title: {
      en: "a refused connection ends in one line and exit code 1",
      ru: "отказ в соединении даёт одну строку и код выхода 1",
    },
    hint: {
      en: "Let Deno.connect's ConnectionRefused reach main.ts, which prints one line.",
      ru: "Пусть ConnectionRefused из Deno.connect дойдёт до main.ts, который напечатает одну строку.",
    },
    async run(trial) {
      const port = closedPort();
      const run = await runFetch(trial, `http://127.0.0.1:${port}/`, undefined, [], { urlFlag: true });
      expectError(run, { en: `nothing listens on port ${port}`, ru: `порт ${port} никто не слушает` });
    },
  },
];
