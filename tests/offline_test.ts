/**
 * The course runs offline: every learner task starts on a fresh clone with an
 * empty Deno cache (`DENO_DIR`) and no npm registry in reach. `deno task`
 * downloads every npm package that deno.json's import map or lock file names
 * before it runs anything, so one package there (the workflow test's YAML
 * parser once was) stops `deno task lesson-1` on a train.
 *
 * Each task runs its cheapest command: `--help` of every lesson's and
 * solution's launcher (it loads the whole program, the demo included), and
 * what the other tasks do with a wrong or short command line. Loading is what
 * needs a download, if anything does; running needs nothing more (the second
 * test: no learner program imports anything but files of the course and
 * Deno's own `node:` modules).
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT } from "./harness/course.ts";

/** A registry address where nothing answers (port 9, discard, is closed on loopback). */
const NO_REGISTRY = "http://127.0.0.1:9/";

/** Each learner task with its cheapest run: arguments, the exit code, and what its output must show. */
const RUNS: { task: string; args: string[]; code: number; shows: RegExp }[] = [
  ...[1, 2, 3, 4, 5].flatMap((n) =>
    ["lesson", "solution"].map((kind) => ({
      task: `${kind}-${n}`,
      args: ["--help"],
      code: 0,
      shows: new RegExp(`usage: deno task ${kind}-${n} `),
    }))
  ),
  { task: "grade", args: ["99"], code: 2, shows: /there is no graded lesson '99'/ },
  { task: "hint", args: ["1"], code: 0, shows: /^1\.1 /m },
  { task: "reset", args: [], code: 2, shows: /usage: deno task reset LESSON/ },
  { task: "summary", args: [], code: 2, shows: /usage: deno task summary/ },
  { task: "bench", args: ["--help"], code: 0, shows: /usage: deno task bench/ },
];

Deno.test("offline: every learner task runs with an empty Deno cache and no npm registry in reach", async () => {
  const cache = await Deno.makeTempDir({ prefix: "course-empty-deno-dir-" });
  try {
    const run = async ({ task, args }: (typeof RUNS)[number]) => {
      const out = await new Deno.Command("deno", {
        args: ["task", task, ...args],
        cwd: ROOT,
        // Only what this needs: the shell's own LD_LIBRARY_PATH or proxy settings have no say.
        clearEnv: true,
        env: { DENO_DIR: cache, NPM_CONFIG_REGISTRY: NO_REGISTRY, NO_COLOR: "1", LANG: "C.UTF-8" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      return { code: out.code, text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr) };
    };
    // Three at a time: each run is a Deno start-up, mostly waiting on the disk.
    const results: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < RUNS.length; i += 3) results.push(...await Promise.all(RUNS.slice(i, i + 3).map(run)));
    for (const [i, { task, args, code, shows }] of RUNS.entries()) {
      const { code: got, text } = results[i];
      const what = `deno task ${[task, ...args].join(" ")} (DENO_DIR empty, registry ${NO_REGISTRY}):\n${text}`;
      assert.doesNotMatch(text, /Download|Failed caching|npm package|error sending request/, what);
      assert.equal(got, code, what);
      assert.match(text, shows, what);
    }
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("offline: the learner's programs import only the course's files and Deno's node: modules", async () => {
  const outside: string[] = [];
  for (const side of ["lessons", "solutions"]) {
    for await (const lesson of Deno.readDir(`${ROOT}/${side}`)) {
      if (!lesson.isDirectory) continue;
      for await (const file of Deno.readDir(`${ROOT}/${side}/${lesson.name}`)) {
        if (!file.name.endsWith(".ts")) continue;
        const source = await Deno.readTextFile(`${ROOT}/${side}/${lesson.name}/${file.name}`);
        // Imports and re-exports at the start of a line (`import … from "…"`, `import "…"`, `export … from "…"`),
        // and dynamic imports anywhere (`import("…")`, or `import(` with no literal at all: that is reported too).
        const specifiers = [
          ...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
          ...source.matchAll(/^import\s*["']([^"']+)["']/gm),
          ...source.matchAll(/\bimport\s*\(\s*(?:["'`]([^"'`]+)["'`])?/g),
        ].map((match) => match[1] ?? "(a computed import)");
        for (const specifier of specifiers) {
          if (!/^(\.\.?\/|@course\/|node:)/.test(specifier)) {
            outside.push(`${side}/${lesson.name}/${file.name}: ${specifier}`);
          }
        }
      }
    }
  }
  assert.deepEqual(outside, [], "a learner's program would need a download (npm:, jsr:, https:) or a bare name");
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  // `deno task` installs what the import map and the lock file name before any task runs.
  const packages = Object.values(config.imports ?? {}).filter((target) => !String(target).startsWith("./"));
  assert.deepEqual(packages, [], "deno.json's imports name a package");
  assert.equal(config.lock, false, "deno.json keeps no lock file: deno task would install every package it names");
});
