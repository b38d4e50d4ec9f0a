/**
 * The suite holds the course's own files to fmt and lint, and never a
 * learner's style: `deno.json` leaves the code in `lessons/NN-slug/` out of
 * `deno fmt` and `deno lint`, and this file holds the starters as given to
 * both instead (a learner's edited file is skipped, as the starters' proof
 * skips a changed lesson).
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { ROOT } from "./harness/course.ts";
import { readManifest, recorded, touched } from "./starters.ts";

const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));

/** Runs `deno ARGS` in `cwd` (60 s at most) and returns its exit code and its output, colour off. */
async function deno(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  const stop = AbortSignal.timeout(60_000);
  const result = await new Deno.Command("deno", {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    signal: stop,
  }).output();
  const text = new TextDecoder();
  return { code: result.code, output: text.decode(result.stdout) + text.decode(result.stderr) };
}

/**
 * A finished lesson 2 in a style the course does not use: four-space
 * indents, and the `todo` import left in place after the last TODO is gone
 * (an unused import, which `deno lint` rejects).
 */
async function learnerStyle(file: string): Promise<string> {
  const text = await Deno.readTextFile(`${ROOT}/solutions/02-messaging/${file}`);
  const indented = text.replace(/^( +)/gm, (spaces) => spaces + spaces);
  return `import { todo as _unusedTodo, formatAddr as unusedFormat } from "@course/program.ts";\n${indented}`;
}

Deno.test("a lesson finished in a learner's own style passes deno fmt --check, deno lint and deno check", async () => {
  // A copy of the course's configuration with lesson 2 finished in another style, in lessons/ and, to show the
  // same files would fail where the course's own code lives, in solutions/.
  const dir = await Deno.makeTempDir({ prefix: "course-style-" });
  try {
    await Deno.copyFile(`${ROOT}/deno.json`, `${dir}/deno.json`);
    await Deno.mkdir(`${dir}/lessons/_shared`, { recursive: true });
    for (const entry of Deno.readDirSync(`${ROOT}/lessons/_shared`)) {
      if (entry.isFile) {
        await Deno.copyFile(`${ROOT}/lessons/_shared/${entry.name}`, `${dir}/lessons/_shared/${entry.name}`);
      }
    }
    for (const side of ["lessons", "solutions"]) {
      await Deno.mkdir(`${dir}/${side}/02-messaging`, { recursive: true });
      for (const entry of Deno.readDirSync(`${ROOT}/solutions/02-messaging`)) {
        if (!entry.name.endsWith(".ts")) continue;
        await Deno.writeTextFile(`${dir}/${side}/02-messaging/${entry.name}`, await learnerStyle(entry.name));
      }
    }
    for (const args of [["fmt", "--check", "lessons/"], ["lint", "lessons/"], ["check", "lessons/"]]) {
      const { code, output } = await deno(args, dir);
      assert.equal(code, 0, `deno ${args.join(" ")} failed on a finished lesson in the learner's style:\n${output}`);
    }
    // The same files as the course's own code: fmt and lint must reject them, or the test above proves nothing.
    const fmt = await deno(["fmt", "--check", "solutions/"], dir);
    assert.notEqual(fmt.code, 0, "deno fmt accepted four-space indents in solutions/");
    const lint = await deno(["lint", "solutions/"], dir);
    assert.notEqual(lint.code, 0, "deno lint accepted an unused import in solutions/");
    assert.match(lint.output, /no-unused-vars/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the starters as given are formatted and pass deno lint", async () => {
  const manifest = readManifest();
  const files: string[] = [];
  const skipped: string[] = [];
  for (const lesson of lessons) {
    const changed = new Set(await touched(lesson, manifest));
    for (const [path] of recorded(lesson, manifest)) (changed.has(path) ? skipped : files).push(path);
  }
  if (skipped.length) console.log(`skipped (changed since given, so the learner's own): ${skipped.join(", ")}`);
  if (Deno.env.get("COURSE_CI")) assert.deepEqual(skipped, [], "the course's CI holds every starter as given");
  assert.ok(files.length > 0 || skipped.length > 0, "tests/starters.json lists no lesson file");
  if (files.length === 0) return;
  // The course's fmt and lint settings without the exclusion of lessons/.
  const dir = await Deno.makeTempDir({ prefix: "course-style-" });
  try {
    const { fmt: { exclude: _f, ...fmt }, lint: { exclude: _l, ...lint } } = config;
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ fmt, lint }));
    for (const command of ["fmt", "lint"]) {
      const args = command === "fmt" ? ["fmt", "--check"] : ["lint"];
      const { code, output } = await deno([...args, "--config", `${dir}/deno.json`, ...files], ROOT);
      assert.equal(code, 0, `deno ${command} rejects a starter as given:\n${output}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
