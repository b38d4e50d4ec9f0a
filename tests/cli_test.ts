/**
 * Every task of deno.json that runs a course script takes `--help` (exit 0,
 * with its usage line), and answers a mistake with one line and the usage on
 * stderr and exit code 2, in English and in Russian. (`test`, `fmt`, `lint`
 * and `check` are Deno's own commands, with Deno's own `--help`.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT, runDeno, taskArgs } from "./harness/course.ts";

const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
const scripts = Object.entries(config.tasks as Record<string, { command: string }>)
  .filter(([, task]) => /^deno run .*\.ts$/.test(task.command))
  .map(([name]) => name);

/** Runs task `name` with `args` in `lang` (LC_ALL and LANG set, no colour); killed after 30 s. */
async function task(name: string, args: string[], lang: "en" | "ru") {
  const locale = lang === "ru" ? "ru_RU.UTF-8" : "C.UTF-8";
  const output = await runDeno([...taskArgs(name), ...args], { env: { LC_ALL: locale, LANG: locale }, ms: 30_000 });
  const lines = (text: string) => text.split("\n").filter((line) => line && !/^Info Failed to resolve/.test(line));
  return { code: output.code, stdout: lines(output.stdout), stderr: lines(output.stderr) };
}

Deno.test("the tasks checked here are every task that runs a course script", () => {
  for (const name of ["grade", "hint", "reset", "summary", "starters", "promises", "bench", "lesson-1", "solution-1"]) {
    assert.ok(scripts.includes(name), `${name} is not a 'deno run' task`);
  }
});

/** A lesson program's usage line names a command; a tool's, the task alone. */
const usagePattern = (name: string, lang: "en" | "ru") =>
  new RegExp(`^${lang === "ru" ? "запуск" : "usage"}: deno task ${name}( |$)`);

for (const name of scripts) {
  // bench is a contributor's tool that speaks English only (its task reads no environment variable).
  const languages = name === "bench" ? ["en"] as const : ["en", "ru"] as const;
  Deno.test(`deno task ${name}: --help, and a usage error is one line and the usage, exit 2 (${languages})`, async () => {
    const help = await task(name, ["--help"], "en");
    assert.equal(help.code, 0, `${name} --help: ${help.stderr.join(" | ")}`);
    assert.ok(help.stdout.some((line) => usagePattern(name, "en").test(line)), help.stdout.join("\n"));
    for (const lang of languages) {
      // `--lang ru` too, for the tools whose task may not read LANG.
      const args = lang === "ru" && !name.match(/^(lesson|solution)-/) ? ["--bogus", "--lang", "ru"] : ["--bogus"];
      const wrong = await task(name, args, lang);
      assert.equal(wrong.code, 2, `${name} --bogus: exit code ${wrong.code}: ${wrong.stderr.join(" | ")}`);
      assert.equal(
        wrong.stderr.length,
        2,
        `${name} --bogus (${lang}): one line and the usage:\n${wrong.stderr.join("\n")}`,
      );
      assert.match(wrong.stderr[0], lang === "ru" ? /ошибка в аргументах: / : /usage error: /);
      assert.match(wrong.stderr[0], /--bogus/);
      assert.match(wrong.stderr[1], usagePattern(name, lang));
      assert.doesNotMatch(wrong.stderr.join("\n"), /Uncaught|^ {4}at /m);
    }
  });
}

Deno.test("--port -1 gets the course's own message, not parseArgs' 'ambiguous'", async () => {
  for (const lang of ["en", "ru"] as const) {
    const wrong = await task("solution-1", ["server", "--port", "-1"], lang);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stderr.length, 2, wrong.stderr.join("\n"));
    assert.match(
      wrong.stderr[0],
      lang === "ru"
        ? /--port должен быть целым числом от 0 до 65535, а получено '-1'/
        : /--port must be a whole number from 0 to 65535, got '-1'/,
    );
    assert.match(wrong.stderr[1], usagePattern("solution-1 server", lang));
  }
});
