/**
 * `deno task hint N [K]`: lesson N's hints, one at a time, in the order the
 * grader meets its checks. A hint points at the idea, never at the code; the
 * next one is a command away. `--lang ru` (or a Russian LANG/LC_ALL) shows
 * them in Russian.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import { lessons } from "./checks/mod.ts";

/** The text `deno task hint` prints for hint `k` (from 1) of lesson `n`. */
export function hintText(n: number, k: number, lang: "en" | "ru"): string {
  const lesson = lessons.find((l) => l.number === n);
  if (!lesson) throw new Error(`there is no lesson ${n}; lessons: ${lessons.map((l) => l.number).join(", ")}`);
  const checks = lesson.checks.filter((c) => c.covers !== "given");
  if (k < 1 || k > checks.length) throw new Error(`lesson ${n} has hints 1 to ${checks.length}`);
  const check = checks[k - 1];
  const more = k < checks.length
    ? (lang === "ru" ? `Следующая подсказка: deno task hint ${n} ${k + 1}` : `Next hint: deno task hint ${n} ${k + 1}`)
    : (lang === "ru" ? "Это последняя подсказка урока." : "That was the lesson's last hint.");
  const title = lang === "ru" ? lesson.title.ru : lesson.title.en;
  return [`${n}.${k} ${title}: ${check.title[lang]} [${check.id}]`, "", check.hint[lang], "", more].join("\n");
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
    usageError(HINT_CLI, (error as Error).message, lang);
  }
}
