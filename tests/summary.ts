/**
 * `deno task summary results/results.json`: the file `deno task grade --json`
 * wrote, as a markdown table (lesson, checks, points), for a CI job summary.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import { type ResultsJson, toMarkdown } from "./report.ts";

/** `deno task summary`'s command line. */
export const SUMMARY_CLI = {
  name: "summary",
  about: {
    en:
      "The results 'deno task grade --json PATH' wrote, as a markdown table (lesson, checks, points) for a CI job summary.",
    ru:
      "Результаты, записанные 'deno task grade --json PATH', в виде таблицы markdown (урок, проверки, баллы) для сводки CI.",
  },
  usage: { en: "PATH/results.json [--lang en|ru]", ru: "ПУТЬ/results.json [--lang en|ru]" },
  options: { lang: { type: "string" } },
  positionals: 1,
} satisfies Cli<ParseArgsOptionsConfig>;

if (import.meta.main) {
  const { positionals, lang } = parseCli(SUMMARY_CLI);
  const [path] = positionals;
  if (!path) usageError(SUMMARY_CLI, lang === "ru" ? "какой файл результатов?" : "which results file?", lang);
  try {
    const json: ResultsJson = JSON.parse(await Deno.readTextFile(path));
    console.log(toMarkdown(json));
  } catch (error) {
    console.error(`summary: ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  }
}
