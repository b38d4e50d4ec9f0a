/**
 * The promise tables hold: each lesson's promises are quoted where its text,
 * starters, `--help` or the program contract make them; each is proved by
 * checks that exist (or says why not); each check and each flag is in the
 * table; each graded promise has a known-wrong variant; and the lesson text's
 * "What the grader checks" section is the one the table renders.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { lessonDir } from "./harness/course.ts";
import { formatMarkdown, graderSection, splitAtSection, tableProblems } from "./harness/promises.ts";

for (const lesson of lessons) {
  const name = `lesson ${lesson.number}`;
  Deno.test({
    name:
      `${name}: every promise is quoted where it is made and proved by its checks; every check and flag is in the table`,
    async fn() {
      const problems = await tableProblems(lesson);
      assert.deepEqual(problems, [], `the promise table of lesson ${lesson.number}:\n${problems.join("\n")}`);
    },
  });

  Deno.test({
    name: `${name}: the lesson text's "What the grader checks" is the table's, in English and Russian`,
    ignore: !lesson.promises,
    async fn() {
      for (const lang of ["en", "ru"] as const) {
        const file = `${lessonDir(lesson, "lessons")}/${lang === "ru" ? "README.ru.md" : "README.md"}`;
        const [, section] = splitAtSection(await Deno.readTextFile(file));
        const rendered = await formatMarkdown(await graderSection(lesson, lang));
        assert.equal(section.trimEnd(), rendered.trimEnd(), `${file}: run deno task promises`);
      }
    },
  });
}
