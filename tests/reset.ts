/**
 * `deno task reset N`: puts lesson N's files back as the course gave them.
 * It names the files that differ, asks, copies the learner's versions to
 * `backups/<lesson>/<time>/`, and only then writes the originals, which come
 * from git's object store by the ids in `tests/starters.json` (so a learner's
 * own commits do not hide them). `--yes` skips the question; without a
 * terminal to ask in, it refuses rather than guess.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import { lessons } from "./checks/mod.ts";
import type { Lesson } from "./harness/check.ts";
import { ROOT } from "./harness/course.ts";
import { type Manifest, readManifest, recorded, touched } from "./starters.ts";

/** Reset's words in both languages; `{…}` fills in. */
export const WORDS = {
  en: {
    same: "Lesson {n} is as it was given: nothing to reset.",
    differ: "Lesson {n} ({slug}): these files differ from the ones you were given:",
    extra: "(not part of the lesson as given; left alone)",
    ask: "Put them back as they were given? Your versions go to {backup}/ first. [y/N] ",
    kept: "Nothing changed.",
    refuse: "reset overwrites your files, so it asks first, and there is no terminal to ask in: add --yes to go ahead.",
    done: "Lesson {n} is back as it was given (files put back: {count}). Your versions: {backup}/",
    noGit: "reset takes the originals from this repository's git history, and git is not installed.",
    noBlob:
      "the original of {path} is not in this repository's git history (git cat-file {id} failed). Was the course downloaded without .git, or cloned shallow? Fetch its history (git fetch --unshallow) and try again.",
    noLesson: "there is no lesson {n}; lessons: {all}",
  },
  ru: {
    same: "Урок {n} в том виде, в каком был выдан: сбрасывать нечего.",
    differ: "Урок {n} ({slug}): эти файлы отличаются от выданных:",
    extra: "(не входит в выданный урок; не трогаем)",
    ask: "Вернуть их в исходный вид? Ваши версии сначала будут сохранены в {backup}/. [y/N] ",
    kept: "Ничего не изменено.",
    refuse:
      "reset перезаписывает ваши файлы, поэтому сначала спрашивает, а спросить негде: терминала нет. Добавьте --yes, чтобы продолжить.",
    done: "Урок {n} возвращён в исходный вид (возвращено файлов: {count}). Ваши версии: {backup}/",
    noGit: "reset берёт исходные файлы из истории git этого репозитория, а git не установлен.",
    noBlob:
      "исходного {path} нет в истории git этого репозитория (git cat-file {id} не удался). Курс скачан без .git или клонирован не полностью? Загрузите историю (git fetch --unshallow) и попробуйте снова.",
    noLesson: "урока {n} нет; уроки: {all}",
  },
};

/** One language's words. */
export type Words = typeof WORDS.en;

/** A failure reset explains in one line; nothing was written. */
export class ResetError extends Error {}

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

/** The original bytes of blob `id`, from git in `root`. */
async function original(root: string, path: string, id: string, words: Words): Promise<Uint8Array> {
  let output: Deno.CommandOutput;
  // A local object read takes milliseconds; 30 s means git is stuck, and the blob counts as missing.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 30_000);
  try {
    output = await new Deno.Command("git", {
      args: ["cat-file", "blob", id],
      cwd: root,
      stderr: "null",
      signal: stop.signal,
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new ResetError(words.noGit);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (!output.success) throw new ResetError(fill(words.noBlob, { path, id }));
  return output.stdout;
}

/** How one reset went. */
export interface ResetOutcome {
  /** The files put back, from the course root. */
  restored: string[];
  /** Where the learner's versions went, from the course root; undefined when nothing was reset. */
  backup?: string;
}

/**
 * Resets `lesson` in `root`: lists what differs, asks `confirm` (skipped when
 * nothing differs), backs up, restores. Every original is fetched before a
 * single file is written, so a missing one changes nothing.
 */
export async function resetLesson(
  lesson: Lesson,
  options: {
    root?: string;
    manifest?: Manifest;
    confirm: (question: string) => boolean;
    say: (line: string) => void;
    words: Words;
    now?: Date;
  },
): Promise<ResetOutcome> {
  const { root = ROOT, words, say } = options;
  const manifest = options.manifest ?? readManifest(root);
  const ids = new Map(recorded(lesson, manifest));
  const differ = await touched(lesson, manifest, root);
  const back = differ.filter((path) => ids.has(path));
  const n = lesson.number;
  if (back.length === 0) {
    say(fill(words.same, { n }));
    return { restored: [] };
  }
  const stamp = (options.now ?? new Date()).toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "");
  const backup = `backups/${lesson.slug}/${stamp}`;
  say(fill(words.differ, { n, slug: lesson.slug }));
  for (const path of differ) say(`  ${path}${ids.has(path) ? "" : `  ${words.extra}`}`);
  if (!options.confirm(fill(words.ask, { backup }))) {
    say(words.kept);
    return { restored: [] };
  }
  const originals = new Map<string, Uint8Array>();
  for (const path of back) originals.set(path, await original(root, path, ids.get(path)!, words));
  for (const path of back) {
    const mine = await Deno.readFile(`${root}/${path}`).catch(() => undefined);
    if (mine === undefined) continue; // deleted: nothing to keep
    const copy = `${root}/${backup}/${path.split("/").at(-1)}`;
    await Deno.mkdir(`${root}/${backup}`, { recursive: true });
    await Deno.writeFile(copy, mine);
  }
  for (const [path, bytes] of originals) await Deno.writeFile(`${root}/${path}`, bytes);
  say(fill(words.done, { n, count: back.length, backup }));
  return { restored: back, backup };
}

/** `deno task reset`'s command line. */
export const RESET_CLI = {
  name: "reset",
  about: {
    en:
      "Puts a lesson's files back as they were given: names the files that differ, asks, copies your versions to backups/, then restores.",
    ru:
      "Возвращает файлы урока в выданный вид: называет отличающиеся файлы, спрашивает, копирует ваши версии в backups/, затем восстанавливает.",
  },
  usage: { en: "LESSON [--yes] [--lang en|ru]", ru: "УРОК [--yes] [--lang en|ru]" },
  options: { yes: { type: "boolean" }, lang: { type: "string" } },
  positionals: 1,
} satisfies Cli<ParseArgsOptionsConfig>;

if (import.meta.main) {
  const { values, positionals, lang } = parseCli(RESET_CLI);
  const words = WORDS[lang];
  const [n] = positionals;
  if (!n) usageError(RESET_CLI, lang === "ru" ? "какой урок?" : "which lesson?", lang);
  const lesson = lessons.find((l) => /^\d+$/.test(n) && l.number === Number(n));
  if (!lesson) usageError(RESET_CLI, fill(words.noLesson, { n, all: lessons.map((l) => l.number).join(", ") }), lang);
  try {
    await resetLesson(lesson, {
      words,
      say: console.log,
      confirm(question) {
        if (values.yes) return true;
        if (!Deno.stdin.isTerminal()) throw new ResetError(words.refuse);
        return /^y(es)?$|^д(а)?$/i.test((prompt(question.trimEnd()) ?? "").trim());
      },
    });
  } catch (error) {
    if (!(error instanceof ResetError)) throw error;
    console.error(`reset: ${error.message}`);
    Deno.exit(2);
  }
}
