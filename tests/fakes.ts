/**
 * Stand-ins for the tests of the grader's reports (the progress table, the
 * results JSON, the due verdict): a lesson, a check and a result with only
 * the fields those reports read. Part of the course's suite, not of the
 * learner edition.
 *
 * @module
 */
import type { Check, Lesson, Result } from "./harness/check.ts";

/** A check that does nothing, titled by its id; `covers: "given"` makes it a check of code the course gives. */
export function fakeCheck(id: string, covers?: "given"): Check {
  return { id, title: { en: id, ru: id }, hint: { en: "", ru: "" }, covers, run: async () => {} };
}

/** Lesson `number`, in folder `0N-x`, titled `LN`, with no checks or variants of its own. */
export function fakeLesson(number: number): Lesson {
  return { number, slug: `0${number}-x`, title: { en: `L${number}`, ru: "" }, checks: [], variants: [] };
}

/** `check` ended with `status`, in no time and with nothing on record. */
export function fakeResult(check: Check, status: Result["status"]): Result {
  return { check, status, transcript: [], ms: 0 };
}
