/**
 * The proof that the graders grade: every check passes on the reference
 * solutions, every lesson fails on its untouched starters, every known
 * mistake is caught by the check meant for it with the message it promises,
 * and every correct variant in another style or other words passes every
 * check. Same check lists, same runner as `deno task grade`. Each lesson's
 * proof is registered by its own file, `tests/lessons/NN_test.ts`, so that
 * `deno test --parallel` runs lessons side by side.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Lesson } from "./harness/check.ts";
import { buildVariant, lessonDir } from "./harness/course.ts";
import { type Result, type Run, runChecks } from "./harness/check.ts";
import { readManifest, touched } from "./starters.ts";
import { textIn } from "./harness/text.ts";

function explain(result: Result): string {
  return [
    `${result.check.id}: ${result.status}${result.message ? `: ${result.message.en}` : ""}`,
    result.message ? `(ru: ${result.message.ru})` : "",
    result.expected ? `expected: ${textIn(result.expected, "en")}` : "",
    result.actual ? `actual:   ${textIn(result.actual, "en")}` : "",
    ...result.transcript,
  ].filter(Boolean).join("\n");
}

const manifest = readManifest();

/** A Bilingual spliced into a template by mistake prints as "[object Object]"; no message may hold one. */
function assertWellWritten(result: Result): void {
  const texts = [result.message, result.expected, result.actual].flatMap((t) =>
    t === undefined ? [] : typeof t === "string" ? [t] : [t.en, t.ru]
  );
  for (const text of texts) assert.doesNotMatch(text, /\[object Object\]|undefined/, explain(result));
}

/** Registers the proof of `lesson`'s grader as Deno tests. */
export async function proveLesson(lesson: Lesson): Promise<void> {
  const name = `lesson ${lesson.number} (${lesson.slug})`;
  const all = (dir: string): Run[] => lesson.checks.map((check) => ({ lesson, check, dir }));

  Deno.test(`${name}: the reference passes every check`, async (t) => {
    const results = await runChecks(all(lessonDir(lesson, "solutions")));
    for (const result of results) {
      await t.step(result.check.id, () => assert.notEqual(result.status, "failed", explain(result)));
    }
  });

  Deno.test({
    name: `${name}: the untouched starters fail every check (but those of given code), showing the TODO`,
    // Only while the lesson is as given (tests/starters.json): a learner's work in progress skips this proof. The
    // course's own CI requires every lesson as given (reset_test.ts), so there it always runs.
    ignore: (await touched(lesson, manifest)).length > 0,
    async fn(t) {
      const results = await runChecks(all(lessonDir(lesson, "lessons")));
      for (const result of results) {
        await t.step(result.check.id, () => {
          if (result.status === "skipped") return;
          if (result.check.covers === "given") return assert.equal(result.status, "passed", explain(result));
          assert.equal(result.status, "failed", explain(result));
          assert.match(result.message?.en ?? "", /not done yet: TODO \d+ in lessons\//, explain(result));
          assertWellWritten(result);
        });
      }
    },
  });

  Deno.test({
    name: `${name}: every known mistake is rejected by its check, with a message that names it`,
    ignore: lesson.variants.length === 0,
    async fn(t) {
      const runs: Run[] = [];
      for (const variant of lesson.variants) {
        const check = lesson.checks.find((c) => c.id === variant.rejectedBy);
        assert.ok(check, `variant ${variant.id} names an unknown check ${variant.rejectedBy}`);
        runs.push({ lesson, check, dir: await buildVariant(lesson, variant) });
      }
      const results = await runChecks(runs);
      for (const [i, variant] of lesson.variants.entries()) {
        await t.step(`${variant.id}: ${variant.mistake}`, () => {
          const result = results[i];
          assert.equal(result.status, "failed", explain(result));
          assert.match(result.message?.en ?? "", variant.message, explain(result));
          assert.ok(
            result.message?.ru && result.message.ru !== result.message.en,
            `no Russian message\n${explain(result)}`,
          );
          assertWellWritten(result);
        });
      }
    },
  });

  for (const accepted of lesson.accepted ?? []) {
    Deno.test(`${name}: a correct variant passes every check: ${accepted.differs}`, async (t) => {
      const results = await runChecks(all(await buildVariant(lesson, accepted)));
      for (const result of results) {
        await t.step(result.check.id, () => assert.notEqual(result.status, "failed", explain(result)));
      }
    });
  }
}
