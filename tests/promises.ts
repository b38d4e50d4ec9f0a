/**
 * `deno task promises` (contributors): writes each lesson text's section
 * "What the grader checks" (README.md and README.ru.md) from the lesson's
 * check list and promise table, in place, or at the end when the text has
 * none yet. The suite fails while a section differs from what this writes.
 *
 * @module
 */
import { lessons } from "./checks/mod.ts";
import { parseCli } from "./cli.ts";
import { lessonDir } from "./harness/course.ts";
import { formatMarkdown, graderSection, splitAtSection } from "./harness/promises.ts";

parseCli({
  name: "promises",
  about: {
    en:
      "Contributors: writes the 'What the grader checks' section of every lesson text (EN, RU) from its checks and promise table.",
    ru:
      "Для авторов: пишет раздел «Что проверяет `deno task grade N`» каждого текста урока (EN, RU) по его проверкам и таблице обещаний.",
  },
  usage: { en: "[--lang en|ru]", ru: "[--lang en|ru]" },
  options: { lang: { type: "string" } },
});
for (const lesson of lessons) {
  if (!lesson.promises) continue;
  for (const lang of ["en", "ru"] as const) {
    const path = `${lessonDir(lesson, "lessons")}/${lang === "ru" ? "README.ru.md" : "README.md"}`;
    const [before, , after] = splitAtSection(await Deno.readTextFile(path));
    const section = await graderSection(lesson, lang);
    const text = await formatMarkdown(`${before.trimEnd()}\n\n${section}${after ? `\n${after}` : ""}`);
    await Deno.writeTextFile(path, text);
    console.log(`wrote ${path}`);
  }
}
