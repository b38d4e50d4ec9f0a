/**
 * The proof that the graders grade: every check passes on the reference
 * solutions, every lesson fails on its untouched starters, and every known
 * mistake is caught by the check meant for it, with the message it promises.
 * Same check lists, same runner as `deno task grade`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { buildVariant, lessonDir } from "./harness/course.ts";
import { type Result, runCheck } from "./harness/check.ts";
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

for (const lesson of lessons) {
  const name = `lesson ${lesson.number} (${lesson.slug})`;

  Deno.test(`${name}: the reference passes every check`, async (t) => {
    for (const check of lesson.checks) {
      await t.step(check.id, async () => {
        const result = await runCheck(lesson, check, lessonDir(lesson, "solutions"));
        assert.notEqual(result.status, "failed", explain(result));
      });
    }
  });

  Deno.test({
    name: `${name}: the untouched starters fail every check (but those of given code), showing the TODO`,
    // Only while the lesson is as given (tests/starters.json): a learner's work in progress skips this proof. The
    // course's own CI requires every lesson as given (reset_test.ts), so there it always runs.
    ignore: (await touched(lesson, manifest)).length > 0,
    async fn(t) {
      for (const check of lesson.checks) {
        await t.step(check.id, async () => {
          const result = await runCheck(lesson, check, lessonDir(lesson, "lessons"));
          if (result.status === "skipped") return;
          if (check.covers === "given") return assert.equal(result.status, "passed", explain(result));
          assert.equal(result.status, "failed", explain(result));
          assert.match(result.message?.en ?? "", /not done yet: TODO \d+ in lessons\//, explain(result));
          assertWellWritten(result);
        });
      }
    },
  });

  for (const variant of lesson.variants) {
    Deno.test(`${name}: rejects a known mistake: ${variant.mistake}`, async () => {
      const check = lesson.checks.find((c) => c.id === variant.rejectedBy);
      assert.ok(check, `variant ${variant.id} names an unknown check ${variant.rejectedBy}`);
      const result = await runCheck(lesson, check, await buildVariant(lesson, variant));
      assert.equal(result.status, "failed", explain(result));
      assert.match(result.message?.en ?? "", variant.message, explain(result));
      assert.ok(
        result.message?.ru && result.message.ru !== result.message.en,
        `no Russian message\n${explain(result)}`,
      );
    });
  }
}
