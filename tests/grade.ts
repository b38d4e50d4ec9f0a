/**
 * `deno task grade [N…] [--all]`: runs the lessons' checks against your
 * programs in lessons/ and says, check by check, what passed and what did
 * not. The first failure is shown in full (what was expected, what arrived,
 * a hint, and what your programs printed); `--all` shows every failure so.
 * `--json PATH` and `--junit PATH` also write the results for CI (Exercism's
 * results.json shape with points, and JUnit XML; PATH under `results/` or
 * `/tmp`). Exit code 0 only when every check passed.
 *
 * @module
 */
import { parseArgs, styleText } from "node:util";
import { lessons } from "./checks/mod.ts";
import { lessonDir } from "./harness/course.ts";
import { type Lesson, type Result, runCheck } from "./harness/check.ts";
import { type LessonResults, toJUnit, toResultsJson } from "./report.ts";
import { language } from "./hint.ts";

const colour = Deno.stdout.isTerminal() && !Deno.noColor;
/** Hints in the learner's language (LC_ALL or LANG), when the task may read them; English otherwise. */
const lang = language(undefined, (name) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
});
const paint = (format: Parameters<typeof styleText>[0], text: string) =>
  colour ? styleText(format, text, { validateStream: false }) : text;

function usage(message: string): never {
  console.error(`usage error: ${message}`);
  console.error(
    `usage: deno task grade [LESSON…] [--all] [--json PATH] [--junit PATH] [--watch]   (lessons: ${
      lessons.map((l) => l.number).join(", ")
    })`,
  );
  Deno.exit(2);
}

function chosenLessons(positionals: string[]): Lesson[] {
  if (positionals.length === 0) return lessons;
  return positionals.map((text) => {
    const lesson = lessons.find((l) => String(l.number) === text.replace(/^0+/, ""));
    return lesson ?? usage(`there is no graded lesson '${text}'`);
  });
}

/**
 * Lines of the learner's code in `dir` that import from `solutions/` or
 * `tests/`: a lesson graded so would be the reference, or the grader, passing
 * its own checks. Returns `file:line: text` for each.
 */
export async function forbiddenImports(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !/\.[jt]sx?$/.test(entry.name)) continue;
    const lines = (await Deno.readTextFile(`${dir}/${entry.name}`)).split("\n");
    for (const [i, line] of lines.entries()) {
      const specifiers = [...line.matchAll(/(?:from|import)\s*\(?\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
      if (specifiers.some((s) => /(^|\/)(solutions|tests)\//.test(s))) {
        found.push(`${entry.name}:${i + 1}: ${line.trim()}`);
      }
    }
  }
  return found;
}

/**
 * The progress table: each lesson not started (nothing passes but what the
 * course gives), in progress, or done, with its checks passed; then the one
 * next step.
 */
export function progress(graded: LessonResults[]): string[] {
  const rows = graded.map(({ lesson, results }) => {
    const counted = results.filter((r) => r.status !== "skipped");
    const passed = counted.filter((r) => r.status === "passed");
    const status = passed.length === counted.length
      ? "done"
      : passed.every((r) => r.check.covers === "given")
      ? "not started"
      : "in progress";
    return { lesson, status, text: `${passed.length}/${counted.length}` };
  });
  const lines = [paint("bold", "progress")];
  for (const row of rows) {
    const colour = row.status === "done" ? "green" : row.status === "in progress" ? "yellow" : "dim";
    lines.push(
      `  lesson ${row.lesson.number}  ${paint(colour, row.status.padEnd(11))}  ${
        row.text.padStart(5)
      } checks  ${row.lesson.title.en}`,
    );
  }
  const next = graded.find(({ results }) => results.some((r) => r.status === "failed"));
  const first = next?.results.find((r) => r.status === "failed");
  lines.push(
    next && first
      ? `Next: lesson ${next.lesson.number}, "${first.check.title}" [${first.check.id}]: read lessons/${next.lesson.slug}/README.md, then deno task grade ${next.lesson.number}.`
      : "Next: nothing left. Every lesson is done.",
  );
  return lines;
}

function render(result: Result, full: boolean): string[] {
  const mark = result.status === "passed"
    ? paint("green", "✔")
    : result.status === "skipped"
    ? paint("yellow", "○")
    : paint("red", "✘");
  const lines = [`  ${mark} ${result.check.title} ${paint("dim", `[${result.check.id}, ${result.ms} ms]`)}`];
  if (result.status === "skipped") lines.push(`      skipped: ${result.message}`);
  if (result.status !== "failed") return lines;
  lines.push(`      ${paint("red", result.message ?? "failed")}`);
  if (!full) return lines;
  if (result.expected) lines.push(`      expected: ${result.expected}`);
  if (result.actual) lines.push(`      actual:   ${result.actual}`);
  lines.push(`      ${paint("cyan", "hint:")}     ${result.check.hint[lang]}`);
  if (result.transcript.length) {
    lines.push(`      what happened (your programs' output and the bytes on the wire):`);
    lines.push(...result.transcript.map((line) => `      ${paint("dim", line)}`));
  }
  return lines;
}

/** What one grading pass found. */
interface Pass {
  graded: LessonResults[];
  passed: number;
  failed: number;
  skipped: number;
}

/** Grades `chosen`, printing each line of the report through `print`. */
async function gradeOnce(chosen: Lesson[], all: boolean, print: (line: string) => void): Promise<Pass> {
  const pass: Pass = { graded: [], passed: 0, failed: 0, skipped: 0 };
  let shownInFull = 0;
  for (const lesson of chosen) {
    const results: Result[] = [];
    pass.graded.push({ lesson, results });
    const cheats = await forbiddenImports(lessonDir(lesson, "lessons"));
    if (cheats.length > 0) {
      // Graded as it stands, the lesson would be graded on the reference or the grader, not on its code.
      print(paint("red", `  not graded: lessons/${lesson.slug} imports from solutions/ or tests/:`));
      for (const line of cheats) print(`    ${line}`);
      print("  Your programs must stand on their own; remove those imports and grade again.");
      for (const check of lesson.checks) {
        results.push({
          check,
          status: "failed",
          message: "not graded: the lesson imports from solutions/ or tests/",
          transcript: [],
          ms: 0,
        });
        pass.failed++;
      }
      print("");
      continue;
    }
    print(paint("bold", `lesson ${lesson.number}: ${lesson.title.en} (lessons/${lesson.slug})`));
    let section = "core";
    for (const check of lesson.checks) {
      if ((check.section ?? "core") !== section) {
        section = check.section ?? "core";
        print(paint("bold", `  ${section}: what real servers meet`));
      }
      const result = await runCheck(lesson, check, lessonDir(lesson, "lessons"));
      results.push(result);
      const full = result.status === "failed" && (all || shownInFull++ === 0);
      print(render(result, full).join("\n"));
      if (result.status === "passed") pass.passed++;
      else if (result.status === "skipped") pass.skipped++;
      else pass.failed++;
    }
    print("");
  }
  return pass;
}

/** The closing lines: counts, and what to do next. */
function verdict(pass: Pass, all: boolean): string[] {
  const total = pass.passed + pass.failed + pass.skipped;
  const summary = `${pass.passed} of ${total} checks passed${
    pass.skipped ? `, ${pass.skipped} skipped on this machine` : ""
  }`;
  if (pass.failed === 0) return [paint("green", `${summary}. Well done.`)];
  const lines = [paint("red", `${summary}, ${pass.failed} failed.`)];
  if (pass.graded.length === 1) {
    lines.push("Next: fix the first failure shown in full above, then run the grader again.");
  }
  if (!all && pass.failed > 1) lines.push("(deno task grade N --all shows every failure in full.)");
  return lines;
}

/**
 * `--watch`: grades the lesson, then again each time a file in its folder
 * changes. Each pass clears the screen and puts the counts first, so the
 * answer is at the top while you edit; Ctrl+C stops.
 */
async function watch(lesson: Lesson, all: boolean): Promise<never> {
  const dir = lessonDir(lesson, "lessons");
  while (true) {
    const lines: string[] = [];
    const pass = await gradeOnce([lesson], all, (line) => lines.push(line));
    if (Deno.stdout.isTerminal()) console.log("\x1b[2J\x1b[H");
    console.log(verdict(pass, all)[0]);
    console.log(paint("dim", `watching lessons/${lesson.slug} for changes; Ctrl+C stops`) + "\n");
    console.log(lines.join("\n"));
    // Wait for a change, then for the editor to finish writing (a burst of events).
    using watcher = Deno.watchFs(dir);
    for await (const event of watcher) {
      if (event.kind === "access") continue;
      let quiet = false;
      while (!quiet) {
        const next = watcher[Symbol.asyncIterator]().next();
        quiet = await Promise.race([
          next.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), 300)),
        ]);
      }
      break;
    }
  }
}

if (import.meta.main) {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        all: { type: "boolean" },
        json: { type: "string" },
        junit: { type: "string" },
        watch: { type: "boolean" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    usage((error as Error).message.split(". ")[0]);
  }
  const chosen = chosenLessons(parsed.positionals);
  const all = parsed.values.all ?? false;
  if (parsed.values.watch) {
    if (chosen.length !== 1) usage("--watch grades one lesson: deno task grade N --watch");
    await watch(chosen[0], all);
  }
  const pass = await gradeOnce(chosen, all, console.log);
  // For CI and learning platforms: Exercism-style JSON with points, and JUnit XML.
  if (parsed.values.json) {
    await Deno.writeTextFile(parsed.values.json, JSON.stringify(toResultsJson(pass.graded), null, 2) + "\n");
  }
  if (parsed.values.junit) await Deno.writeTextFile(parsed.values.junit, toJUnit(pass.graded));
  if (pass.graded.length > 1) console.log(progress(pass.graded).join("\n") + "\n");
  console.log(verdict(pass, all).join("\n"));
  Deno.exit(pass.failed === 0 ? 0 : 1);
}
