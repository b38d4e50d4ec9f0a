/**
 * `deno task summary results/results.json`: the file `deno task grade --json`
 * wrote, as a markdown table (lesson, checks, points), for a CI job summary.
 *
 * @module
 */
import { type ResultsJson, toMarkdown } from "./report.ts";

if (import.meta.main) {
  const [path] = Deno.args;
  try {
    if (!path) throw new Error("usage: deno task summary PATH/results.json");
    const json: ResultsJson = JSON.parse(await Deno.readTextFile(path));
    console.log(toMarkdown(json));
  } catch (error) {
    console.error(`summary: ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  }
}
