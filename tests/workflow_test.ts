/**
 * The GitHub Actions workflow for a course fork cannot run here, so this
 * checks what can be checked: it is valid YAML of the expected shape, and
 * every `deno task` it runs exists. Plus the summary table it writes.
 *
 * @module
 */
import assert from "node:assert/strict";
// Named here, not in deno.json's import map: `deno task` installs whatever that map (or a lock file) names before
// any task runs, so a package there would stop every learner's task without the npm registry. Only this test needs it.
// deno-lint-ignore no-import-prefix
import { parse } from "npm:yaml@2.8.1";
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
      { number: 3, slug: "03-c", title: "C", progress: "not started", points: { earned: 1, possible: 2 } },
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

Deno.test("the learner edition's workflow: the course at a pinned commit, a step per lesson, the due list from a variable", async () => {
  const { learnerWorkflow } = await import("./edition.ts");
  const { lessons } = await import("./checks/mod.ts");
  const workflow = parse(learnerWorkflow("https://example.org/t/course.git", "v1"));
  const job = workflow.jobs.grade;
  assert.equal(job.env.COURSE_REPO, "${{ vars.COURSE_REPO || 'https://example.org/t/course.git' }}");
  assert.equal(job.env.COURSE_REF, "${{ vars.COURSE_REF || 'v1' }}");
  assert.match(job.env.COURSE_DUE, /vars\.COURSE_DUE/);
  const steps: (Step & { name?: string; id?: string; with?: Record<string, string> })[] = job.steps;
  assert.deepEqual(steps.flatMap((s) => s.uses ? [s.uses.split("@")[0]] : []), [
    "actions/checkout",
    "denoland/setup-deno",
    "actions/upload-artifact",
  ]);
  // The learner's repository goes inside the course's, where the course's grade task may read it.
  assert.equal(steps.find((s) => s.uses?.startsWith("actions/checkout"))!.with!.path, "course/learner");
  const fetch = steps[0].run!;
  assert.match(fetch, /git -C course fetch -q --depth 1 "\$COURSE_REPO" "\$COURSE_REF"/);
  // One step per lesson, named for it, grading the learner's lessons/ with the course's graders.
  const perLesson = steps.filter((s) => s.id?.startsWith("lesson-"));
  assert.deepEqual(perLesson.map((s) => s.name), lessons.map((l) => `Lesson ${l.number}: ${l.title.en}`));
  for (const [i, step] of perLesson.entries()) {
    assert.match(step.run!, new RegExp(`^deno task grade ${lessons[i].number} --lessons learner/lessons --json `));
  }
  // The summary and the gate: the class report over the lessons' results; only COURSE_DUE's lessons can fail the job.
  assert.match(steps.at(-1)!.run!, /^deno task class-report results\/lesson-\*\.json --require "\$COURSE_DUE"$/);
  assert.ok(perLesson.every((s) => (s as { "continue-on-error"?: boolean })["continue-on-error"] === true));
  const tasks = Object.keys(JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks);
  for (const run of steps.flatMap((s) => s.run ? [s.run] : [])) {
    for (const [, task] of run.matchAll(/deno task ([\w-]+)/g)) assert.ok(tasks.includes(task), `no task ${task}`);
  }

  // The fetch step, run here against this checkout at its commit (git only; its lines are git commands).
  const head = await new Deno.Command("git", {
    args: ["-C", ROOT, "rev-parse", "HEAD"],
    stdout: "piped",
    stderr: "null",
    signal: AbortSignal.timeout(30_000),
  })
    .output();
  if (!head.success) {
    console.log("skipped: the fetch step's run (this copy of the course is not a git checkout)");
    return;
  }
  const commit = new TextDecoder().decode(head.stdout).trim();
  const work = await Deno.makeTempDir({ dir: "/tmp", prefix: "workflow-" });
  try {
    const env = { COURSE_REPO: `file://${ROOT}`, COURSE_REF: commit };
    for (const line of fetch.trim().split("\n").filter((l) => l.startsWith("git "))) {
      const args = line.split(/\s+/).slice(1).map((word) =>
        word.replace(/^"\$(\w+)"$/, (_, name: keyof typeof env) => env[name])
      );
      const out = await new Deno.Command("git", {
        args,
        cwd: work,
        stdout: "null",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      assert.ok(out.success, `${line}: ${new TextDecoder().decode(out.stderr)}`);
    }
    const fetched = await new Deno.Command("git", {
      args: ["-C", `${work}/course`, "rev-parse", "HEAD"],
      stdout: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    assert.equal(new TextDecoder().decode(fetched.stdout).trim(), commit);
    await Deno.stat(`${work}/course/tests/grade.ts`);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
