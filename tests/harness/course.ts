/**
 * Where things are: the course root, each lesson's folder in lessons/ and
 * solutions/, the `deno run` command its task uses, and the folders built for
 * known-wrong variants.
 *
 * @module
 */
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

/**
 * The `deno` arguments of the lesson's task in deno.json, up to its script,
 * with the script swapped for `dir/main.ts`. The grader so runs programs with
 * exactly the permissions the learner's own `deno task lesson-N` grants.
 */
export function taskCommand(lesson: Lesson, dir: string): string[] {
  const config: TaskConfig = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  const task = config.tasks[`lesson-${lesson.number}`];
  const command = typeof task === "string" ? task : task?.command;
  if (!command) throw new Error(`deno.json has no task lesson-${lesson.number}`);
  const words = command.split(/\s+/);
  const script = `lessons/${lesson.slug}/main.ts`;
  if (words[0] !== "deno" || words.at(-1) !== script) {
    throw new Error(`task lesson-${lesson.number} must be 'deno run <flags> ${script}'`);
  }
  return [...words.slice(1, -1), `${dir}/main.ts`];
}

/** The `deno` arguments of task `name` in deno.json (`run --allow-… tests/grade.ts`), to run it as `deno task` would. */
export function taskArgs(name: string): string[] {
  const config: TaskConfig = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  const task = config.tasks[name];
  const command = typeof task === "string" ? task : task?.command;
  if (!command?.startsWith("deno ")) throw new Error(`deno.json has no task ${name} that runs deno`);
  return command.split(/\s+/).slice(1);
}

/**
 * Runs task `name` with `extra` arguments in the course root (no colour) and
 * returns how it ended; past `ms` it is killed and its code is the signal's.
 */
export async function runTask(
  name: string,
  extra: string[],
  ms = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("deno", {
    args: [...taskArgs(name), ...extra],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
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
