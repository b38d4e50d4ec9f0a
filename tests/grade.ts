/**
 * `deno task grade [N…] [--all]`: runs the lessons' checks against your
 * programs in lessons/ and says, check by check, what passed and what did
 * not. The first failure is shown in full (what was expected, what arrived,
 * a hint naming the TODO it concerns, and what your programs printed);
 * `--all` shows every failure so. Grading several lessons, a lesson whose
 * programs still stop at a TODO is one line: where it stands, and that step.
 * `--json PATH` and `--junit PATH` also write the results for CI (Exercism's
 * results.json shape with points, and JUnit XML; PATH under `results/` or
 * `/tmp`). Exit code 0 only when every check passed; with `--require 1,2`,
 * only when the due lessons' checks passed (the others are reported, not
 * failed). `--lessons PATH` grades another checkout's lessons folder with
 * these graders and the course's permissions for its programs.
 *
 * @module
 */
import { parseArgs, styleText } from "node:util";
import { lessons } from "./checks/mod.ts";
import { lessonDir } from "./harness/course.ts";
import { describeWork } from "./work.ts";
import { JOBS, type Lesson, type Result, runChecks } from "./harness/check.ts";
import { type LessonResults, lessonStatus, toJUnit, toResultsJson } from "./report.ts";
import { type Lang, textIn } from "./harness/text.ts";
import { spawnRefused } from "./harness/process.ts";
import { argsMistake, cliLanguage, usageError, usageLine } from "./cli.ts";
import { stepsOf, stepsText } from "./hint.ts";
import { datagramsOf, wireOf } from "./harness/transcript.ts";
import { datagramLadder, ladder, LADDER_WORDS } from "../lessons/_shared/trace.ts";

const colour = Deno.stdout.isTerminal() && !Deno.noColor;
/** How many checks run at once (`--jobs`); 1 runs them one by one. */
let jobs = JOBS;
/** The folder of lessons graded (`--lessons`): another checkout's `lessons/`; by default this course's own. */
let lessonsPath: string | undefined;

/** The folder graded for `lesson`: `<--lessons>/<slug>`, or this course's `lessons/<slug>`. */
function gradedDir(lesson: Lesson): string {
  return lessonsPath === undefined ? lessonDir(lesson, "lessons") : `${lessonsPath}/${lesson.slug}`;
}
/** The report in the learner's language: `--lang`, else LC_ALL or LANG when the task may read them; else English. */
let lang: Lang = cliLanguage(Deno.args);

/** The report's own words; the checks bring theirs. */
const WORDS = {
  en: {
    noLesson: (text: string) => `there is no graded lesson '${text}'`,
    watchOne: "--watch grades one lesson: deno task grade N --watch",
    outside: (flag: string, path: string) =>
      `--${flag} ${path}: the results go under results/ or /tmp (say results/${path.split("/").at(-1)})`,
    progress: "progress",
    status: { "done": "done", "in progress": "in progress", "not started": "not started" },
    checks: "checks",
    next: (n: number, title: string, id: string, slug: string) =>
      `Next: lesson ${n}, "${title}" [${id}]: read lessons/${slug}/README.md, then deno task grade ${n}.`,
    nextTodo: (n: number, todo: string, slug: string) =>
      `Next: lesson ${n}: read lessons/${slug}/README.md, then write ${todo}; deno task lesson-${n} runs your programs, deno task grade ${n} grades them.`,
    unfinished: (status: string, passed: number, total: number, todo: string) =>
      `${status}, ${passed} of ${total} checks; next: ${todo}`,
    sameStep: "(the same step as above)",
    allDone: "Next: nothing left. Every lesson is done.",
    skipped: "skipped:",
    failed: "failed",
    expected: "expected:",
    actual: "actual:  ",
    hint: "hint:    ",
    differs: "the first difference",
    happened: "what happened (your programs' output and the bytes on the wire):",
    wire: "the last connection on the wire, as a ladder (time goes down):",
    datagrams: "the last datagrams on the wire, as a ladder (time goes down; UDP has no connection):",
    yourServer: "your server",
    yourClient: "your client",
    leftOut: (n: number) => `(${n} events left out)`,
    cheats: (slug: string) => `not graded: lessons/${slug} imports from solutions/ or tests/:`,
    standAlone: "Your programs must stand on their own; remove those imports and grade again.",
    lesson: "lesson",
    section: { core: "core", hardening: "hardening: what real servers meet" },
    passed: (passed: number, total: number) => `${passed} of ${total} checks passed`,
    skippedHere: (n: number) => `, ${n} skipped on this machine`,
    wellDone: ". Well done.",
    failedCount: (n: number) => `, ${n} failed.`,
    fixFirst: "Next: fix the first failure shown in full above, then run the grader again.",
    seeAll: "(deno task grade N --all shows every failure in full.)",
    watching: (slug: string) => `watching lessons/${slug} for changes; Ctrl+C stops`,
  },
  ru: {
    noLesson: (text: string) => `урока '${text}' с проверками нет`,
    watchOne: "--watch проверяет один урок: deno task grade N --watch",
    outside: (flag: string, path: string) =>
      `--${flag} ${path}: результаты пишутся в results/ или /tmp (например, results/${path.split("/").at(-1)})`,
    progress: "прогресс",
    status: { "done": "готов", "in progress": "в работе", "not started": "не начат" },
    checks: "проверок",
    next: (n: number, title: string, id: string, slug: string) =>
      `Дальше: урок ${n}, «${title}» [${id}]: прочитайте lessons/${slug}/README.ru.md, затем deno task grade ${n}.`,
    nextTodo: (n: number, todo: string, slug: string) =>
      `Дальше: урок ${n}: прочитайте lessons/${slug}/README.ru.md, затем напишите ${todo}; deno task lesson-${n} запускает ваши программы, deno task grade ${n} проверяет их.`,
    unfinished: (status: string, passed: number, total: number, todo: string) =>
      `${status}, пройдено проверок: ${passed} из ${total}; дальше: ${todo}`,
    sameStep: "(тот же шаг, что выше)",
    allDone: "Дальше: ничего не осталось. Все уроки готовы.",
    skipped: "пропущена:",
    failed: "не пройдена",
    expected: "ожидалось:",
    actual: "пришло:   ",
    hint: "подсказка:",
    differs: "первое расхождение",
    happened: "что произошло (вывод ваших программ и байты в сети):",
    wire: "последнее соединение в сети лестницей (время идёт вниз):",
    datagrams: "последние датаграммы в сети лестницей (время идёт вниз; у UDP нет соединения):",
    yourServer: "ваш сервер",
    yourClient: "ваш клиент",
    leftOut: (n: number) => `(пропущено событий: ${n})`,
    cheats: (slug: string) => `не проверяется: lessons/${slug} импортирует из solutions/ или tests/:`,
    standAlone: "Ваши программы должны работать сами по себе; уберите эти импорты и запустите проверку снова.",
    lesson: "урок",
    section: { core: "основное", hardening: "закалка: что встречается настоящим серверам" },
    passed: (passed: number, total: number) => `пройдено проверок: ${passed} из ${total}`,
    skippedHere: (n: number) => `, пропущено на этой машине: ${n}`,
    wellDone: ". Отлично.",
    failedCount: (n: number) => `, не пройдено: ${n}.`,
    fixFirst: "Дальше: исправьте первую ошибку, показанную выше целиком, и запустите проверку снова.",
    seeAll: "(deno task grade N --all показывает каждую ошибку целиком.)",
    watching: (slug: string) => `слежу за изменениями в lessons/${slug}; Ctrl+C — остановить`,
  },
};
const paint = (format: Parameters<typeof styleText>[0], text: string) =>
  colour ? styleText(format, text, { validateStream: false }) : text;

/** `deno task grade`'s command line, for `--help` and usage errors. */
const GRADE_CLI = {
  name: "grade",
  about: {
    en:
      "Grades your programs in lessons/: every lesson, or the ones named; the first failure in full, then what to do next. Exit code 0 only when every check passed.",
    ru:
      "Проверяет ваши программы в lessons/: все уроки или названные; первая ошибка целиком, затем что делать дальше. Код выхода 0, только если пройдены все проверки.",
  },
  usage: {
    en:
      `[LESSON…] [--all] [--json PATH] [--junit PATH] [--watch] [--lang en|ru] [--jobs N] [--lessons PATH] [--require LIST]   (lessons: ${
        lessons.map((l) => l.number).join(", ")
      }; PATH under results/ or /tmp)`,
    ru:
      `[УРОК…] [--all] [--json ПУТЬ] [--junit ПУТЬ] [--watch] [--lang en|ru] [--jobs N] [--lessons ПУТЬ] [--require СПИСОК]   (уроки: ${
        lessons.map((l) => l.number).join(", ")
      }; ПУТЬ в results/ или /tmp)`,
  },
  options: {},
};

function usage(message: string): never {
  usageError(GRADE_CLI, message, lang);
}

function chosenLessons(positionals: string[]): Lesson[] {
  if (positionals.length === 0) return lessons;
  return positionals.map((text) => {
    const lesson = lessons.find((l) => String(l.number) === text.replace(/^0+/, ""));
    return lesson ?? usage(WORDS[lang].noLesson(text));
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
export function progress(graded: LessonResults[], language: Lang = "en"): string[] {
  const words = WORDS[language];
  const rows = graded.map(({ lesson, results }) => {
    const counted = results.filter((r) => r.status !== "skipped");
    const passed = counted.filter((r) => r.status === "passed");
    return { lesson, status: lessonStatus(results), text: `${passed.length}/${counted.length}` };
  });
  const lines = [paint("bold", words.progress)];
  for (const row of rows) {
    const colour = row.status === "done" ? "green" : row.status === "in progress" ? "yellow" : "dim";
    lines.push(
      `  ${words.lesson} ${row.lesson.number}  ${paint(colour, words.status[row.status].padEnd(11))}  ${
        row.text.padStart(5)
      } ${words.checks}  ${row.lesson.title[language]}`,
    );
  }
  const next = graded.find(({ results }) => results.some((r) => r.status === "failed"));
  const first = next?.results.find((r) => r.status === "failed");
  const todo = next && unfinishedStep(next.results, language);
  lines.push(
    next && todo
      ? words.nextTodo(next.lesson.number, todo.replace(/^[^:]+: /, "").replace(/: [^]*$/, ""), next.lesson.slug)
      : next && first
      ? words.next(next.lesson.number, first.check.title[language], first.check.id, next.lesson.slug)
      : words.allDone,
  );
  return lines;
}

/** The "not done yet: TODO n in FILE" a failure's message starts with, if a program stopped at a TODO. */
function todoOf(result: Result, language: Lang): string | undefined {
  if (result.status !== "failed") return undefined;
  return result.message?.[language].match(/^(?:not done yet|ещё не сделано): TODO \d+ (?:in|в) [^\s:]+/)?.[0];
}

/**
 * The step a lesson stopped at: the first failed check's TODO line, with its
 * goal ("not done yet: TODO 1 in lessons/…/server.ts: listen on …"), when a
 * program stopped at one; undefined when the lesson's programs ran to the end.
 */
export function unfinishedStep(results: Result[], language: Lang = "en"): string | undefined {
  const stopped = results.find((r) => todoOf(r, language) !== undefined);
  // The message goes on after the goal with " (so: what the check saw)".
  return stopped?.message?.[language].replace(/ \((?:so|поэтому): [^]*$/, "");
}

/** `text` cut to `width` characters, with "…" where it was cut. */
function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * Where two quoted renderings of bytes (`"…"`, as `visible` makes them) part,
 * as a column, so the report can point at it; undefined when expected is not
 * one quoted string, actual does not start with one, or they agree.
 */
export function firstDifferingColumn(expected: string, actual: string): number | undefined {
  // Only bytes against bytes: an expected that is one quoted string, an actual that starts with one.
  if (!/^"(?:[^"\\]|\\.)*"$/.test(expected) || !actual.startsWith('"')) return undefined;
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  if (i === expected.length || i === actual.length) return undefined;
  return i;
}

/**
 * One check's lines of the report: its mark and title; when it failed, its
 * message, and in `full` also expected, actual, the hint (naming the TODO it
 * concerns, where the course knows) and the transcript. A failure that stopped
 * at a TODO already shown is one short line.
 */
export function render(result: Result, full: boolean, todosShown: Set<string> = new Set(), lesson?: Lesson): string[] {
  const mark = result.status === "passed"
    ? paint("green", "✔")
    : result.status === "skipped"
    ? paint("yellow", "○")
    : paint("red", "✘");
  const words = WORDS[lang];
  const title = result.check.title[lang];
  const lines = [`  ${mark} ${title} ${paint("dim", `[${result.check.id}, ${result.ms} ms]`)}`];
  if (result.status === "skipped") lines.push(`      ${words.skipped} ${result.message?.[lang]}`);
  if (result.status !== "failed") return lines;
  // A step already named above is named again in one short line: its goal is there.
  const todo = todoOf(result, lang);
  if (todo && !full && todosShown.has(todo)) {
    lines.push(`      ${paint("red", `${todo} ${words.sameStep}`)}`);
    return lines;
  }
  if (todo) todosShown.add(todo);
  lines.push(`      ${paint("red", result.message?.[lang] ?? words.failed)}`);
  if (!full) return lines;
  const expected = result.expected && textIn(result.expected, lang);
  const actual = result.actual && textIn(result.actual, lang);
  if (expected) lines.push(`      ${words.expected} ${expected}`);
  if (actual) lines.push(`      ${words.actual} ${actual}`);
  const at = expected && actual ? firstDifferingColumn(expected, actual) : undefined;
  if (at !== undefined) {
    lines.push(`${" ".repeat(6 + words.actual.length + 1 + at)}${paint("red", `^ ${words.differs}`)}`);
  }
  // Which TODO the hint is about, where the course knows.
  const steps = lesson && stepsOf(lesson).get(result.check.id);
  const about = lesson && steps?.length ? `(${stepsText(lesson, steps, lang)}) ` : "";
  lines.push(`      ${paint("cyan", words.hint)} ${about}${result.check.hint[lang]}`);
  if (result.transcript.length) {
    lines.push(`      ${words.happened}`);
    lines.push(...result.transcript.map((line) => `      ${paint("dim", line)}`));
    lines.push(...wireLadder(result.transcript, lang).map((line) => `      ${line}`));
  }
  return lines;
}

/** Rows of a failed check's ladder: the connection's opening, then its last ones. */
const LADDER_ROWS = 12;

/**
 * The grader's last exchange in a transcript, drawn as a ladder: its last TCP
 * connection, or its last UDP talk if that began later; the grader on its
 * side, the learner's program on the other. A connection shows its opening
 * and its last events, so the exchange that failed is in view (a connect and
 * nothing after it is a picture too); datagrams show the last ones, those the
 * grader dropped (playing a lossy network) ending in an X. Nothing when the
 * transcript shows no exchange of the grader's.
 */
export function wireLadder(transcript: string[], language: Lang): string[] {
  const words = WORDS[language];
  // The last one opened: where a check failed, it is usually the one it was busy with, even if nothing came back.
  const conversation = wireOf(transcript).at(-1);
  const talk = datagramsOf(transcript).filter((t) => t.events.length > 0).sort((a, b) =>
    a.events[0].ms - b.events[0].ms
  ).at(-1);
  const names = (grader: "client" | "server", label: string) =>
    grader === "client" ? { client: label, server: words.yourServer } : { client: words.yourClient, server: label };
  if (talk && (!conversation || talk.events[0].ms >= conversation.events[0].ms)) {
    const [, header, ...rows] = datagramLadder(
      talk.events,
      undefined,
      { ...LADDER_WORDS[language], ...names(talk.grader, talk.label) },
      undefined,
      38,
    );
    const legend = rows.at(-1)?.trim().startsWith("X") ? [rows.pop()!] : [];
    const shown = rows.length <= LADDER_ROWS
      ? rows
      : [`  ${words.leftOut(rows.length - LADDER_ROWS + 1)}`, ...rows.slice(-(LADDER_ROWS - 1))];
    return [words.datagrams, header, ...shown, ...legend];
  }
  if (!conversation) return [];
  const [, header, ...rows] = ladder(conversation.events, {
    ...LADDER_WORDS[language],
    ...names(conversation.grader, conversation.label),
  });
  const shown = rows.length <= LADDER_ROWS
    ? rows
    : [rows[0], `  ${words.leftOut(rows.length - LADDER_ROWS + 1)}`, ...rows.slice(-(LADDER_ROWS - 1))];
  return [words.wire, header, ...shown];
}

/** What one grading pass found. */
interface Pass {
  graded: LessonResults[];
  passed: number;
  failed: number;
  skipped: number;
  /** Failures shown in full, and failures shown in a line or folded into a lesson's line. */
  shownInFull: number;
  brief: number;
}

/**
 * Grades `chosen`, printing each line of the report through `print`. One
 * lesson is reported check by check as the checks end. Several lessons: a
 * lesson whose programs stop at an unfinished step is one line (where it
 * stands and that step); the others check by check.
 */
async function gradeOnce(chosen: Lesson[], all: boolean, print: (line: string) => void): Promise<Pass> {
  const pass: Pass = { graded: [], passed: 0, failed: 0, skipped: 0, shownInFull: 0, brief: 0 };
  const words = WORDS[lang];
  const many = chosen.length > 1;
  const todosShown = new Set<string>();
  let lastFolded = false;
  for (const lesson of chosen) {
    const results: Result[] = [];
    pass.graded.push({ lesson, results });
    const cheats = await forbiddenImports(gradedDir(lesson));
    if (cheats.length > 0) {
      // Graded as it stands, the lesson would be graded on the reference or the grader, not on its code.
      if (lastFolded) print("");
      lastFolded = false;
      print(paint("red", `  ${words.cheats(lesson.slug)}`));
      for (const line of cheats) print(`    ${line}`);
      print(`  ${words.standAlone}`);
      for (const check of lesson.checks) {
        results.push({
          check,
          status: "failed",
          message: {
            en: "not graded: the lesson imports from solutions/ or tests/",
            ru: "не проверяется: урок импортирует из solutions/ или tests/",
          },
          transcript: [],
          ms: 0,
        });
        pass.failed++;
        pass.brief++;
      }
      print("");
      continue;
    }
    const heading = `${words.lesson} ${lesson.number}: ${lesson.title[lang]} (${
      lessonsPath === undefined ? `lessons/${lesson.slug}` : gradedDir(lesson)
    })`;
    let section = "core";
    /** Renders one result, heading the hardening section when it starts. */
    const lines = (result: Result): string[] => {
      const out: string[] = [];
      if ((result.check.section ?? "core") !== section) {
        section = result.check.section ?? "core";
        out.push(paint("bold", `  ${words.section[section as "core" | "hardening"]}`));
      }
      const full = result.status === "failed" && (all || pass.shownInFull === 0);
      if (full) pass.shownInFull++;
      else if (result.status === "failed") pass.brief++;
      out.push(...render(result, full, todosShown, lesson));
      return out;
    };
    if (!many) print(paint("bold", heading));
    // Checks run a few at a time; the report prints each in the lesson's order as soon as it and those before are done.
    const dir = gradedDir(lesson);
    await runChecks(lesson.checks.map((check) => ({ lesson, check, dir })), {
      lang,
      jobs,
      onResult(result) {
        results.push(result);
        if (result.status === "passed") pass.passed++;
        else if (result.status === "skipped") pass.skipped++;
        else pass.failed++;
        if (!many) print(lines(result).join("\n"));
      },
    });
    if (many) {
      const step = unfinishedStep(results, lang);
      if (step && !all) {
        // Unfinished: where it stands and its next step, in one line.
        const counted = results.filter((r) => r.status !== "skipped");
        const passed = counted.filter((r) => r.status === "passed").length;
        const status = lessonStatus(results);
        pass.brief += counted.length - passed;
        const line = `${heading}: ${
          words.unfinished(words.status[status], passed, counted.length, step.replace(/^[^:]+: /, ""))
        }`;
        print(`${paint("bold", shorten(line, width()))}`);
        lastFolded = true;
        continue;
      }
      if (lastFolded) print("");
      lastFolded = false;
      print(paint("bold", heading));
      for (const result of results) print(lines(result).join("\n"));
    }
    print("");
  }
  if (lastFolded) print("");
  return pass;
}

/**
 * `--lessons PATH`: the lessons folder of another checkout, graded with this
 * checkout's graders. It must hold a folder for each lesson chosen; returns
 * its absolute path.
 */
async function lessonsFolder(path: string, chosen: Lesson[]): Promise<string> {
  const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const folder = absolute.replace(/\/+$/, "");
  for (const lesson of chosen) {
    try {
      if (!(await Deno.stat(`${folder}/${lesson.slug}`)).isDirectory) throw new Deno.errors.NotFound();
    } catch (error) {
      if (error instanceof Deno.errors.PermissionDenied) {
        usage(`--lessons ${path}: the grade task may read only this course's folder and /tmp`);
      }
      usage(`--lessons ${path}: there is no folder ${lesson.slug} in it`);
    }
  }
  return folder;
}

/**
 * `--require LIST`: the lessons that are due, e.g. `1,2` (an empty list: none).
 * Each must be a lesson being graded.
 */
export function dueLessons(list: string, chosen: Pick<Lesson, "number">[]): number[] {
  const numbers = list.split(",").map((text) => text.trim()).filter((text) => text !== "");
  return numbers.map((text) => {
    const lesson = /^\d+$/.test(text) ? chosen.find((l) => l.number === Number(text)) : undefined;
    if (!lesson) {
      usage(
        `--require takes lesson numbers being graded, separated by commas (${
          chosen.map((l) => l.number).join(", ")
        }); '${text}' is not one`,
      );
    }
    return lesson.number;
  });
}

/** The due lessons with a failed check. */
export function failedDue(graded: LessonResults[], due: number[]): number[] {
  return graded
    .filter(({ lesson, results }) => due.includes(lesson.number) && results.some((r) => r.status === "failed"))
    .map(({ lesson }) => lesson.number);
}

/** The line under the verdict when lessons are due: whether they pass, and that the others do not count. */
export function dueVerdict(graded: LessonResults[], due: number[], language: Lang = "en"): string {
  const failing = failedDue(graded, due);
  const list = (numbers: number[]) => numbers.length ? numbers.join(", ") : "-";
  const others = graded.map(({ lesson }) => lesson.number).filter((n) => !due.includes(n));
  if (language === "ru") {
    return `к сдаче: уроки ${list(due)}; ${
      failing.length ? `не пройдены: ${list(failing)}` : "все пройдены"
    }; остальные (${list(others)}) показаны, но не в счёт.`;
  }
  return `due: lessons ${list(due)}; ${failing.length ? `failing: ${list(failing)}` : "all pass"}; the others (${
    list(others)
  }) are reported, not failed.`;
}

/** Writes a results file, making its folder (`results/` in a fresh checkout); a failure is one line and exit 2. */
async function writeResults(path: string, text: string): Promise<void> {
  try {
    const folder = path.split("/").slice(0, -1).join("/");
    if (folder) await Deno.mkdir(folder, { recursive: true });
    await Deno.writeTextFile(path, text);
  } catch (error) {
    console.error(`grade: cannot write ${path}: ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(2);
  }
}

/** How wide a line of the report may be: the terminal's width, else 160 columns. */
function width(): number {
  try {
    return Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 160;
  } catch {
    return 160;
  }
}

/** The closing lines: counts, and what to do next. */
function verdict(pass: Pass, all: boolean): string[] {
  const words = WORDS[lang];
  const total = pass.passed + pass.failed + pass.skipped;
  const summary = `${words.passed(pass.passed, total)}${pass.skipped ? words.skippedHere(pass.skipped) : ""}`;
  if (pass.failed === 0) return [paint("green", `${summary}${words.wellDone}`)];
  const lines = [paint("red", `${summary}${words.failedCount(pass.failed)}`)];
  // Only when a failure was shown in full: a report of unfinished lessons shows none.
  if (pass.shownInFull > 0) lines.push(words.fixFirst);
  if (!all && pass.shownInFull > 0 && pass.brief > 0) lines.push(words.seeAll);
  return lines;
}

/**
 * `--watch`: grades the lesson, then again each time a file in its folder
 * changes. Each pass clears the screen and ends with the counts, so the
 * answer is where the eye lands while you edit; Ctrl+C stops.
 */
async function watch(lesson: Lesson, all: boolean): Promise<never> {
  const dir = gradedDir(lesson);
  while (true) {
    const lines: string[] = [];
    const pass = await gradeOnce([lesson], all, (line) => lines.push(line));
    if (Deno.stdout.isTerminal()) console.log("\x1b[2J\x1b[H");
    console.log(paint("dim", WORDS[lang].watching(lesson.slug)) + "\n");
    console.log(lines.join("\n"));
    // The round ends with its summary line, where the eye lands.
    console.log(verdict(pass, all).join("\n"));
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
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(`${GRADE_CLI.about[lang]}\n\n${usageLine(GRADE_CLI, lang)}`);
    Deno.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        all: { type: "boolean" },
        json: { type: "string" },
        junit: { type: "string" },
        watch: { type: "boolean" },
        lang: { type: "string" },
        jobs: { type: "string" },
        lessons: { type: "string" },
        require: { type: "string" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    usage(argsMistake(error, lang));
  }
  if (parsed.values.lang !== undefined) {
    if (!/^(en|ru)$/.test(parsed.values.lang)) usage("--lang takes en or ru");
    lang = parsed.values.lang as Lang;
  }
  if (parsed.values.jobs !== undefined) {
    if (!/^[1-9]\d?$/.test(parsed.values.jobs)) usage("--jobs takes a number from 1 to 99");
    jobs = Number(parsed.values.jobs);
  }
  // The task may write results only under results/ and /tmp: say so before grading, not after.
  for (const flag of ["json", "junit"] as const) {
    const path = parsed.values[flag];
    if (path !== undefined && !/^(\.\/)?results\/[^]+|^\/tmp\/[^]+/.test(path) || path?.split("/").includes("..")) {
      usage(WORDS[lang].outside(flag, path!));
    }
  }
  const chosen = chosenLessons(parsed.positionals);
  if (parsed.values.lessons !== undefined) lessonsPath = await lessonsFolder(parsed.values.lessons, chosen);
  const due = parsed.values.require === undefined ? undefined : dueLessons(parsed.values.require, chosen);
  const all = parsed.values.all ?? false;
  // When the machine will not let the grader start a program, that is said once, as the machine's doing (exit 3).
  const refused = await spawnRefused();
  if (refused) {
    console.error(`error: ${refused[lang]}`);
    Deno.exit(3);
  }
  if (parsed.values.watch) {
    if (chosen.length !== 1) usage(WORDS[lang].watchOne);
    await watch(chosen[0], all);
  }
  const pass = await gradeOnce(chosen, all, console.log);
  // For CI and learning platforms: Exercism-style JSON with points, and JUnit XML.
  if (parsed.values.json) {
    const json = toResultsJson(pass.graded, {
      due,
      work: await describeWork(lessonsPath ?? lessonDir(chosen[0], "lessons")),
    });
    await writeResults(parsed.values.json, JSON.stringify(json, null, 2) + "\n");
  }
  if (parsed.values.junit) await writeResults(parsed.values.junit, toJUnit(pass.graded));
  if (pass.graded.length > 1) console.log(progress(pass.graded, lang).join("\n") + "\n");
  console.log(verdict(pass, all).join("\n"));
  if (due) console.log(dueVerdict(pass.graded, due, lang));
  Deno.exit((due ? failedDue(pass.graded, due).length : pass.failed) === 0 ? 0 : 1);
}
