/**
 * The shape of a lesson's checks, and the one function that runs a check
 * against a folder of programs. `deno task grade` and `deno task test` both
 * call {@linkcode runCheck} with the same check lists, so the grader cannot
 * drift from the proof that it works.
 *
 * @module
 */
import { taskCommand } from "./course.ts";
import { CheckFailure, CheckSkipped } from "./failure.ts";
import { type Launch, LearnerProcess } from "./process.ts";
import { Transcript } from "./transcript.ts";
import { seconds } from "./deadline.ts";
import type { Bilingual, Lang, Text } from "./text.ts";
import type { Promised } from "./promises.ts";

export type { Bilingual } from "./text.ts";

/** What a check gets to work with while it runs. */
export interface Trial {
  /** The folder of programs under test (lessons/NN-…, solutions/NN-…, or a built variant). */
  dir: string;
  /** The record shown when the check fails. */
  transcript: Transcript;
  /** Starts one of the programs in `dir`; it is killed when the check ends, however it ends. */
  start(label: string, args: string[], options?: Pick<Launch, "extraFlags" | "stdin">): LearnerProcess;
  /** Registers anything else to close when the check ends (a socket, a listener, a temp file). */
  defer(resource: AsyncDisposable | Disposable): void;
}

/** One check: written once, used by the grader and by the test suite. */
export interface Check {
  /** Stable id, used by variants and in results: `time-line`. */
  id: string;
  /** What the check proves, as a short sentence. */
  title: Bilingual;
  /** What to look at when it fails, without giving the solution away. */
  hint: Bilingual;
  /**
   * "given" when the check covers code the starters already give (the
   * launcher's error for a refused connection, say): the untouched starters
   * pass it, and the suite proves they do. Every other check must fail on them.
   */
  covers?: "given";
  /** "hardening" for checks of robustness, which the report lists after the core ones. Default "core". */
  section?: "core" | "hardening";
  /** The whole check's deadline; past it, everything it started is killed. Default 20 s. */
  timeoutMs?: number;
  /**
   * True for a check that loads the machine (hundreds of connections, megabytes
   * at full speed) or whose verdict depends on the programs getting the CPU at
   * once: {@linkcode runChecks} runs it alone, never beside other checks.
   */
  alone?: boolean;
  /**
   * True for a check that spends seconds waiting on purpose (a deadline the
   * program under test must let pass): {@linkcode runChecks} starts it first,
   * beside the `jobs` others rather than in one of their places, so its
   * waiting overlaps their work. It is still reported in its place.
   */
  slow?: boolean;
  /** Talks to the programs; throws CheckFailure (or CheckSkipped) when they are wrong. */
  run(trial: Trial): Promise<void>;
}

/** Edits to one file of the reference. */
export interface Patch {
  /** The file of the reference to patch. */
  file: string;
  /** Each pair: text that occurs exactly once in the reference, and what replaces it. */
  patch: [string, string][];
}

/** A copy of the reference with one deliberate mistake, which a named check must catch. */
export interface Variant extends Patch {
  /** Folder-friendly id: `no-newline`. */
  id: string;
  /** The mistake, as a learner would make it. */
  mistake: string;
  /** More files the same mistake touches, when it is not in one. */
  also?: Patch[];
  /** The id of the promise (a row of the lesson's promise table) the mistake breaks. */
  breaks?: string;
  /** The check that must fail: one of the checks the broken promise names. */
  rejectedBy: string;
  /** What its failure message must say, so the learner is told the mistake. */
  message: RegExp;
}

/**
 * A copy of the reference written differently but correctly: another style
 * (a stream reader for a read loop, two writes for one), other words where the
 * lesson text leaves them free. It must pass every check, so no check can
 * demand the reference's own way of doing things.
 */
export interface Accepted extends Patch {
  /** Folder-friendly id: `reworded-errors`. */
  id: string;
  /** How it differs from the reference, and why that is still right. */
  differs: string;
  /** More files it changes. */
  also?: Patch[];
}

/** A lesson as the grader knows it. */
export interface Lesson {
  /** 1 for lessons/01-…; its task is `lesson-1`. */
  number: number;
  /** The folder name: `01-time-server`. */
  slug: string;
  /** The lesson's title. */
  title: Bilingual;
  /** Its checks, in the order a learner should meet them. */
  checks: Check[];
  /** Known-wrong variants the checks must reject. */
  variants: Variant[];
  /** Correct variants in other styles and words, which must pass every check. */
  accepted?: Accepted[];
  /** The lesson's promise table: every promise its text makes, and the checks that prove it. */
  promises?: Promised[];
  /** Files the course gives whole, the same in lessons/ and solutions/ (main.ts always). */
  given?: string[];
  /** The command that starts the lesson's (TCP) server, for the contract tests. Default `server`. */
  server?: string;
  /** What the reference demo's output must show; by default a server's address and a client's labelled line. */
  demo?: RegExp[];
}

/** The outcome of one check. */
export interface Result {
  /** The check that ran. */
  check: Check;
  /** passed, failed, or skipped (cannot run on this machine). */
  status: "passed" | "failed" | "skipped";
  /** Why it failed or was skipped. */
  message?: Bilingual;
  /** What was expected, when the check said. */
  expected?: Text;
  /** What arrived, when the check said. */
  actual?: Text;
  /** The labelled output and wire record. */
  transcript: string[];
  /** How long it took. */
  ms: number;
}

/** Runs `check` of `lesson` against the programs in `dir`. Never throws; never outlives the check's deadline by much. */
export async function runCheck(lesson: Lesson, check: Check, dir: string, lang: Lang = "en"): Promise<Result> {
  const transcript = new Transcript();
  const started = performance.now();
  const command = taskCommand(lesson, dir);
  await using cleanup = new AsyncDisposableStack();
  // Past the deadline the stack is disposed while the check may still be
  // running; from then on it may start nothing, and what it opens is closed.
  const programs: LearnerProcess[] = [];
  const trial: Trial = {
    dir,
    transcript,
    start(label, args, options = {}) {
      if (cleanup.disposed) {
        throw new CheckFailure({
          en: `the check ran out of time before starting the ${label}`,
          ru: `у проверки кончилось время раньше, чем она запустила ${label}`,
        });
      }
      const program = cleanup.use(new LearnerProcess({ label, command, args, ...options, todoLang: lang }, transcript));
      programs.push(program);
      return program;
    },
    defer(resource) {
      if (!cleanup.disposed) cleanup.use(resource);
      else if (Symbol.asyncDispose in resource) Promise.resolve(resource[Symbol.asyncDispose]()).catch(() => {});
      else resource[Symbol.dispose]();
    },
  };
  const limit = check.timeoutMs ?? 20_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CheckFailure({
            en: `the check did not finish within ${seconds(limit)}`,
            ru: `проверка не закончилась за ${seconds(limit)}`,
          }),
        ),
      limit,
    );
  });
  const running = check.run(trial);
  let result: Omit<Result, "transcript" | "ms">;
  try {
    await Promise.race([running, overdue]);
    result = { check, status: "passed" };
  } catch (error) {
    result = error instanceof CheckSkipped
      ? { check, status: "skipped", message: error.text }
      : error instanceof CheckFailure
      ? { check, status: "failed", message: error.text, expected: error.expected, actual: error.actual }
      : {
        check,
        status: "failed",
        message: {
          en: `the grader itself failed: ${error instanceof Error ? error.stack : error}`,
          ru: `сбой в самой проверке: ${error instanceof Error ? error.stack : error}`,
        },
      };
  } finally {
    clearTimeout(timer);
  }
  // Kill what the check started, then let the check's own code unwind. A cleanup that throws is the grader's own
  // bug: report it with the check, never let it end the whole run.
  try {
    await cleanup.disposeAsync();
  } catch (error) {
    const what = error instanceof Error ? error.stack : String(error);
    result = {
      check,
      status: "failed",
      message: {
        en: `the grader itself failed while cleaning up${
          result.message ? ` (after: ${result.message.en})` : ""
        }: ${what}`,
        ru: `сбой в самой проверке при уборке${result.message ? ` (после: ${result.message.ru})` : ""}: ${what}`,
      },
    };
  }
  await running.catch(() => {});
  // A program that stopped at an unfinished step explains the failure best.
  const unfinished = programs.flatMap((p) => p.stderr).find((line) => line.startsWith("not done yet: "));
  if (result.status === "failed" && unfinished) {
    const so = result.message!;
    // The programs speak English to the grader; the Russian report says the same line in Russian.
    const unfinishedRu = unfinished.replace(/^not done yet: TODO (\d+) in (\S+):/, "ещё не сделано: TODO $1 в $2:");
    result = { ...result, message: { en: `${unfinished} (so: ${so.en})`, ru: `${unfinishedRu} (поэтому: ${so.ru})` } };
  }
  return { ...result, transcript: transcript.render(), ms: Math.round(performance.now() - started) };
}

/** One run of a check against a folder: what {@linkcode runChecks} is given. */
export interface Run {
  /** The lesson the check belongs to. */
  lesson: Lesson;
  /** The check. */
  check: Check;
  /** The folder of programs to run it against. */
  dir: string;
}

/**
 * The number of checks run at once by default. Most of a check's time is
 * waiting (for a deadline, a dribbled byte, a program to start), so a few at a
 * time take little more CPU than one; checks marked `alone` still run alone.
 */
export const JOBS = 4;

/**
 * Runs every run, `jobs` at a time (a check marked `alone` with nothing else
 * beside it; those marked `slow` first, and beside the `jobs`), and returns
 * the results in the order given. `onResult` sees each result in that order
 * as soon as it and all before it are done, so a report can print as it goes.
 */
export async function runChecks(
  runs: Run[],
  options: { jobs?: number; lang?: Lang; onResult?: (result: Result, index: number) => void } = {},
): Promise<Result[]> {
  const jobs = Math.max(1, options.jobs ?? JOBS);
  const results: Result[] = new Array(runs.length);
  let shown = 0;
  const show = () => {
    for (; shown < runs.length && results[shown] !== undefined; shown++) options.onResult?.(results[shown], shown);
  };
  const running = new Set<Promise<void>>();
  // Slow checks mostly wait: they start first (the sort is stable) and take no place, so they run beside the
  // `jobs` others. Results still come in the order given.
  const waiting = new Set<Promise<void>>();
  const starts = [...runs.keys()].sort((a, b) =>
    Number(runs[b].check.slow === true) - Number(runs[a].check.slow === true)
  );
  for (const index of starts) {
    const run = runs[index];
    const alone = run.check.alone === true;
    const slow = !alone && jobs > 1 && run.check.slow === true;
    // A check that runs alone waits for all others to finish; the others wait for a free place.
    if (alone) {
      while (running.size + waiting.size > 0) await Promise.race([...running, ...waiting]);
    } else if (!slow) {
      while (running.size >= jobs) await Promise.race(running);
    }
    const place = slow ? waiting : running;
    const job = runCheck(run.lesson, run.check, run.dir, options.lang).then((result) => {
      results[index] = result;
      place.delete(job);
      show();
    });
    place.add(job);
    // Nothing starts beside a check that must run alone.
    if (alone) await job;
  }
  await Promise.all([...running, ...waiting]);
  return results;
}
