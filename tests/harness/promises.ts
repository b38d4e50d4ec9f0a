/**
 * A lesson's promise table: every promise its text makes about the learner's
 * programs, quoted where it is written, and the checks that prove it. The
 * lesson text is the specification; this table is how the suite holds the
 * graders to it (tests/promises_test.ts):
 *
 * - every quote still stands, word for word, where the row says (the lesson
 *   text in English and Russian, a TODO goal in a starter, a flag's line in a
 *   command's `--help`, or the course's program contract);
 * - every row names checks that exist, or says why it is not graded;
 * - every check proves at least one row, and every flag of every `--help` has
 *   a row;
 * - every graded row is broken by at least one known-wrong variant, rejected
 *   by one of the row's checks, and the lesson has at least
 *   {@linkcode MIN_VARIANTS} of them and at least one accepted variant;
 * - the lesson text's "What the grader checks" section is the one
 *   {@linkcode graderSection} renders from the table (`deno task promises`
 *   writes it).
 *
 * @module
 */
import { programEnv } from "./process.ts";
import type { Bilingual, Lang } from "./text.ts";
import type { Lesson } from "./check.ts";
import { lessonDir, ROOT } from "./course.ts";

/** Where a promise is written. */
export type Source =
  /** The lesson text: `lessons/NN-…/README.md`, and `README.ru.md` for the Russian quote. */
  | "text"
  /** The course's program contract, which every lesson keeps: the root README.md and README.ru.md. */
  | "contract"
  /** The goal of a TODO in this starter file of the lesson (both languages are in the file). */
  | { todo: string }
  /** A line of `COMMAND --help`: the flag's line, or with no flag the command's summary line. */
  | { help: string; flag?: string };

/** A promise as it stands in one place: where, and its words there. */
export interface Quote {
  /** Where the promise is written. */
  in: Source;
  /** The promise, quoted exactly as it stands there (runs of spaces and line breaks may differ). */
  says: Bilingual;
}

/** One row of a lesson's promise table: one promise, the places that make it, and its proof. */
export interface Promised extends Quote {
  /** A short id, which known-wrong variants name when they break it: `time-offset`. */
  id: string;
  /** The same promise made again elsewhere (a flag's `--help` line, a TODO goal, the contract), each quoted. */
  also?: Quote[];
  /** The checks that prove it; empty only when `ungraded` says why. */
  checks: string[];
  /** Why the promise is deliberately not graded (the text must not present it as a requirement). */
  ungraded?: Bilingual;
}

/** Every place a row quotes: its own, then the others. */
export function quotesOf(promise: Promised): Quote[] {
  return [{ in: promise.in, says: promise.says }, ...(promise.also ?? [])];
}

/** The fewest known-wrong variants a lesson may have. */
export const MIN_VARIANTS = 12;

/** Runs of whitespace as one space, so a quote may cross the text's line breaks. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `--help` outputs already asked for, by lesson, command and language: a table quotes each many times. */
const helpCache = new Map<string, Promise<string[]>>();

/** The lines of `COMMAND --help` of the lesson's reference in `lang`; with no command, the program's menu. */
export function helpLines(lesson: Lesson, command: string | undefined, lang: Lang): Promise<string[]> {
  const key = `${lesson.number} ${command ?? ""} ${lang}`;
  let lines = helpCache.get(key);
  if (!lines) helpCache.set(key, lines = askHelp(lesson, command, lang));
  return lines;
}

async function askHelp(lesson: Lesson, command: string | undefined, lang: Lang): Promise<string[]> {
  const task = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks[`solution-${lesson.number}`];
  const words = (typeof task === "string" ? task : task.command).split(/\s+/).slice(1);
  const output = await new Deno.Command("deno", {
    args: [...words, ...(command === undefined ? [] : [command]), "--help"],
    cwd: ROOT,
    clearEnv: true,
    env: programEnv({ LANG: lang === "ru" ? "ru_RU.UTF-8" : "C.UTF-8", LC_ALL: "" }),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(15_000),
  }).output();
  return new TextDecoder().decode(output.stdout).split("\n");
}

/** The lesson's commands, as the reference's `--help` menu lists them. */
export async function commandsOf(lesson: Lesson): Promise<string[]> {
  const menu = await helpLines(lesson, undefined, "en");
  return menu.slice(menu.indexOf("commands:") + 1).map((line) => line.match(/^ {2}(\S+) {2}/)?.[1])
    .filter((command): command is string => command !== undefined);
}

/** Formats markdown as `deno fmt` does with the course's settings. */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", "--ext", "md", "-"],
    cwd: ROOT,
    clearEnv: true,
    env: programEnv(),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(15_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(output.stderr)}`);
  return new TextDecoder().decode(output.stdout);
}

/** The flags a `--help` lists (`--port`, `--udp`, …), `--help` itself left out. */
export function helpFlags(lines: string[]): string[] {
  return lines.map((line) => line.match(/^ {2}(--[\w-]+)/)?.[1]).filter((flag): flag is string =>
    flag !== undefined && flag !== "--help"
  );
}

/** The text a row quotes from, in `lang`, and how to name the place for a reader. */
async function sourceText(lesson: Lesson, source: Source, lang: Lang): Promise<string> {
  const readme = lang === "ru" ? "README.ru.md" : "README.md";
  if (source === "text") {
    // Not the grader section: it is rendered from the table, and a promise cannot be its own proof.
    const [before, , after] = splitAtSection(await Deno.readTextFile(`${lessonDir(lesson, "lessons")}/${readme}`));
    return before + after;
  }
  if (source === "contract") return await Deno.readTextFile(`${ROOT}/${readme}`);
  if ("todo" in source) return await Deno.readTextFile(`${lessonDir(lesson, "lessons")}/${source.todo}`);
  const lines = await helpLines(lesson, source.help, lang);
  if (source.flag === undefined) return lines[0] ?? "";
  return lines.filter((line) => line.match(/^ {2}(--[\w-]+)/)?.[1] === source.flag).join("\n");
}

/**
 * Where the quote stands, named for a reader: the lesson text's section
 * ("Partial reads: read until the end"), "TODO 2 in client.ts",
 * "`client --help`", or the course's program contract.
 */
export function placeOf(quote: Quote, text: string, lang: Lang): string {
  const source = quote.in;
  if (source === "contract") {
    return lang === "ru" ? "общий контракт программ курса" : "the course's program contract";
  }
  if (typeof source === "object" && "help" in source) {
    return `\`${source.help} --help\`${source.flag ? ` ${source.flag}` : ""}`;
  }
  const at = locate(text, quote.says[lang]);
  if (typeof source === "object") {
    // The nearest todo(…, N, …) before the quote names the step.
    const step = [...text.slice(0, Math.max(at, 0)).matchAll(/todo\(\s*import\.meta\.url,\s*(\d+)/g)].at(-1)?.[1];
    return lang === "ru" ? `TODO ${step ?? "?"} в ${source.todo}` : `TODO ${step ?? "?"} in ${source.todo}`;
  }
  const headings = [...text.slice(0, Math.max(at, 0)).matchAll(/^#{2,3} (.+)$/gm)];
  return headings.at(-1)?.[1].trim() ?? "";
}

/** Where `quote` starts in `text`, letting any run of whitespace in either stand for any other; -1 if nowhere. */
export function locate(text: string, quote: string): number {
  const words = squeeze(quote).split(" ").map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return text.search(new RegExp(words.join("\\s+")));
}

/**
 * Everything wrong with `lesson`'s promise table, one sentence per problem;
 * empty when the table holds. Runs the reference's `--help` of each command.
 */
export async function tableProblems(lesson: Lesson): Promise<string[]> {
  const problems: string[] = [];
  const commands = await commandsOf(lesson);
  if (!lesson.promises) {
    problems.push(`lesson ${lesson.number} has no promise table (tests/promises/${lesson.slug}.ts)`);
  }
  const promises = lesson.promises ?? [];
  if (lesson.variants.length < MIN_VARIANTS) {
    problems.push(`only ${lesson.variants.length} known-wrong variants; a lesson needs at least ${MIN_VARIANTS}`);
  }
  if ((lesson.accepted ?? []).length === 0) {
    problems.push("no accepted variant: at least one correct solution in other words and another style must pass");
  }
  const ids = promises.map((p) => p.id);
  for (const id of ids.filter((id, i) => ids.indexOf(id) !== i)) problems.push(`promise id ${id} is used twice`);
  const checks = new Set(lesson.checks.map((c) => c.id));
  const texts = new Map<string, string>();
  for (const promise of promises) {
    for (const quote of quotesOf(promise)) {
      for (const lang of ["en", "ru"] as const) {
        const key = `${JSON.stringify(quote.in)} ${lang}`;
        if (!texts.has(key)) texts.set(key, await sourceText(lesson, quote.in, lang));
        if (locate(texts.get(key)!, quote.says[lang]) < 0) {
          problems.push(
            `promise ${promise.id}: its ${lang} quote is not in ${describeSource(quote.in, lang)}: ${
              JSON.stringify(quote.says[lang])
            }`,
          );
        }
      }
      if (typeof quote.in !== "object" || !("help" in quote.in)) {
        const short = (["en", "ru"] as const).filter((lang) => squeeze(quote.says[lang]).length < 16);
        for (const lang of short) {
          problems.push(`promise ${promise.id}: its ${lang} quote is too short to say anything`);
        }
      }
    }
    if (promise.checks.length === 0 && !promise.ungraded) {
      problems.push(`promise ${promise.id} names no check and does not say why it is not graded`);
    }
    if (promise.checks.length > 0 && promise.ungraded) {
      problems.push(`promise ${promise.id} names checks and also says it is not graded`);
    }
    for (const id of promise.checks.filter((id) => !checks.has(id))) {
      problems.push(`promise ${promise.id} names a check that does not exist: ${id}`);
    }
  }
  for (const check of lesson.checks) {
    if (!promises.some((p) => p.checks.includes(check.id))) {
      problems.push(`check ${check.id} proves no promise of the table`);
    }
  }
  for (const command of commands) {
    const flags = helpFlags(await helpLines(lesson, command, "en"));
    for (const flag of flags) {
      const covered = promises.flatMap(quotesOf).some(({ in: at }) =>
        typeof at === "object" && "help" in at && at.help === command && (at.flag === undefined || at.flag === flag)
      );
      if (!covered) problems.push(`\`${command} --help\` offers ${flag}, and no promise covers it`);
    }
  }
  const given = new Set(lesson.checks.filter((c) => c.covers === "given").map((c) => c.id));
  for (const promise of promises) {
    if (promise.checks.length === 0 || promise.checks.every((id) => given.has(id))) continue;
    const breakers = lesson.variants.filter((v) => v.breaks === promise.id);
    if (breakers.length === 0) problems.push(`promise ${promise.id} is broken by no known-wrong variant`);
  }
  for (const variant of lesson.variants) {
    const promise = promises.find((p) => p.id === variant.breaks);
    if (!promise) {
      problems.push(`variant ${variant.id} breaks no promise of the table (breaks: ${variant.breaks})`);
    } else if (!promise.checks.includes(variant.rejectedBy)) {
      problems.push(
        `variant ${variant.id} is rejected by ${variant.rejectedBy}, which is not a check of promise ${promise.id}`,
      );
    }
  }
  return problems;
}

function describeSource(source: Source, lang: Lang): string {
  const readme = lang === "ru" ? "README.ru.md" : "README.md";
  if (source === "text") return `the lesson's ${readme}`;
  if (source === "contract") return `the course's ${readme}`;
  if ("todo" in source) return `the starter ${source.todo}`;
  return `\`${source.help} --help\`${source.flag ? ` (${source.flag})` : ""} in ${
    lang === "ru" ? "Russian" : "English"
  }`;
}

const WORDS = {
  en: {
    heading: (_n: number) => "## What the grader checks",
    intro: (n: number, file: string) =>
      `\`deno task grade ${n}\` runs these checks, in this order. Each proves promises this text makes, and names where it makes them; the promises themselves, quoted word for word, are in \`${file}\`.`,
    promisedIn: "promised in:",
    ungraded: "Not graded, on purpose:",
  },
  ru: {
    heading: (n: number) => `## Что проверяет \`deno task grade ${n}\``,
    intro: (n: number, file: string) =>
      `\`deno task grade ${n}\` выполняет эти проверки в этом порядке. Каждая доказывает обещания этого текста и называет, где они даны; сами обещания, дословно, собраны в \`${file}\`.`,
    promisedIn: "обещано:",
    ungraded: "Не проверяется, и это сделано намеренно:",
  },
};

/** The file that holds `lesson`'s promise table. */
export function tableFile(lesson: Lesson): string {
  return `tests/promises/${lesson.slug}.ts`;
}

/**
 * The lesson text's section "What the grader checks", rendered from the
 * check list and the promise table, in `lang`: a row per check (id, title,
 * the places that promise it), then the promises left ungraded and why.
 * Unformatted markdown; `deno fmt` aligns the table.
 */
export async function graderSection(lesson: Lesson, lang: Lang): Promise<string> {
  const words = WORDS[lang];
  const promises = lesson.promises ?? [];
  const places = new Map<string, string[]>();
  const texts = new Map<string, string>();
  for (const promise of promises) {
    for (const quote of quotesOf(promise)) {
      const key = JSON.stringify(quote.in);
      if (!texts.has(key)) texts.set(key, await sourceText(lesson, quote.in, lang));
      const place = placeOf(quote, texts.get(key)!, lang);
      for (const id of promise.checks) {
        const list = places.get(id) ?? [];
        if (!list.includes(place)) list.push(place);
        places.set(id, list);
      }
    }
  }
  const lines = [
    words.heading(lesson.number),
    "",
    words.intro(lesson.number, tableFile(lesson)),
    "",
    ...lesson.checks.map((check) =>
      `- \`${check.id}\`: ${check.title[lang]} (${words.promisedIn} ${(places.get(check.id) ?? []).join("; ")})`
    ),
  ];
  const ungraded = promises.filter((p) => p.ungraded);
  if (ungraded.length > 0) {
    lines.push("", words.ungraded, "");
    for (const promise of ungraded) lines.push(`- ${squeeze(promise.says[lang])}: ${squeeze(promise.ungraded![lang])}`);
  }
  return lines.join("\n") + "\n";
}

/** Splits a lesson text into what comes before its grader section, the section, and what follows it. */
export function splitAtSection(text: string): [before: string, section: string, after: string] {
  const start = text.search(/^## (What the grader checks|Что проверяет .+)$/m);
  if (start < 0) return [text, "", ""];
  const next = text.slice(start + 3).search(/^## /m);
  const end = next < 0 ? text.length : start + 3 + next;
  return [text.slice(0, start), text.slice(start, end), text.slice(end)];
}
