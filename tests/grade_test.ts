/**
 * The grader's integrity rule: learner code that imports the reference or the
 * grader is not graded.
 *
 * @module
 */
import assert from "node:assert/strict";
import { firstDifferingColumn, forbiddenImports, progress } from "./grade.ts";
import { fakeCheck, fakeLesson, fakeResult } from "./fakes.ts";
import type { Check, Lesson, Result } from "./harness/check.ts";

Deno.test("imports from solutions/ or tests/ are found; the course's own imports are not", async () => {
  const dir = await Deno.makeTempDir({ dir: "/tmp" });
  try {
    await Deno.writeTextFile(
      `${dir}/server.ts`,
      [
        'import { formatAddr } from "@course/program.ts";',
        'import { LineReader } from "./lines.ts";',
        'import { runServer } from "../../solutions/02-messaging/server.ts";',
        'const peer = await import("../../tests/harness/socket.ts");',
        "// a comment about solutions/ is fine",
      ].join("\n"),
    );
    await Deno.writeTextFile(`${dir}/notes.md`, 'import x from "../../solutions/x.ts"');
    assert.deepEqual(await forbiddenImports(dir), [
      'server.ts:3: import { runServer } from "../../solutions/02-messaging/server.ts";',
      'server.ts:4: const peer = await import("../../tests/harness/socket.ts");',
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the lessons as shipped import nothing forbidden", async () => {
  for await (const entry of Deno.readDir(new URL("../lessons/", import.meta.url))) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    const dir = decodeURIComponent(new URL(`../lessons/${entry.name}`, import.meta.url).pathname);
    assert.deepEqual(await forbiddenImports(dir), [], entry.name);
  }
});

Deno.test("the progress table: not started, in progress, done, and the one next step", () => {
  const result = (id: string, status: Result["status"], covers?: "given") => fakeResult(fakeCheck(id, covers), status);
  const lines = progress([
    { lesson: fakeLesson(1), results: [result("a", "passed"), result("b", "skipped")] },
    { lesson: fakeLesson(2), results: [result("c", "passed"), result("d", "failed")] },
    { lesson: fakeLesson(3), results: [result("e", "passed", "given"), result("f", "failed")] },
  ]); // no colour: the tests' stdout is not a terminal
  assert.match(lines[1], /lesson 1 +done +1\/1 checks/);
  assert.match(lines[2], /lesson 2 +in progress +1\/2 checks/);
  assert.match(lines[3], /lesson 3 +not started +1\/2 checks/);
  assert.match(lines[4], /^Next: lesson 2, "d" \[d\]: read lessons\/02-x\/README\.md, then deno task grade 2\.$/);
});

Deno.test("the report points at the first byte where expected and actual part", () => {
  assert.equal(firstDifferingColumn('"12:00Z\\n"', '"12:00Z\\r\\n"'), 8);
  assert.equal(firstDifferingColumn('"abc"', '"abd"; byte 2 is the first to differ'), 3);
  assert.equal(firstDifferingColumn('"abc"', '"abc"; and then nothing'), undefined);
  assert.equal(firstDifferingColumn("3 lines", '"abc"'), undefined);
  assert.equal(firstDifferingColumn('"abc" and exit code 0', '""; code 1'), undefined);
});

Deno.test("the report in Russian: --lang ru turns the grader's own words, the check titles and messages", async () => {
  const { runTask } = await import("./harness/course.ts");
  const { lessons } = await import("./checks/mod.ts");
  const { stdout } = await runTask("grade", ["1", "--lang", "ru"]);
  // Lesson 1 as it stands: the starters fail (the suite's CI) or a learner's work passes; either way the frame is Russian.
  assert.ok(stdout.includes(`урок 1: ${lessons[0].title.ru}`), stdout);
  assert.match(stdout, /пройдено проверок: \d+ из \d+/);
  assert.ok(stdout.includes(lessons[0].checks[0].title.ru), stdout);
  assert.doesNotMatch(stdout, /checks passed|expected:|what happened/);
  // An unfinished step is named in Russian too: the grader asks the program for its goals in the report's language.
  if (stdout.includes("ещё не сделано")) {
    assert.match(stdout, /ещё не сделано: TODO \d+ в lessons\/01-time-server\/\S+: [^a-z]*[а-яё]/);
  }
  // Every check of every lesson has a Russian title of its own, different from the English one.
  for (const lesson of lessons) {
    for (const check of lesson.checks) {
      assert.ok(check.title.ru && check.title.ru !== check.title.en, `${check.id} has no Russian title`);
    }
  }
});

Deno.test("hints: one at a time, in order, in the learner's language", async () => {
  const { hintText } = await import("./hint.ts");
  const { language } = await import("./harness/text.ts");
  assert.equal(language("ru", () => undefined), "ru");
  assert.equal(language(undefined, (name) => name === "LANG" ? "ru_RU.UTF-8" : undefined), "ru");
  assert.equal(language(undefined, (name) => name === "LC_ALL" ? "C.UTF-8" : "ru_RU.UTF-8"), "en");
  assert.equal(language(undefined, () => undefined), "en");
  const first = hintText(1, 1, "en");
  assert.match(
    first,
    /^1\.1 TCP time server, TODO 1 in lessons\/01-time-server\/server\.ts: .+ \[[\w-]+\]\n\n.+\n\nNext hint: deno task hint 1 2$/,
  );
  assert.match(hintText(1, 1, "ru"), /Следующая подсказка: deno task hint 1 2$/);
  assert.throws(() => hintText(1, 99, "en"), /lesson 1 has hints 1 to \d+/);
  assert.throws(() => hintText(42, 1, "en"), /there is no lesson 42/);
});

Deno.test("--watch grades one lesson and ends each round with its counts; two lessons are a usage error", async () => {
  const { ROOT, runTask, taskArgs } = await import("./harness/course.ts");
  const wrong = await runTask("grade", ["1", "2", "--watch"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--watch grades one lesson/);

  const watching = new Deno.Command("deno", {
    args: [...taskArgs("grade"), "1", "--watch"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const reader = watching.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = setTimeout(() => watching.kill("SIGKILL"), 30_000);
  try {
    // The watching line, the report and the counts arrive in separate writes: wait for the counts, which end a round.
    while (!/checks passed/.test(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
  } finally {
    clearTimeout(deadline);
    watching.kill("SIGKILL");
    await reader.cancel();
    await watching.status;
    await watching.stderr.cancel();
  }
  const lines = out.split("\n").filter(Boolean);
  const { lessons } = await import("./checks/mod.ts");
  assert.match(lines[0], /^watching lessons\/01-time-server for changes; Ctrl\+C stops$/);
  assert.match(lines[1], /^lesson 1: TCP time server/);
  const counts = lines.findIndex((line) => /checks passed/.test(line));
  assert.match(lines[counts], new RegExp(`^\\d+ of ${lessons[0].checks.length} checks passed`));
  assert.ok(
    lines.slice(counts + 1).every((line) => !/^ {2}[✔✘○] /.test(line)),
    "no check is reported after the counts",
  );
});

Deno.test("hints follow the TODOs: lesson 2 starts where its demo stops (TODO 1 in lines.ts), each hint names its TODO", async () => {
  const { hintOrder, hintText, stepsOf } = await import("./hint.ts");
  const { lessons } = await import("./checks/mod.ts");
  const lesson = lessons.find((l) => l.number === 2)!;
  assert.match(hintText(2, 1, "en"), /^2\.1 Bidirectional messaging, TODO 1 in lessons\/02-messaging\/lines\.ts: /);
  assert.match(hintText(2, 1, "ru"), /^2\.1 .+, TODO 1 в lessons\/02-messaging\/lines\.ts: /);
  // By file in the text's order (lines.ts, server.ts, client.ts), then by TODO: never back to an earlier step.
  const files = ["lines.ts", "server.ts", "client.ts"];
  const keys = hintOrder(lesson).map(({ check, steps }) => {
    assert.ok(steps.length > 0, `lesson 2's hint for ${check.id} names no TODO`);
    return Math.max(...steps.map((s) => files.indexOf(s.file) * 100 + s.step));
  });
  assert.deepEqual(keys, [...keys].sort((a, b) => a - b));
  // Every TODO named exists in its starter.
  for (const l of lessons) {
    for (const [id, steps] of stepsOf(l)) {
      for (const { file, step } of steps) {
        const source = await Deno.readTextFile(new URL(`../lessons/${l.slug}/${file}`, import.meta.url));
        assert.match(
          source,
          new RegExp(`todo\\(\\s*import\\.meta\\.url,\\s*${step},`),
          `${id}: no TODO ${step} in ${file}`,
        );
      }
    }
  }
});

Deno.test("a failed check's hint says which TODO it concerns; a TODO already shown is one short line", async () => {
  const { render } = await import("./grade.ts");
  const { lessons } = await import("./checks/mod.ts");
  const lesson = lessons.find((l) => l.number === 2)!;
  const check = lesson.checks.find((c) => c.id === "byte-by-byte")!;
  const todo = "not done yet: TODO 1 in lessons/02-messaging/lines.ts: read more";
  const failed: Result = {
    check,
    status: "failed",
    message: { en: `${todo} (so: nothing)`, ru: "" },
    transcript: [],
    ms: 1,
  };
  const shown = new Set<string>();
  const full = render(failed, true, shown, lesson).join("\n");
  assert.match(full, /hint: +\(TODO 1 in lessons\/02-messaging\/lines\.ts\) /);
  const again = render(failed, false, shown, lesson);
  assert.equal(again.length, 2);
  assert.match(again[1], /TODO 1 in lessons\/02-messaging\/lines\.ts \(the same step as above\)$/);
});

Deno.test("the next step of an unfinished lesson is its TODO", () => {
  const check: Check = { id: "x", title: { en: "x", ru: "x" }, hint: { en: "", ru: "" }, run: async () => {} };
  const lesson: Lesson = { number: 7, slug: "07-x", title: { en: "L7", ru: "" }, checks: [], variants: [] };
  const message = { en: "not done yet: TODO 3 in lessons/07-x/a.ts: do it (so: no line)", ru: "" };
  const lines = progress([{ lesson, results: [{ check, status: "failed", message, transcript: [], ms: 0 }] }]);
  assert.match(
    lines[2],
    /^Next: lesson 7: read lessons\/07-x\/README\.md, then write TODO 3 in lessons\/07-x\/a\.ts; /,
  );
});

Deno.test("on a fresh clone, deno task grade fits one screen: a line per lesson (its next step), the table, the counts", async (t) => {
  const { runTask } = await import("./harness/course.ts");
  const { lessons } = await import("./checks/mod.ts");
  const { readManifest, touched } = await import("./starters.ts");
  const manifest = readManifest();
  for (const lesson of lessons) {
    if ((await touched(lesson, manifest)).length > 0) {
      console.log(`skipped: lesson ${lesson.number} is not as given, so this is not a fresh clone`);
      if (Deno.env.get("COURSE_CI")) assert.fail(`lesson ${lesson.number} differs from tests/starters.json`);
      return;
    }
  }
  const { code, stdout, stderr } = await runTask("grade", [], 600_000);
  // What the failures below show: the report, and how grade ended (a grader that stopped early ends otherwise).
  const seen = `${stdout}\n(exit code ${code}; stderr: ${stderr.trim() || "none"})`;
  const lines = stdout.trimEnd().split("\n");
  await t.step("one screen (24 lines)", () => assert.ok(lines.length <= 24, `${lines.length} lines:\n${stdout}`));
  for (const lesson of lessons) {
    const mine = lines.filter((line) => line.startsWith(`lesson ${lesson.number}: `));
    assert.equal(mine.length, 1, `lesson ${lesson.number}: no one line of its own in:\n${seen}`);
    assert.match(mine[0], /: not started, \d+ of \d+ checks; next: TODO \d+ in lessons\//, seen);
  }
  assert.doesNotMatch(stdout, /[✔✘]/, "no check lines");
  assert.doesNotMatch(stdout, /Fix the first failure|shown in full/i, "nothing is shown in full, so nothing says so");
  assert.match(lines.at(-1)!, /^\d+ of \d+ checks passed, \d+ failed\.$/);
  assert.equal(code, 1);
});
