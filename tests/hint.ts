/**
 * `deno task hint N [K]`: lesson N's hints, one at a time, in the order the
 * grader meets its checks. A hint points at the idea, never at the code; the
 * next one is a command away. `--lang ru` (or a Russian LANG/LC_ALL) shows
 * them in Russian.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { lessons } from "./checks/mod.ts";

import { language } from "./harness/text.ts";

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

if (import.meta.main) {
  try {
    const { values, positionals } = parseArgs({
      args: Deno.args,
      options: { lang: { type: "string" } },
      allowPositionals: true,
    });
    const [n, k = "1"] = positionals;
    if (!n || !/^\d+$/.test(n) || !/^\d+$/.test(k)) {
      throw new Error("usage: deno task hint LESSON [NUMBER] [--lang en|ru]");
    }
    console.log(hintText(Number(n), Number(k), language(values.lang, (name) => Deno.env.get(name))));
  } catch (error) {
    console.error(`hint: ${(error as Error).message.split(". ")[0]}`);
    Deno.exit(2);
  }
}
