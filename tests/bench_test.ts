/**
 * Lesson 1's benchmark judges the reference's CPU per connection against a
 * bare loop measured in the same run, not against a fixed number of µs: a
 * busy machine (44.7 µs per connection measured while other work ran, over
 * the old 40 µs budget) makes both dearer alike. The figures here are what a
 * run hands to the judgement; the run itself is `deno task bench`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CPU_RATIO, DEFAULT_BACKLOG, judgeLesson1 } from "./bench.ts";

const options = { backlog: DEFAULT_BACKLOG, timeoutMs: 3000 };

Deno.test("bench, lesson 1: a busy machine's dearer figure passes when the bare loop was as dear in the same run", () => {
  assert.deepEqual(judgeLesson1(options, { perConnectionUs: 44.7, barePerConnectionUs: 41.2, hung: 0 }), []);
  assert.deepEqual(judgeLesson1(options, { perConnectionUs: 87.6, barePerConnectionUs: 84.2, hung: 0 }), []);
});

Deno.test(`bench, lesson 1: over ${CPU_RATIO} times the bare loop's CPU fails, naming both figures`, () => {
  const [failure, ...more] = judgeLesson1(options, { perConnectionUs: 40, barePerConnectionUs: 33, hung: 0 });
  assert.deepEqual(more, []);
  assert.match(failure, /40\.0 µs of CPU per connection, 1\.21 times the bare loop's 33\.0 µs \(at most 1\.15\)/);
  // No bare figure (no connection measured) is no pass.
  assert.equal(judgeLesson1(options, { perConnectionUs: 40, barePerConnectionUs: NaN, hung: 0 }).length, 1);
});

Deno.test("bench, lesson 1: hung connections fail at the default backlog; another backlog is an experiment", () => {
  assert.match(judgeLesson1(options, { perConnectionUs: 30, barePerConnectionUs: 30, hung: 2 })[0], /^2 connection/);
  assert.deepEqual(
    judgeLesson1({ ...options, backlog: 2 }, { perConnectionUs: 90, barePerConnectionUs: 30, hung: 45 }),
    [],
  );
});
