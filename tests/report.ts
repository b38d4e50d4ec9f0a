/**
 * Grading results in the shapes CI and learning platforms read: Exercism's
 * test-runner `results.json` (version 2), with points added per check and per
 * lesson, and JUnit XML. Pure functions of the results, so they are tested
 * without running a single learner program.
 *
 * @module
 */
import { textIn } from "./harness/text.ts";
import type { Lesson, Result } from "./harness/check.ts";
import type { Work } from "./work.ts";

/** One lesson's results, as `deno task grade` collects them. */
export interface LessonResults {
  lesson: Lesson;
  results: Result[];
}

/** Where a lesson stands, in the grader's words. */
export type LessonStatus = "done" | "in progress" | "not started";

/**
 * Where a lesson stands: done when every check that ran passed; not started
 * when nothing passed but the checks of what the course gives; else in
 * progress. The grader's progress table and the CI summary both say it so.
 */
export function lessonStatus(results: Result[]): LessonStatus {
  const counted = results.filter((r) => r.status !== "skipped");
  const passed = counted.filter((r) => r.status === "passed");
  if (passed.length === counted.length) return "done";
  return passed.every((r) => r.check.covers === "given") ? "not started" : "in progress";
}

/** The mark the CI summary gives each status. */
export const STATUS_MARK: Record<LessonStatus, string> = { "done": "✅", "in progress": "🟨", "not started": "⬜" };

/** A check's status in Exercism's words. */
type Status = "pass" | "fail" | "error";

/** What `--json` writes. */
export interface ResultsJson {
  /** Exercism's results format version. */
  version: 2;
  /** pass when no check failed; fail otherwise. */
  status: Status;
  /** Points earned and possible, over every lesson graded: a passed check is worth 1. */
  points: { earned: number; possible: number };
  /** Whose work was graded, when, and by which commit of the course (`deno task grade --json` always writes it). */
  work?: Work;
  /** The lessons due (`--require`), whose failures alone fail the run; absent when every lesson graded counts. */
  required?: number[];
  /** Per lesson: its number, slug, title, points; whether every check passed; whether it is due (with `--require`); where it stands. */
  lessons: {
    number: number;
    slug: string;
    title: string;
    points: { earned: number; possible: number };
    status?: "pass" | "fail";
    due?: boolean;
    /** Where the lesson stands, as the grader's progress table says it (absent in files written before it was added). */
    progress?: LessonStatus;
  }[];
  /** Every check, in order. */
  tests: {
    name: string;
    lesson: number;
    id: string;
    status: Status;
    message: string | null;
    output: string | null;
    points: { earned: number; possible: number };
    /** True for a check of code the course gives whole: reported, worth no points. */
    given?: boolean;
  }[];
}

/**
 * Points are for the learner's work: a passed check is worth 1. Skipped checks
 * (a machine without IPv6, say) and checks of code the course gives whole
 * (`covers: "given"`, which untouched starters pass) count neither way.
 */
function points(result: Result) {
  return result.status === "skipped" || result.check.covers === "given"
    ? { earned: 0, possible: 0 }
    : { earned: result.status === "passed" ? 1 : 0, possible: 1 };
}

function message(result: Result): string | null {
  if (result.status === "passed") return null;
  return [
    result.message?.en,
    result.expected && `expected: ${textIn(result.expected, "en")}`,
    result.actual && `actual: ${textIn(result.actual, "en")}`,
  ]
    .filter(Boolean).join("\n") || null;
}

/**
 * The results as Exercism-style JSON with points; `options.work` says whose
 * work it is, `options.due` which lessons are due (then only they decide
 * `status`).
 */
export function toResultsJson(graded: LessonResults[], options: { work?: Work; due?: number[] } = {}): ResultsJson {
  const tests = graded.flatMap(({ lesson, results }) =>
    results.map((result) => ({
      name: `lesson ${lesson.number}: ${result.check.title.en}`,
      lesson: lesson.number,
      id: result.check.id,
      status: (result.status === "failed"
        ? (result.message?.en.startsWith("the grader itself failed") ? "error" : "fail")
        : "pass") as Status,
      message: message(result),
      output: result.status === "failed" && result.transcript.length ? result.transcript.join("\n") : null,
      points: points(result),
      ...(result.check.covers === "given" ? { given: true } : {}),
    }))
  );
  const { due, work } = options;
  const counted = due ? tests.filter((t) => due.includes(t.lesson)) : tests;
  const sum = (list: { points: { earned: number; possible: number } }[]) => ({
    earned: list.reduce((n, t) => n + t.points.earned, 0),
    possible: list.reduce((n, t) => n + t.points.possible, 0),
  });
  return {
    version: 2,
    status: counted.some((t) => t.status === "error")
      ? "error"
      : counted.some((t) => t.status === "fail")
      ? "fail"
      : "pass",
    ...(work ? { work } : {}),
    ...(due ? { required: due } : {}),
    points: sum(tests),
    lessons: graded.map(({ lesson, results }) => {
      const own = tests.filter((t) => t.lesson === lesson.number);
      return {
        number: lesson.number,
        slug: lesson.slug,
        title: lesson.title.en,
        points: sum(own),
        progress: lessonStatus(results),
        status: own.some((t) => t.status !== "pass") ? "fail" as const : "pass" as const,
        ...(due ? { due: due.includes(lesson.number) } : {}),
      };
    }),
    tests,
  };
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)
    // XML 1.0 has no place for most control characters; a transcript may hold them.
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** The results as JUnit XML: a test suite per lesson, a test case per check. */
export function toJUnit(graded: LessonResults[]): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = graded.map(({ lesson, results }) => {
    const failures = results.filter((r) => r.status === "failed").length;
    const skipped = results.filter((r) => r.status === "skipped").length;
    const time = results.reduce((n, r) => n + r.ms, 0);
    const cases = results.map((r) => {
      const open = `    <testcase classname="lesson-${lesson.number}" name="${xml(r.check.id)}: ${
        xml(r.check.title.en)
      }" time="${seconds(r.ms)}"`;
      if (r.status === "passed") return `${open}/>`;
      if (r.status === "skipped") {
        return `${open}>\n      <skipped message="${xml(r.message?.en ?? "")}"/>\n    </testcase>`;
      }
      return `${open}>\n      <failure message="${xml(r.message?.en ?? "failed")}">${
        xml(message(r) ?? "")
      }</failure>\n` +
        `      <system-out>${xml(r.transcript.join("\n"))}</system-out>\n    </testcase>`;
    });
    return `  <testsuite name="lesson ${lesson.number}: ${
      xml(lesson.title.en)
    }" tests="${results.length}" failures="${failures}" ` +
      `errors="0" skipped="${skipped}" time="${seconds(time)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="deno socket course">\n${
    suites.join("\n")
  }\n</testsuites>\n`;
}

/** The results as a markdown table for a CI job summary: a row per lesson, then the total. */
export function toMarkdown(json: ResultsJson): string {
  const rows = json.lessons.map((lesson) => {
    const tests = json.tests.filter((t) => t.lesson === lesson.number);
    const passed = tests.filter((t) => t.status === "pass" && t.points.possible > 0).length;
    const counted = tests.filter((t) => t.points.possible > 0).length;
    // Older files have no status: then only the counts tell.
    const status: LessonStatus = lesson.progress ??
      (passed === counted ? "done" : passed === 0 ? "not started" : "in progress");
    return `| ${
      STATUS_MARK[status]
    } ${lesson.number}. ${lesson.title} | ${status} | ${passed} / ${counted} | ${lesson.points.earned} / ${lesson.points.possible} |`;
  });
  return [
    "## Grading",
    "",
    "| Lesson | Status | Checks passed | Points |",
    "| --- | --- | ---: | ---: |",
    ...rows,
    `| **Total** | | | **${json.points.earned} / ${json.points.possible}** |`,
    "",
  ].join("\n");
}
