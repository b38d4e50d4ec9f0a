/**
 * `deno task promises` (contributors): writes each lesson text's section
 * "What the grader checks" (README.md and README.ru.md) from the lesson's
 * check list and promise table, in place, or at the end when the text has
 * none yet. The suite fails while a section differs from what this writes.
 *
 * @module
 */
import { lessons } from "./checks/mod.ts";
import { lessonDir } from "./harness/course.ts";
import { formatMarkdown, graderSection, splitAtSection } from "./harness/promises.ts";

if (Deno.args.includes("--help")) {
  console.log("usage: deno task promises   (writes the 'What the grader checks' section of every lesson text)");
  Deno.exit(0);
}
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
