/**
 * The GitHub Actions workflow for a course fork cannot run here, so this
 * checks what can be checked: it is valid YAML of the expected shape, and
 * every `deno task` it runs exists. Plus the summary table it writes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ROOT } from "./harness/course.ts";
import { type ResultsJson, toMarkdown } from "./report.ts";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
}

Deno.test(".github/workflows/grade.yml: valid YAML, the expected steps, and only tasks that exist", async () => {
  const workflow = parse(await Deno.readTextFile(`${ROOT}/.github/workflows/grade.yml`));
  const tasks = Object.keys(JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks);
  const steps: Step[] = workflow.jobs.grade.steps;
  const uses = steps.flatMap((s) => s.uses ? [s.uses.split("@")[0]] : []);
  assert.deepEqual(uses, ["actions/checkout", "denoland/setup-deno", "actions/upload-artifact"]);
  assert.ok(workflow.on.push !== undefined, "runs on push");
  const runs = steps.flatMap((s) => s.run ? [s.run] : []);
  const called = runs.flatMap((run) => [...run.matchAll(/deno task ([\w-]+)/g)].map((m) => m[1]));
  assert.deepEqual(called, ["grade", "summary"]);
  for (const task of called) assert.ok(tasks.includes(task), `deno.json has no task ${task}`);
  assert.match(runs.join("\n"), /--json results\/results\.json --junit results\/junit\.xml/);
  assert.match(runs.join("\n"), /\$GITHUB_STEP_SUMMARY/);
});

Deno.test("the summary: a row per lesson with the grader's status, checks and points, then the total", () => {
  const json: ResultsJson = {
    version: 2,
    status: "fail",
    points: { earned: 4, possible: 7 },
    lessons: [
      { number: 1, slug: "01-a", title: "A", points: { earned: 3, possible: 3 } },
      { number: 2, slug: "02-b", title: "B", points: { earned: 0, possible: 2 } },
      // What the grader writes now: the status it gave (here only a given part passed, so not started).
      { number: 3, slug: "03-c", title: "C", status: "not started", points: { earned: 1, possible: 2 } },
    ],
    tests: [
      ...[1, 2, 3].map((i) => ({
        name: `t${i}`,
        lesson: 1,
        id: `t${i}`,
        status: "pass" as const,
        message: null,
        output: null,
        points: { earned: 1, possible: 1 },
      })),
      ...[4, 5].map((i) => ({
        name: `t${i}`,
        lesson: 2,
        id: `t${i}`,
        status: "fail" as const,
        message: "no",
        output: null,
        points: { earned: 0, possible: 1 },
      })),
      ...([["t6", "pass"], ["t7", "fail"]] as const).map(([id, status]) => ({
        name: id,
        lesson: 3,
        id,
        status,
        message: null,
        output: null,
        points: { earned: status === "pass" ? 1 : 0, possible: 1 },
      })),
    ],
  };
  assert.equal(
    toMarkdown(json),
    [
      "## Grading",
      "",
      "| Lesson | Status | Checks passed | Points |",
      "| --- | --- | ---: | ---: |",
      "| ✅ 1. A | done | 3 / 3 | 3 / 3 |",
      "| ⬜ 2. B | not started | 0 / 2 | 0 / 2 |",
      "| ⬜ 3. C | not started | 1 / 2 | 1 / 2 |",
      "| **Total** | | | **4 / 7** |",
      "",
    ].join("\n"),
  );
});
