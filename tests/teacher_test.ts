/**
 * Homework a teacher can trust: another checkout's lessons graded with this
 * course's graders and permissions (`--lessons`), only the due lessons
 * deciding the exit code (`--require`), no points for given code, and results
 * that say whose work they are.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { lessonTask, ROOT, runTask } from "./harness/course.ts";
import type { ResultsJson } from "./report.ts";
import { dueVerdict, failedDue } from "./grade.ts";
import { repositoryOf } from "./work.ts";
import { fakeCheck, fakeLesson, fakeResult } from "./fakes.ts";
import type { Result } from "./harness/check.ts";

const [one, two] = lessons;

/** A learner's checkout in /tmp: lesson 1 as the reference solves it (copied), lesson 2 as given; a git repository. */
async function checkout(): Promise<string> {
  const root = await Deno.makeTempDir({ dir: "/tmp", prefix: "learner-" });
  for (const [side, lesson] of [["solutions", one], ["lessons", two]] as const) {
    await Deno.mkdir(`${root}/lessons/${lesson.slug}`, { recursive: true });
    for await (const entry of Deno.readDir(`${ROOT}/${side}/${lesson.slug}`)) {
      if (entry.isFile && entry.name.endsWith(".ts")) {
        await Deno.copyFile(
          `${ROOT}/${side}/${lesson.slug}/${entry.name}`,
          `${root}/lessons/${lesson.slug}/${entry.name}`,
        );
      }
    }
  }
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args: ["-C", root, "-c", "user.name=Ann", "-c", "user.email=ann@example.org", ...args],
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  };
  await git("init", "-q");
  await git("remote", "add", "origin", "https://ann:s3cret@github.com/ann/net-course.git");
  await git("add", ".");
  await git("commit", "-q", "-m", "my work");
  return root;
}

Deno.test("deno.json's lesson-N and solution-N tasks grant exactly the permissions the graders launch with", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks;
  for (const lesson of lessons) {
    assert.equal(tasks[`lesson-${lesson.number}`].command, lessonTask(lesson), `task lesson-${lesson.number}`);
    assert.equal(tasks[`solution-${lesson.number}`].command, lessonTask(lesson, "solutions"));
  }
});

Deno.test("grade --lessons --require 1: lesson 1 passes, lesson 2 untouched is reported, not failed; the JSON says whose work", async () => {
  const root = await checkout();
  try {
    const json = `${root}/results/results.json`; // a folder not there yet, as results/ in a fresh CI checkout
    const out = await runTask("grade", ["1", "2", "--lessons", `${root}/lessons`, "--require", "1", "--json", json]);
    assert.equal(out.code, 0, out.stdout.slice(-2000));
    assert.match(out.stdout, /due: lessons 1; all pass; the others \(2\) are reported, not failed\./);
    const results: ResultsJson = JSON.parse(await Deno.readTextFile(json));
    assert.equal(results.status, "pass");
    assert.deepEqual(results.required, [1]);
    assert.deepEqual(results.lessons.map((l) => [l.number, l.status, l.due]), [[1, "pass", true], [2, "fail", false]]);
    // Given code is reported but earns nothing: the untouched lesson 2 passes its given checks and scores 0.
    const given = results.tests.filter((t) => t.lesson === 2 && t.given);
    assert.ok(given.length > 0 && given.every((t) => t.status === "pass" && t.points.possible === 0), "given checks");
    assert.deepEqual(results.lessons[1].points, { earned: 0, possible: two.checks.length - given.length });
    assert.deepEqual(results.lessons[0].points, { earned: one.checks.length, possible: one.checks.length });
    // Whose work: the learner's repository (credentials dropped), owner and commit; when; the course's commit.
    const work = results.work!;
    assert.equal(work.repository, "github.com/ann/net-course");
    assert.equal(work.owner, "ann");
    assert.match(work.commit ?? "", /^[0-9a-f]{40}$/);
    assert.equal(work.uncommitted, false);
    assert.ok(Math.abs(Date.parse(work.time) - Date.now()) < 120_000, work.time);
    assert.match(work.course.commit ?? "", /^[0-9a-f]{40}$/);
    assert.ok(!JSON.stringify(results).includes("s3cret"));

    const both = await runTask("grade", ["1", "2", "--lessons", `${root}/lessons`, "--require", "1,2"]);
    assert.equal(both.code, 1, "lesson 2 is due and fails");
    assert.match(both.stdout, /due: lessons 1, 2; failing: 2;/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("grade --lessons: the course's permissions, never the graded checkout's deno.json or tests/", async () => {
  const root = await checkout();
  try {
    // The learner's programs read a file, which the course does not allow; their own deno.json allows everything,
    // and their tests/ is emptied. The grader must launch them with the course's permissions all the same.
    const server = `${root}/lessons/${one.slug}/server.ts`;
    await Deno.writeTextFile(server, `Deno.readTextFileSync("/etc/hostname");\n${await Deno.readTextFile(server)}`);
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
    for (const lesson of lessons) {
      config.tasks[`lesson-${lesson.number}`] = `deno run --allow-all lessons/${lesson.slug}/main.ts`;
    }
    await Deno.writeTextFile(`${root}/deno.json`, JSON.stringify(config, null, 2));
    await Deno.mkdir(`${root}/tests/checks`, { recursive: true });
    await Deno.writeTextFile(`${root}/tests/checks/mod.ts`, "export const lessons = [];\n");
    const out = await runTask("grade", ["1", "--lessons", `${root}/lessons`, "--all"]);
    assert.equal(out.code, 1, out.stdout.slice(-2000));
    assert.match(out.stdout, /Requires read access to "\/etc\/hostname"|NotCapable/);
    // Its own task would have run it: the permission is the only difference.
    assert.match(out.stdout, /--allow-net=127\.0\.0\.1,\[::1\],localhost,unix:\/tmp\/deno-course-01\.sock/);
    assert.doesNotMatch(out.stdout, /--allow-all/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("--lessons and --require: bad values are one-line usage errors", async () => {
  const missing = await runTask("grade", ["1", "--lessons", "/tmp/no-such-checkout/lessons"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--lessons \/tmp\/no-such-checkout\/lessons: there is no folder 01-time-server in it/);
  const outside = await runTask("grade", ["1", "--require", "2"]);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /--require takes lesson numbers being graded.*'2' is not one/);
  assert.doesNotMatch(missing.stderr + outside.stderr, /^\s+at /m);
});

Deno.test("the due verdict: only due lessons fail the run", () => {
  const result = (status: Result["status"]) => fakeResult(fakeCheck("c"), status);
  const graded = [
    { lesson: fakeLesson(1), results: [result("passed"), result("skipped")] },
    { lesson: fakeLesson(2), results: [result("failed")] },
    { lesson: fakeLesson(3), results: [result("failed")] },
  ];
  assert.deepEqual(failedDue(graded, [1]), []);
  assert.deepEqual(failedDue(graded, [1, 2]), [2]);
  assert.deepEqual(failedDue(graded, []), []);
  assert.equal(dueVerdict(graded, [1]), "due: lessons 1; all pass; the others (2, 3) are reported, not failed.");
  assert.equal(
    dueVerdict(graded, [1, 2, 3], "ru"),
    "к сдаче: уроки 1, 2, 3; не пройдены: 2, 3; остальные (-) показаны, но не в счёт.",
  );
});

Deno.test("a remote's URL: the repository without credentials, and its owner", () => {
  assert.deepEqual(repositoryOf("https://ann:tok@github.com/ann/net.git"), {
    repository: "github.com/ann/net",
    owner: "ann",
  });
  assert.deepEqual(repositoryOf("git@github.com:bob/course.git"), {
    repository: "github.com/bob/course",
    owner: "bob",
  });
  assert.deepEqual(repositoryOf("/srv/git/course"), { repository: "srv/git/course", owner: null });
});

Deno.test("results JSON: given checks are reported and earn nothing; with due lessons, only they decide the status", async () => {
  const { toResultsJson } = await import("./report.ts");
  const graded = [
    {
      lesson: fakeLesson(1),
      results: [fakeResult(fakeCheck("given", "given"), "passed"), fakeResult(fakeCheck("own"), "passed")],
    },
    {
      lesson: fakeLesson(2),
      results: [fakeResult(fakeCheck("given2", "given"), "passed"), fakeResult(fakeCheck("todo"), "failed")],
    },
  ];
  const all = toResultsJson(graded);
  assert.equal(all.status, "fail");
  assert.deepEqual(all.points, { earned: 1, possible: 2 });
  assert.deepEqual(all.tests.map((t) => [t.id, t.status, t.points.possible, t.given ?? false]), [
    ["given", "pass", 0, true],
    ["own", "pass", 1, false],
    ["given2", "pass", 0, true],
    ["todo", "fail", 1, false],
  ]);
  assert.equal(all.required, undefined);
  const due = toResultsJson(graded, { due: [1] });
  assert.equal(due.status, "pass");
  assert.deepEqual(due.lessons.map((l) => [l.number, l.status, l.due]), [[1, "pass", true], [2, "fail", false]]);
  assert.equal(toResultsJson(graded, { due: [1, 2] }).status, "fail");
});
