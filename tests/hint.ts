/**
 * `deno task hint N [K]`: lesson N's hints, one at a time, in the order the
 * learner meets the steps: by TODO (the starter files in the order the lesson
 * text takes them, each file's TODOs by number), each hint naming the TODO it
 * concerns. A hint points at the idea, never at the code; the next one is a
 * command away. `--lang ru` (or a Russian LANG/LC_ALL) shows them in Russian.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import { lessons } from "./checks/mod.ts";
import type { Check, Lesson } from "./harness/check.ts";
import { lessonDir } from "./harness/course.ts";
import { quotesOf } from "./harness/promises.ts";
import type { Lang } from "./harness/text.ts";

/**
 * The TODOs a check concerns, where no TODO goal quoted in the promise table
 * says so: `"lines.ts 1"`, `"server.ts 1 2"`. A check named in neither takes
 * its place from the check before it in the grader's order.
 */
const BY_HAND: Record<number, Record<string, string>> = {
  1: {
    "announces-address": "server.ts 1 2",
    "logs-clients": "server.ts 3",
    "port-in-use": "server.ts 1",
    "client-refused": "client.ts 1",
    "time-line": "server.ts 4",
    "closes": "server.ts 4",
    "time-zone": "server.ts 4",
    "time-per-client": "server.ts 4",
    "many-clients": "server.ts 3",
    "client-ipv6": "client.ts 1",
    "client-unix": "client.ts 1",
  },
  2: {
    "prints-and-replies": "server.ts 1 2",
    "byte-by-byte": "lines.ts 1",
    "two-lines-one-write": "lines.ts 2",
    "crlf": "lines.ts 2",
    "utf8-split": "lines.ts 3",
    "invalid-utf8": "lines.ts 3",
    "line-limit": "lines.ts 2",
    "max-line": "lines.ts 2",
    "client-exit": "server.ts 3",
    "client-leaves": "server.ts 4",
    "server-exit": "server.ts 2",
    "console-closed": "server.ts 2",
    "ctrl-c": "server.ts 2",
    "client-both-at-once": "client.ts 1 2",
    "client-one-shot": "client.ts 3",
    "client-dribbled-reply": "client.ts 1",
    "client-two-replies": "client.ts 1",
    "client-server-exit": "client.ts 1",
    "client-server-closes": "client.ts 1",
    "client-types-exit": "client.ts 2",
    "client-half-close": "client.ts 2",
    "client-timeout": "client.ts 3",
    "client-sends-all": "lines.ts 4",
    "long-line": "lines.ts 1",
    "mid-line": "lines.ts 1",
    "console-idle": "server.ts 2",
    "client-server-resets": "client.ts 1",
  },
  3: {
    "names": "server.ts 2",
    "order-per-sender": "server.ts 3 4",
    "console-end": "server.ts 8",
    "reset-mid-line": "server.ts 7",
    "client-server-resets": "client.ts 1",
  },
  4: {
    "tcp-echo-opening": "server.ts 1",
    "udp-peers": "server.ts 2",
    "server-busy": "server.ts 1 2",
    "bulk-tcp": "bulk.ts 1",
  },
  5: {
    "asks-dns": "fetch.ts 1",
    "nxdomain": "fetch.ts 1",
    "dns-timeout": "fetch.ts 1",
    "dns-deadline": "fetch.ts 1",
    "timeout-per-step": "fetch.ts 1",
    "ip-literal": "fetch.ts 1",
    "post": "fetch.ts 2",
    "dribbled-body": "fetch.ts 4",
    "keep-alive": "fetch.ts 3",
    "until-close": "fetch.ts 3",
    "body-limit": "fetch.ts 3",
    "header-case": "fetch.ts 3",
    "no-body-statuses": "fetch.ts 3",
    "until-close-reconnects": "fetch.ts 3",
    "connection-close": "fetch.ts 3",
    "conflicting-framing": "fetch.ts 3",
    "chunked": "fetch.ts 5",
    "short-body": "fetch.ts 4 5",
    "redirects": "fetch.ts 6",
    "relative-location": "fetch.ts 6",
    "redirect-to-get": "fetch.ts 6",
    "redirect-keeps-post": "fetch.ts 6",
    "redirect-loop": "fetch.ts 6",
    "max-redirects": "fetch.ts 6",
  },
};

/** One TODO of a starter file. */
export interface Step {
  file: string;
  step: number;
}

const squash = (text: string) => text.replace(/\s+/g, " ");

/** The starter files with TODOs, in the order the lesson text first names them. */
function todoFiles(lesson: Lesson): string[] {
  const dir = lessonDir(lesson, "lessons");
  const text = Deno.readTextFileSync(`${dir}/README.md`);
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".ts") && /\btodo\(/.test(Deno.readTextFileSync(`${dir}/${e.name}`)))
    .map((e) => e.name);
  const at = (file: string) => {
    const i = text.indexOf(file);
    return i < 0 ? Infinity : i;
  };
  return files.sort((a, b) => at(a) - at(b) || a.localeCompare(b));
}

/** The TODO of `file` whose goal holds `quote` (the last todo() call before it), if any. */
function stepQuoting(lesson: Lesson, file: string, quote: string): number | undefined {
  let source: string;
  try {
    source = squash(Deno.readTextFileSync(`${lessonDir(lesson, "lessons")}/${file}`));
  } catch {
    return undefined;
  }
  const at = source.indexOf(squash(quote));
  if (at < 0) return undefined;
  let step: number | undefined;
  for (const call of source.matchAll(/todo\( ?import\.meta\.url, (\d+),/g)) {
    if (call.index! < at) step = Number(call[1]);
  }
  return step;
}

/**
 * The TODOs each check of `lesson` concerns: from the TODO goals its promise
 * table quotes, and from {@linkcode BY_HAND}.
 */
export function stepsOf(lesson: Lesson): Map<string, Step[]> {
  const steps = new Map<string, Step[]>();
  const add = (id: string, step: Step) => {
    const list = steps.get(id) ?? [];
    if (!list.some((s) => s.file === step.file && s.step === step.step)) list.push(step);
    steps.set(id, list);
  };
  for (const [id, text] of Object.entries(BY_HAND[lesson.number] ?? {})) {
    const [file, ...numbers] = text.split(" ");
    for (const n of numbers) add(id, { file, step: Number(n) });
  }
  for (const promise of lesson.promises ?? []) {
    for (const quote of quotesOf(promise)) {
      if (typeof quote.in !== "object" || !("todo" in quote.in)) continue;
      const step = stepQuoting(lesson, quote.in.todo, quote.says.en);
      if (step === undefined) continue;
      for (const id of promise.checks) add(id, { file: quote.in.todo, step });
    }
  }
  return steps;
}

/** "TODO 1 in lessons/02-messaging/lines.ts", "TODO 1 and 2 in …", joined by "; " across files. */
export function stepsText(lesson: Lesson, steps: Step[], lang: Lang): string {
  const files = [...new Set(steps.map((s) => s.file))];
  return files.map((file) => {
    const numbers = steps.filter((s) => s.file === file).map((s) => s.step).sort((a, b) => a - b);
    const and = lang === "ru" ? " и " : " and ";
    const list = numbers.length > 1 ? `${numbers.slice(0, -1).join(", ")}${and}${numbers.at(-1)}` : `${numbers[0]}`;
    return `TODO ${list} ${lang === "ru" ? "в" : "in"} lessons/${lesson.slug}/${file}`;
  }).join("; ");
}

/** The lesson's checks that have hints (not those of given code), in the order the learner meets their TODOs. */
export function hintOrder(lesson: Lesson): { check: Check; steps: Step[] }[] {
  const files = todoFiles(lesson);
  const steps = stepsOf(lesson);
  // A check is met once the last of its TODOs is written.
  const key = (list: Step[]) => Math.max(...list.map((s) => (files.indexOf(s.file) + 1) * 1000 + s.step));
  let previous = 0;
  const keyed = lesson.checks.filter((c) => c.covers !== "given").map((check, index) => {
    const own = steps.get(check.id) ?? [];
    if (own.length) previous = key(own);
    return { check, steps: own, key: own.length ? key(own) : previous, index };
  });
  return keyed.sort((a, b) => a.key - b.key || a.index - b.index).map(({ check, steps }) => ({ check, steps }));
}

/** The text `deno task hint` prints for hint `k` (from 1) of lesson `n`. */
export function hintText(n: number, k: number, lang: Lang): string {
  const lesson = lessons.find((l) => l.number === n);
  if (!lesson) throw new Error(`there is no lesson ${n}; lessons: ${lessons.map((l) => l.number).join(", ")}`);
  const ordered = hintOrder(lesson);
  if (k < 1 || k > ordered.length) throw new Error(`lesson ${n} has hints 1 to ${ordered.length}`);
  const { check, steps } = ordered[k - 1];
  const more = k < ordered.length
    ? (lang === "ru" ? `Следующая подсказка: deno task hint ${n} ${k + 1}` : `Next hint: deno task hint ${n} ${k + 1}`)
    : (lang === "ru" ? "Это последняя подсказка урока." : "That was the lesson's last hint.");
  const where = steps.length ? `${stepsText(lesson, steps, lang)}: ` : "";
  return [`${n}.${k} ${lesson.title[lang]}, ${where}${check.title[lang]} [${check.id}]`, "", check.hint[lang], "", more]
    .join("\n");
}

/** `deno task hint`'s command line. */
export const HINT_CLI = {
  name: "hint",
  about: {
    en: "A lesson's hints, one at a time, in the order you meet its TODOs.",
    ru: "Подсказки урока, по одной, в том порядке, в каком вы встречаете его TODO.",
  },
  usage: { en: "LESSON [NUMBER] [--lang en|ru]", ru: "УРОК [НОМЕР] [--lang en|ru]" },
  options: { lang: { type: "string" } },
  positionals: 2,
} satisfies Cli<ParseArgsOptionsConfig>;

if (import.meta.main) {
  const { positionals, lang } = parseCli(HINT_CLI);
  const [n, k = "1"] = positionals;
  if (!n) usageError(HINT_CLI, lang === "ru" ? "какой урок?" : "which lesson?", lang);
  if (!/^\d+$/.test(n) || !/^\d+$/.test(k)) {
    usageError(
      HINT_CLI,
      lang === "ru" ? `не номер: '${/^\d+$/.test(n) ? k : n}'` : `not a number: '${/^\d+$/.test(n) ? k : n}'`,
      lang,
    );
  }
  try {
    console.log(hintText(Number(n), Number(k), lang));
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    if (/^there is no lesson|has hints/.test(message)) usageError(HINT_CLI, message, lang);
    console.error(`hint: ${lang === "ru" ? "ошибка" : "error"}: ${message}`);
    Deno.exit(1);
  }
}
