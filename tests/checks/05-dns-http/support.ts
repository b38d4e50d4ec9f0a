/**
 * What lesson 5's checks share: the grader's servers for one run of `fetch`,
 * the run itself with a deadline, raw responses, and the two verdicts every
 * check ends in: the body printed exactly, or one line of error.
 *
 * @module
 */
import type { Trial } from "../../harness/check.ts";
import { CheckFailure } from "../../harness/failure.ts";
import type { Bilingual } from "../../harness/text.ts";
import { firstDifference, visible } from "../../harness/bytes.ts";
import type { LearnerProcess } from "../../harness/process.ts";
import { assertCleanError } from "../../harness/programs.ts";
import {
  type DnsBehaviour,
  GraderDns,
  GraderHttp,
  type HttpPlace,
  type Records,
  type Route,
} from "../../harness/web.ts";

export const encoder = new TextEncoder();

/** The names the grader's DNS server knows by default. */
export const ZONE: Record<string, Records> = { "alpha.test": "127.0.0.1", "beta.test": "127.0.0.1" };

/**
 * How long a check waits for one run of fetch to end: past fetch's default
 * --timeout (5 s), so a fetch that waits for what never comes ends with its
 * own error first, and says what it waited for.
 */
export const RUN_MS = 8000;

/** UTF-8 length of `text`. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** A 200 response with `body`, framed by Content-Length. */
export function ok(body: string, extra = ""): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${
    byteLength(body)
  }\r\n${extra}\r\n${body}`;
}

/** A redirect with `code` to `location`, framed by Content-Length (an empty body unless given). */
export function redirect(code: number, location: string, body = "", extra = ""): string {
  const reasons: Record<number, string> = {
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
  };
  return `HTTP/1.1 ${code} ${reasons[code]}\r\nLocation: ${location}\r\nContent-Length: ${
    byteLength(body)
  }\r\n${extra}\r\n${body}`;
}

/** The body in chunks of the given sizes (hex, lower case), ended by a 0 chunk and an empty trailer section. */
export function chunks(...pieces: string[]): string {
  return pieces.map((piece) => `${byteLength(piece).toString(16)}\r\n${piece}\r\n`).join("") + "0\r\n\r\n";
}

/** The grader's DNS and HTTP servers for one check. */
export interface Servers {
  dns: GraderDns;
  http: GraderHttp;
}

/** Starts the grader's DNS server (knowing `zone`) and an HTTP server with `routes`; both close when the check ends. */
export function servers(
  trial: Trial,
  routes: Record<string, Route>,
  options: { zone?: Record<string, Records>; dns?: DnsBehaviour; http?: HttpPlace } = {},
): Servers {
  const dns = new GraderDns(options.zone ?? ZONE, trial.transcript, options.dns);
  trial.defer(dns);
  const http = new GraderHttp(routes, trial.transcript, options.http);
  trial.defer(http);
  return { dns, http };
}

/** One run of the learner's fetch, ended. */
export interface Run {
  fetch: LearnerProcess;
  status: Deno.CommandStatus;
}

/**
 * Runs `fetch URL --dns DNS …more` (the URL as curl takes it, without a flag) and waits at most `ms` for it to end.
 * When `body` is given and fetch printed it but did not exit, the failure
 * says what still holds it.
 */
export async function runFetch(
  trial: Trial,
  url: string,
  dns: GraderDns | string | undefined,
  more: string[] = [],
  options: { ms?: number; label?: string; body?: string; urlFlag?: boolean } = {},
): Promise<Run> {
  const ms = options.ms ?? RUN_MS;
  // The URL as curl takes it; with urlFlag, as `--url URL`, which fetch --help offers too.
  const args = options.urlFlag ? ["fetch", "--url", url] : ["fetch", url];
  if (dns !== undefined) args.push("--dns", typeof dns === "string" ? dns : dns.address);
  const fetch = trial.start(options.label ?? "fetch", [...args, ...more]);
  const status = await fetch.exitWithin(ms);
  if (!status) {
    const printed = fetch.stdout.join("\n");
    const last = fetch.stdout.slice(-2).join("\n");
    const given = more.includes("--timeout") ? more[more.indexOf("--timeout") + 1] : undefined;
    const done = options.body !== undefined && printed.includes(options.body.replace(/\n$/, ""));
    throw new CheckFailure(
      done
        ? {
          en: `${fetch.label} printed the whole body and was still running ${
            ms / 1000
          } s later: something it made is still open (a timer, a connection), and that keeps a Deno program running`,
          ru: `${fetch.label} напечатал всё тело и всё ещё работал через ${
            ms / 1000
          } с: что-то из созданного им осталось открытым (таймер, соединение), а это не даёт программе на Deno завершиться`,
        }
        : {
          en: `${fetch.label} was still running after ${ms / 1000} s (its --timeout was ${
            given === undefined ? "5000 ms, the default" : `${given} ms`
          })`,
          ru: `${fetch.label} всё ещё работал через ${ms / 1000} с (его --timeout был ${
            given === undefined ? "5000 мс, по умолчанию" : `${given} мс`
          })`,
        },
      {
        expected: {
          en: "the body printed, or one line of error, and an exit",
          ru: "выведенное тело или одна строка ошибки, затем завершение",
        },
        actual: {
          en: `still running; last output: ${visible(last || "(none)")}`,
          ru: `всё ещё работает; последний вывод: ${visible(last || "(ничего)")}`,
        },
      },
    );
  }
  return { fetch, status };
}

/** What fetch printed on stdout, as one string (a final newline is not part of it). */
export function printed(fetch: LearnerProcess): string {
  return fetch.stdout.join("\n");
}

/**
 * Fails unless fetch exited with `code` (0 by default) and printed exactly
 * `body` on stdout, and nothing else there (a final newline may be added or
 * not: `console.log` adds one).
 */
export function expectBody(run: Run, body: string, situation: Bilingual, code = 0): void {
  const { fetch, status } = run;
  const got = printed(fetch);
  const want = body.replace(/\n$/, "");
  if (status.code === code && got === want) return;
  const stderr = fetch.stderr.filter((line) => line.trim() !== "");
  const actual = (nothing: string, lang: "en" | "ru") =>
    `${visible(got || nothing)}${got ? `; ${firstDifference(want, got, lang) ?? ""}` : ""}${
      stderr.length ? `; stderr: ${stderr.join(" | ")}` : ""
    }`;
  throw new CheckFailure(
    status.code !== code
      ? {
        en: `${fetch.label} exited with code ${status.code}, not ${code} (${situation.en})`,
        ru: `${fetch.label} завершился с кодом ${status.code}, а не ${code} (${situation.ru})`,
      }
      : {
        en: `${fetch.label} printed something else than the body (${situation.en})`,
        ru: `${fetch.label} напечатал не тело ответа, а что-то другое (${situation.ru})`,
      },
    {
      expected: { en: `${visible(want)} on stdout, exit code ${code}`, ru: `${visible(want)} в stdout, код ${code}` },
      actual: { en: actual("(nothing)", "en"), ru: actual("(ничего)", "ru") },
    },
  );
}

/**
 * Fails unless fetch ended as the program contract and the lesson say an
 * error ends: exit code 1, exactly one line on stderr, no stack trace. The
 * wording is the learner's; `names` are what the lesson text tells the line
 * to name (a host name, the DNS server's address), each of which must occur.
 */
export function expectError(run: Run, situation: Bilingual, names: string[] = []): void {
  const { fetch, status } = run;
  assertCleanError(fetch, status, { en: `(${situation.en})`, ru: `(${situation.ru})` });
  const lines = fetch.stderr.filter((line) => line.trim() !== "");
  if (status.code !== 1 || lines.length !== 1) {
    throw new CheckFailure({
      en: `${fetch.label} ended ${
        status.code !== 1 ? `with code ${status.code}` : `with ${lines.length} lines on stderr`
      } (${situation.en}); an error is one line on stderr and exit code 1`,
      ru: `${fetch.label} завершился ${
        status.code !== 1 ? `с кодом ${status.code}` : `с ${lines.length} строками в stderr`
      } (${situation.ru}); ошибка — это одна строка в stderr и код выхода 1`,
    }, {
      expected: { en: "one line on stderr, exit code 1", ru: "одна строка в stderr, код выхода 1" },
      actual: `code ${status.code}; stderr: ${visible(lines.join("\n"))}`,
    });
  }
  const missing = names.filter((name) => !lines[0].includes(name));
  if (missing.length > 0) {
    throw new CheckFailure({
      en: `${fetch.label}'s error does not name ${missing.join(" and ")} (${situation.en})`,
      ru: `в ошибке ${fetch.label} не названо: ${missing.join(", ")} (${situation.ru})`,
    }, {
      expected: {
        en: `one line that names ${missing.join(" and ")}, in words of your own`,
        ru: `одна строка, где названо ${missing.join(" и ")}, словами на ваш выбор`,
      },
      actual: visible(lines[0]),
    });
  }
}

/** Fails unless the grader's HTTP server saw exactly `want` request lines, in order. */
export function expectRequests(http: GraderHttp, want: string[], what: Bilingual, who = "fetch"): void {
  const got = http.lines;
  if (got.length === want.length && got.every((line, i) => line === want[i])) return;
  throw new CheckFailure(what, {
    expected: want.join(", ") || { en: "no request", ru: "ни одного запроса" },
    actual: got.join(", ") ||
      {
        en: `no request reached the server (see ${who}'s output)`,
        ru: `до сервера не дошло ни одного запроса (см. вывод ${who})`,
      },
  });
}

/** Fails unless some request reached the server: an error after the exchange must not be one before it. */
export function expectAsked(http: GraderHttp, path: string, fetch: LearnerProcess): void {
  if (http.lines.some((line) => line.split(" ")[1]?.startsWith(path))) return;
  const said = [...fetch.stdout, ...fetch.stderr].join("\n");
  throw new CheckFailure({
    en: `${fetch.label} never sent its request for ${path}, so the check could not see how it reads the answer`,
    ru: `${fetch.label} так и не отправил запрос ${path}, поэтому проверка не увидела, как он читает ответ`,
  }, {
    expected: `GET ${path} HTTP/1.1`,
    actual: {
      en: `no request; ${fetch.label} said: ${visible(said || "(nothing)")}`,
      ru: `запроса нет; ${fetch.label} напечатал: ${visible(said || "(ничего)")}`,
    },
  });
}

/** Fails unless `dns` was asked `question` (`alpha.test A`). */
export async function expectQuestion(dns: GraderDns, question: string, fetch: LearnerProcess): Promise<void> {
  if (await dns.heard(question)) return;
  const said = [...fetch.stdout, ...fetch.stderr].join("\n");
  throw new CheckFailure({
    en: `${fetch.label} did not ask the DNS server "${question}"`,
    ru: `${fetch.label} не задал DNS-серверу вопрос "${question}"`,
  }, {
    expected: { en: `the question "${question}" to ${dns.address}`, ru: `вопрос "${question}" к ${dns.address}` },
    actual: {
      en: `${dns.asked.length ? `questions: ${dns.asked.join(", ")}` : "no question at all"}; ${fetch.label} said: ${
        visible(said || "(nothing)")
      }`,
      ru: `${dns.asked.length ? `вопросы: ${dns.asked.join(", ")}` : "ни одного вопроса"}; ${fetch.label} напечатал: ${
        visible(said || "(ничего)")
      }`,
    },
  });
}

/**
 * Runs `cases` at once (each starts its own fetch and judges it), waits for
 * all of them, and then throws the first failure in the order given, so the
 * verdict does not depend on which run happened to end first.
 */
export async function together(cases: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(cases.map((run) => run()));
  for (const result of results) if (result.status === "rejected") throw result.reason;
}
