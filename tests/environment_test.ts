/**
 * The learner's shell cannot break grading. Machines with CUDA, conda or
 * lab-wide library paths set `LD_LIBRARY_PATH` (or `LD_PRELOAD`), and Deno
 * refuses to start a child that would inherit one unless given every
 * `--allow-run`; the grader gives each program an environment of its own
 * choosing instead (`programEnv` in tests/harness/process.ts).
 *
 * This suite may start only `deno`, and never with those variables, so each
 * child here loads them itself, from a file, at its start (`deno run
 * --env-file`): from then on they are in its environment as if the learner's
 * shell had exported them. The `LD_PRELOAD` names a library that does not
 * exist: a program that inherited it would print the loader's complaint on
 * stderr, and the checks of a clean one-line error would see it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessonDir, ROOT, taskArgs } from "./harness/course.ts";
import { programEnv } from "./harness/process.ts";
import { type Check, runCheck } from "./harness/check.ts";
import { startServer } from "./harness/programs.ts";
import { lesson } from "./checks/01-time-server/mod.ts";

/** What the learner's shell might hold. */
const SHELL = "LD_LIBRARY_PATH=/usr/lib\nLD_PRELOAD=/nonexistent/libcourse-preload-test.so\n";

/** Runs `deno args…` in the course root with the suite's own environment; returns its code and output. */
async function deno(args: string[], ms: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("deno", {
    args,
    cwd: ROOT,
    clearEnv: true,
    env: programEnv({ LANG: "C.UTF-8" }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(ms),
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** `deno task NAME`'s arguments with `flags` added right after `run`/`test`. */
function withFlags(words: string[], flags: string[]): string[] {
  return [words[0], ...flags, ...words.slice(1)];
}

/** The `deno test …` of the `test` task, its `--parallel` and its `tests/` left out. */
function testTaskArgs(): string[] {
  const task = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks.test;
  const command: string = typeof task === "string" ? task : task.command;
  // The last command, without the variables set before it (DENO_JOBS=3) and without "deno" itself.
  const words = command.split("&&").at(-1)!.trim().split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word)).slice(1);
  return words.filter((word) => word !== "--parallel" && word !== "tests/");
}

Deno.test("LD_LIBRARY_PATH and LD_PRELOAD set: deno task grade 1 grades lessons/, and the reference passes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "course-ld-env-" });
  try {
    const envFile = `${dir}/shell.env`;
    await Deno.writeTextFile(envFile, SHELL);
    const [grade, reference] = await Promise.all([
      // The reproduction itself: the learner's `deno task grade 1`, which grades lessons/.
      deno(
        withFlags(taskArgs("grade"), [`--env-file=${envFile}`]).concat("1", "--json", `${dir}/results.json`),
        120_000,
      ),
      // The reference as tests/prove.ts grades it: every check must pass, so no program printed a loader's error.
      deno(
        withFlags(testTaskArgs(), [`--env-file=${envFile}`, "--no-check"])
          .concat("tests/lessons/01_test.ts", "--filter", "the reference passes every check"),
        180_000,
      ),
    ]);
    const said = `grade's stderr:\n${grade.stderr}\nstdout:\n${grade.stdout.slice(-3000)}`;
    assert.ok(grade.code === 0 || grade.code === 1, `grade ended with code ${grade.code}\n${said}`);
    const results = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.ok(results.tests.length > 0, said);
    for (const test of results.tests) {
      // "error" is how the report marks "the grader itself failed": before, every check here was one.
      assert.notEqual(test.status, "error", `${test.id}: ${test.message}`);
      assert.doesNotMatch(
        test.message ?? "",
        /NotCapable|LD_|ld\.so|stopped the grader/,
        `${test.id}: ${test.message}`,
      );
    }
    assert.equal(reference.code, 0, `the reference under that shell:\n${reference.stdout}\n${reference.stderr}`);
    assert.match(reference.stdout, /\b1 passed\b/, reference.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a machine that refuses to start programs: grade says so in one line and exits 3, not a failed check", async () => {
  // The grade task without its --allow-run: the spawn is refused as a machine's policy would refuse it.
  const args = taskArgs("grade").filter((word) => !word.startsWith("--allow-run"));
  const { code, stdout, stderr } = await deno([...args, "1"], 60_000);
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  assert.equal(code, 3, `stdout:\n${stdout}\nstderr:\n${stderr}`);
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /^error: this machine would not start deno \(.+\): the environment stopped the grader/);
  assert.doesNotMatch(stdout, /✘|✔/, "no check was graded");
});

Deno.test("a program the machine refuses to start mid-run: the check's report is one line naming the environment", async () => {
  // A check that hands its server a LD_PRELOAD of its own: Deno refuses the start, as under a machine's policy.
  const check: Check = {
    id: "refused-start",
    title: { en: "a start the machine refuses", ru: "запуск, который машина не разрешает" },
    hint: { en: "none", ru: "нет" },
    async run(trial) {
      await startServer(trial, { env: { LD_PRELOAD: "/nonexistent/libcourse-preload-test.so" } });
    },
  };
  const result = await runCheck(lesson, check, lessonDir(lesson, "solutions"));
  assert.equal(result.status, "failed");
  for (const message of [result.message!.en, result.message!.ru]) {
    assert.doesNotMatch(message, /\n/, message);
    assert.match(
      message,
      /deno \(NotCapable: .*LD_PRELOAD.*\): (the environment stopped the grader|грейдер остановило)/,
    );
  }
});
