/**
 * The command line of the course's own tasks (`grade`, `hint`, `reset`,
 * `summary`, `starters`, `promises`): `--help` prints what the task does and
 * its usage; a mistake prints one line and the usage on stderr and exits
 * with code 2, in the learner's language (`--lang`, else LC_ALL or LANG when
 * the task may read them). Lesson programs have the same contract from
 * `lessons/_shared/program.ts`.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { type Bilingual, type Lang, language } from "./harness/text.ts";

/** What a task's command line looks like. */
export interface Cli<O extends ParseArgsOptionsConfig> {
  /** The task's name: `deno task NAME`. */
  name: string;
  /** What it does, for `--help`. */
  about: Bilingual;
  /** After `deno task NAME`: `LESSON [--yes] [--lang en|ru]`. */
  usage: Bilingual;
  /** The flags, in parseArgs form (`--help` is added). */
  options: O;
  /** Positional arguments allowed, at most this many (default none). */
  positionals?: number;
}

/** The language of a task's words: `--lang` in `args`, else LC_ALL or LANG when the task may read them. */
export function cliLanguage(args: string[]): Lang {
  const at = args.findIndex((arg) => arg === "--lang" || arg.startsWith("--lang="));
  const flag = at < 0 ? undefined : args[at].startsWith("--lang=") ? args[at].slice(7) : args[at + 1];
  return language(flag, (variable) => {
    if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") return undefined;
    return Deno.env.get(variable);
  });
}

/** The usage line of `cli` in `lang`. */
export function usageLine<O extends ParseArgsOptionsConfig>(cli: Cli<O>, lang: Lang): string {
  return `${lang === "ru" ? "запуск" : "usage"}: deno task ${cli.name} ${cli.usage[lang]}`.trimEnd();
}

/** Prints `message` and the usage of `cli` on stderr, and exits with code 2. */
export function usageError<O extends ParseArgsOptionsConfig>(cli: Cli<O>, message: string, lang: Lang): never {
  console.error(`${cli.name}: ${lang === "ru" ? "ошибка в аргументах" : "usage error"}: ${message}`);
  console.error(usageLine(cli, lang));
  Deno.exit(2);
}

/** parseArgs' complaint in the course's words. */
export function argsMistake(error: unknown, lang: Lang): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = message.match(/'([^' ]+)/)?.[1] ?? "";
  const ru = lang === "ru";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return ru ? `неизвестный параметр '${quoted}'` : `unknown option '${quoted}'`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return ru ? `лишний аргумент '${quoted}'` : `unexpected argument '${quoted}'`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /argument missing|ambiguous/.test(message)) {
    return ru ? `${quoted} требует значения` : `${quoted} needs a value`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /does not take an argument/.test(message)) {
    return ru ? `${quoted} не принимает значения` : `${quoted} takes no value`;
  }
  return message.split(/\.\s/)[0];
}

/**
 * Parses `args` for `cli`. `--help` (or `-h`) prints the task's help and
 * exits 0; a mistake is a usage error (exit 2). Returns the values, the
 * positionals and the language.
 */
export function parseCli<O extends ParseArgsOptionsConfig>(cli: Cli<O>, args: string[] = Deno.args) {
  const lang = cliLanguage(args);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`${cli.about[lang]}\n\n${usageLine(cli, lang)}`);
    Deno.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: cli.options, strict: true, allowPositionals: true });
  } catch (error) {
    usageError(cli, argsMistake(error, lang), lang);
  }
  if (parsed.positionals.length > (cli.positionals ?? 0)) {
    const extra = parsed.positionals[cli.positionals ?? 0];
    usageError(cli, lang === "ru" ? `лишний аргумент '${extra}'` : `unexpected argument '${extra}'`, lang);
  }
  const chosen = (parsed.values as Record<string, unknown>).lang;
  if (chosen !== undefined && !/^(en|ru)$/.test(String(chosen))) {
    usageError(cli, lang === "ru" ? "--lang принимает en или ru" : "--lang takes en or ru", lang);
  }
  return { values: parsed.values, positionals: parsed.positionals, lang };
}
