/**
 * Where things are: the course root, each lesson's folder in lessons/ and
 * solutions/, the `deno run` command its task uses, and the folders built for
 * known-wrong variants.
 *
 * @module
 */
import { programEnv } from "./process.ts";
import type { Accepted, Lesson, Variant } from "./check.ts";

/** The course root (the folder with deno.json), as a path. */
export const ROOT: string = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");

/** Which copy of a lesson to grade. */
export type Side = "lessons" | "solutions";

/** The absolute folder of `lesson` on one side: `<root>/lessons/01-time-server`. */
export function lessonDir(lesson: Lesson, side: Side): string {
  return `${ROOT}/${side}/${lesson.slug}`;
}

interface TaskConfig {
  tasks: Record<string, string | { command: string }>;
}

/** Loopback, where every lesson's programs may connect and listen. */
const LOOPBACK = "127.0.0.1,[::1],localhost";

/** Lesson 3's V8 setting: a young generation of at most 2 MiB a half (see {@linkcode lessonFlags}). */
const SMALL_NURSERY = "--v8-flags=--max-semi-space-size=2";

/** The environment a lesson program may read: its language, and the language of an unfinished step's goal. */
const LANGUAGE = "--allow-env=LANG,LC_ALL,COURSE_TODO_LANG";

/**
 * The permissions the course grants each lesson's programs, defined here, in
 * the graders: the grader launches a learner's programs with these flags and
 * no others, whatever the graded checkout's deno.json says, and the suite
 * proves deno.json's `lesson-N` and `solution-N` tasks grant exactly these.
 */
export function lessonFlags(lesson: Pick<Lesson, "number">): string[] {
  if (lesson.number === 1) {
    const socket = "/tmp/deno-course-01.sock";
    return [LANGUAGE, `--allow-net=${LOOPBACK},unix:${socket}`, `--allow-read=${socket}`, `--allow-write=${socket}`];
  }
  // Lesson 5: -q keeps the runtime's own resolver notes ("expected message id…", "dropped malformed message…") off
  // stderr, where no program could catch them and an error must be one line.
  if (lesson.number === 5) return ["-q", LANGUAGE, `--allow-net=${LOOPBACK}`];
  // Lesson 3: the chat server holds many clients. V8 grows its nursery (the young generation, where new objects
  // start) up to 16 MiB a half when much survives, and a join storm is exactly that; 2 MiB keeps a 1,000-client
  // server's peak near 70 MiB instead of 85–90, at no cost in CPU (lesson 3's Performance section has the figures).
  if (lesson.number === 3) return [LANGUAGE, `--allow-net=${LOOPBACK}`, SMALL_NURSERY];
  return [LANGUAGE, `--allow-net=${LOOPBACK}`];
}

/** The command of task `lesson-N` (or `solution-N`, with `side`), as deno.json must hold it. */
export function lessonTask(lesson: Pick<Lesson, "number" | "slug">, side: Side = "lessons"): string {
  return ["deno", "run", ...lessonFlags(lesson), `${side}/${lesson.slug}/main.ts`].join(" ");
}

/**
 * The `deno` arguments that run the lesson's programs in `dir`: `run`, this
 * course's own deno.json as the configuration (its import map and unstable
 * flags; never a deno.json beside the graded files), the course's
 * permissions for the lesson ({@linkcode lessonFlags}), and `dir/main.ts`.
 */
export function taskCommand(lesson: Lesson, dir: string): string[] {
  return ["run", "--config", `${ROOT}/deno.json`, ...lessonFlags(lesson), `${dir}/main.ts`];
}

/** The `deno` arguments of task `name` in deno.json (`run --allow-… tests/grade.ts`), to run it as `deno task` would. */
export function taskArgs(name: string): string[] {
  const config: TaskConfig = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  const task = config.tasks[name];
  const command = typeof task === "string" ? task : task?.command;
  if (!command?.startsWith("deno ")) throw new Error(`deno.json has no task ${name} that runs deno`);
  return command.split(/\s+/).slice(1);
}

/** How a `deno` the course's tests start ended: its exit code (a signal's when killed) and its output as text. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno ARGS` in `cwd` (the course root by default) with the environment
 * the course chooses ({@linkcode programEnv}: no colour, nothing from the
 * shell that changes how a binary loads) plus `env`, stdin closed; past `ms`
 * it is killed.
 */
export async function runDeno(
  args: string[],
  { cwd = ROOT, env = {}, ms = 60_000 }: { cwd?: string; env?: Record<string, string>; ms?: number } = {},
): Promise<Ran> {
  const child = new Deno.Command("deno", {
    args,
    cwd,
    // A LD_LIBRARY_PATH from the shell would make Deno refuse the spawn.
    clearEnv: true,
    env: programEnv(env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  try {
    const out = await child.output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs task `name` with `extra` arguments in the course root (no colour) and
 * returns how it ended; past `ms` it is killed and its code is the signal's.
 */
export function runTask(name: string, extra: string[], ms = 60_000): Promise<Ran> {
  return runDeno([...taskArgs(name), ...extra], { ms });
}

/**
 * Builds a variant (known-wrong or accepted): a copy of the lesson's reference
 * with the variant's edits, under tests/.build/. Throws when a text to replace
 * no longer occurs exactly once in the reference, so a variant cannot rot into
 * a copy of the reference that proves nothing.
 */
export async function buildVariant(lesson: Lesson, variant: Variant | Accepted): Promise<string> {
  const from = lessonDir(lesson, "solutions");
  const kind = "mistake" in variant ? "variants" : "accepted";
  const dir = `${ROOT}/tests/.build/${lesson.slug}/${kind}/${variant.id}`;
  await Deno.mkdir(dir, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile && entry.name.endsWith(".ts")) {
      await Deno.copyFile(`${from}/${entry.name}`, `${dir}/${entry.name}`);
    }
  }
  const edits = [{ file: variant.file, patch: variant.patch }, ...(variant.also ?? [])];
  for (const file of new Set(edits.map((edit) => edit.file))) {
    let source = await Deno.readTextFile(`${from}/${file}`);
    for (const [before, after] of edits.filter((edit) => edit.file === file).flatMap((edit) => edit.patch)) {
      const count = source.split(before).length - 1;
      if (count !== 1) {
        throw new Error(
          `variant ${variant.id}: the text to replace occurs ${count} times in solutions/${lesson.slug}/${file}, not once: ${
            JSON.stringify(before)
          }`,
        );
      }
      source = source.replace(before, () => after);
    }
    await Deno.writeTextFile(`${dir}/${file}`, source);
  }
  return dir;
}
