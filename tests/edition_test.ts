/**
 * The learner edition: written into an empty folder only; no line of the
 * reference in it; the learner's tasks only; and in it `deno task lesson-1`
 * and `deno task grade 1` work, the grade passing once the files are right.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { lessonTask, type Ran, ROOT, runDeno, runTask } from "./harness/course.ts";

/** Every file under `dir`, relative to it. */
function files(dir: string, under = ""): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(`${dir}/${under}`)) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory) found.push(...files(dir, path));
    else found.push(path);
  }
  return found;
}

/**
 * A line says nothing of a solution when it has fewer than three words of
 * code once comments are gone: a closing brace, `} catch {`, `return client;`.
 */
export function trivial(line: string): boolean {
  const code = line.replace(/\/\*.*?\*\//g, "").replace(/\/\/.*$/, "");
  return (code.match(/[A-Za-z_$][\w$]*/g) ?? []).length < 3;
}

/** The lines (trimmed) of solutions/ that lessons/ does not also have: the reference's own lines. */
function referenceLines(): Set<string> {
  const lines = (side: string) =>
    files(`${ROOT}/${side}`).flatMap((path) => Deno.readTextFileSync(`${ROOT}/${side}/${path}`).split("\n"))
      .map((line) => line.trim());
  const given = new Set(lines("lessons"));
  return new Set(lines("solutions").filter((line) => line !== "" && !given.has(line)));
}

/** Runs `deno task ARGS` in `dir`, killed past `ms`. */
function task(dir: string, args: string[], ms = 90_000): Promise<Ran> {
  return runDeno(["task", ...args], { cwd: dir, ms });
}

Deno.test("learner-edition: no reference line, the learner's tasks, and grade 1 working in it", async () => {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "edition-" });
  try {
    const upstream = "https://example.org/teacher/sockets-course.git";
    const made = await runTask("learner-edition", [dir, "--upstream", upstream, "--ref", "v2026.1"]);
    assert.equal(made.code, 0, made.stderr);

    // Refuses a folder that is not empty, with one line and the usage, and writes nothing more.
    const again = await runTask("learner-edition", [dir, "--upstream", upstream, "--ref", "v2026.1"]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^learner-edition: usage error: .* is not empty; name a new or empty folder\n/m);
    const usage = await runTask("learner-edition", [`${dir}-new`]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: deno task learner-edition DIR --upstream URL --ref REF/);

    // No reference line anywhere: not in the graders, the READMEs, the workflow, nor any other file.
    const all = files(dir);
    assert.ok(!all.some((path) => path.startsWith("solutions/")), "no solutions/");
    const reference = referenceLines();
    assert.ok(reference.size > 500, `the reference has lines of its own (${reference.size})`);
    const leaks = all.flatMap((path) =>
      Deno.readTextFileSync(`${dir}/${path}`).split("\n")
        .filter((line) => reference.has(line.trim()) && !trivial(line))
        .map((line) => `${path}: ${line.trim()}`)
    );
    assert.deepEqual(leaks, []);
    // What the proof allows is small talk, not code: a closing brace, a bare return.
    assert.ok(trivial("} catch { /* already closed */ }") && trivial("return client;"));
    assert.ok(!trivial("for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {"));

    // The lessons as given, the graders, the learner's READMEs and workflow.
    for (const lesson of lessons) {
      for (const name of Deno.readDirSync(`${ROOT}/lessons/${lesson.slug}`)) {
        assert.deepEqual(
          await Deno.readFile(`${dir}/lessons/${lesson.slug}/${name.name}`),
          await Deno.readFile(`${ROOT}/lessons/${lesson.slug}/${name.name}`),
        );
      }
    }
    for (
      const path of ["tests/grade.ts", "tests/checks/mod.ts", "tests/starters.json", ".github/workflows/grade.yml"]
    ) {
      assert.ok(all.includes(path), path);
    }
    assert.ok(!all.some((path) => path.endsWith("_test.ts") || path === "tests/prove.ts"), "no suite");
    for (const readme of ["README.md", "README.ru.md"]) {
      const text = await Deno.readTextFile(`${dir}/${readme}`);
      assert.match(text, /deno task lesson-1 /);
      assert.match(text, /deno task grade 1 /);
      assert.ok(text.includes(upstream), `${readme} names the course`);
      // The lesson texts name the reference's tasks; the edition has none, and its README says so.
      assert.match(text, /`deno task solution-N`[^]*`deno task bench`/, `${readme} explains the tasks it leaves out`);
    }
    const { learnerWorkflow } = await import("./edition.ts");
    assert.equal(await Deno.readTextFile(`${dir}/.github/workflows/grade.yml`), learnerWorkflow(upstream, "v2026.1"));
    const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
    assert.deepEqual(Object.keys(config.tasks), [
      ...lessons.map((l) => `lesson-${l.number}`),
      "grade",
      "hint",
      "reset",
    ]);
    for (const lesson of lessons) assert.equal(config.tasks[`lesson-${lesson.number}`].command, lessonTask(lesson));

    // Formatted as the course formats its own files.
    const fmt = await runDeno(["fmt", "--check"], { cwd: dir });
    assert.equal(fmt.code, 0, fmt.stderr);

    // In the edition: lesson 1's programs run (the starters stop at their first step), hints come, grade 1 fails.
    const run = await task(dir, ["lesson-1"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /not done yet: TODO 1 in lessons\/01-time-server\/server\.ts/);
    const hint = await task(dir, ["hint", "1"]);
    assert.equal(hint.code, 0, hint.stderr);
    assert.match(hint.stdout, /^1\.1 TCP time server, TODO 1 in lessons\/01-time-server\/server.ts: /);
    const starters = await task(dir, ["grade", "1"]);
    assert.equal(starters.code, 1, starters.stdout.slice(-1500));
    assert.match(starters.stdout, /0 of \d+ checks passed/);

    // Once the learner's files are right, grade 1 passes there.
    for (const entry of Deno.readDirSync(`${ROOT}/solutions/01-time-server`)) {
      if (entry.name.endsWith(".ts")) {
        await Deno.copyFile(
          `${ROOT}/solutions/01-time-server/${entry.name}`,
          `${dir}/lessons/01-time-server/${entry.name}`,
        );
      }
    }
    const solved = await task(dir, ["grade", "1"]);
    assert.equal(solved.code, 0, solved.stdout.slice(-1500));
    assert.match(solved.stdout, /(\d+) of \1 checks passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
