/**
 * `deno task class-report FILE... [--html OUT] [--require LIST]`: many
 * learners' results files (`deno task grade --json`) as one table, learner ×
 * lesson: each cell the lesson's points and its failing checks' titles.
 * Printed as Markdown; with `--html OUT` also written as one self-contained
 * page (no network; it works from `file://`), sortable by any column, each
 * failing check expanding to its message and its wire transcript. Files of
 * the same work (one per lesson, as the learner edition's CI writes them) make
 * one row. `--require LIST` exits 1 unless every learner passed every lesson
 * listed (for CI); without it, the exit code is 0 once the files are read.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import type { ResultsJson } from "./report.ts";

type Test = ResultsJson["tests"][number];

/** One lesson of one learner: points, whether it passed, and the checks that failed. */
export interface Cell {
  earned: number;
  possible: number;
  pass: boolean;
  failing: Test[];
}

/** One learner's row. */
export interface Row {
  /** Who: the repository, else the owner, else the file's name. */
  learner: string;
  /** The commit graded (short), when, and by which course commit: what the teacher can cite. */
  commit: string | null;
  time: string | null;
  course: string | null;
  /** By lesson number. */
  cells: Map<number, Cell>;
}

/** The class: lessons (number and title) seen in any file, and a row per learner, in the order first met. */
export interface Class {
  lessons: { number: number; title: string }[];
  rows: Row[];
}

/** Gathers results files (`[name, json]`) into the class table. A later-graded file wins for a lesson graded twice. */
export function gather(files: [string, ResultsJson][]): Class {
  const rows = new Map<string, Row>();
  const lessons = new Map<number, string>();
  const sorted = files.slice().sort(([, a], [, b]) => (a.work?.time ?? "").localeCompare(b.work?.time ?? ""));
  for (const [name, json] of sorted) {
    const work = json.work;
    const learner = work?.repository ?? work?.owner ?? name.split("/").at(-1)!.replace(/\.json$/, "");
    const row = rows.get(learner) ??
      { learner, commit: null, time: null, course: null, cells: new Map<number, Cell>() };
    rows.set(learner, row);
    row.commit = work?.commit ? work.commit.slice(0, 12) + (work.uncommitted ? "+" : "") : row.commit;
    row.time = work?.time ?? row.time;
    row.course = work?.course.commit?.slice(0, 12) ?? row.course;
    for (const lesson of json.lessons) {
      lessons.set(lesson.number, lesson.title);
      const tests = json.tests.filter((t) => t.lesson === lesson.number);
      row.cells.set(lesson.number, {
        earned: lesson.points.earned,
        possible: lesson.points.possible,
        pass: tests.every((t) => t.status === "pass"),
        failing: tests.filter((t) => t.status !== "pass"),
      });
    }
  }
  // Rows keep the order of the files named (the order the teacher gave), not of grading times.
  const order = files.map(([name, json]) =>
    json.work?.repository ?? json.work?.owner ?? name.split("/").at(-1)!.replace(/\.json$/, "")
  );
  return {
    lessons: [...lessons].sort(([a], [b]) => a - b).map(([number, title]) => ({ number, title })),
    rows: [...rows.values()].sort((a, b) => order.indexOf(a.learner) - order.indexOf(b.learner)),
  };
}

/** A check's title without the `lesson N: ` the results put before it. */
const title = (test: Test) => test.name.replace(/^lesson \d+: /, "");

/** The Markdown table: a row per learner, a column per lesson (points, ✅ or the failing titles), and the total. */
export function toMarkdown(table: Class, shown = 3): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const head = ["Learner", ...table.lessons.map((l) => `${l.number}. ${l.title}`), "Total"];
  const lines = [
    `| ${head.map(cell).join(" | ")} |`,
    `| ${head.map((_, i) => i === 0 ? "---" : "---:").join(" | ")} |`,
  ];
  for (const row of table.rows) {
    let earned = 0, possible = 0;
    const cells = table.lessons.map(({ number }) => {
      const found = row.cells.get(number);
      if (!found) return "–";
      earned += found.earned;
      possible += found.possible;
      const points = `${found.earned}/${found.possible}`;
      if (found.pass) return `✅ ${points}`;
      const titles = found.failing.slice(0, shown).map(title).join("; ");
      const more = found.failing.length > shown ? `; +${found.failing.length - shown} more` : "";
      return `❌ ${points}: ${titles}${more}`;
    });
    const who = `${row.learner}${row.commit ? ` @ ${row.commit}` : ""}`;
    lines.push(`| ${[who, ...cells, `${earned}/${possible}`].map(cell).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The page: the same table, self-contained. A click on a column's heading
 * sorts by it (again: the other way); `#sort=N` (a column's index, `-N` for
 * descending) sorts on opening, so a link can share a view.
 */
export function toHtml(table: Class, generated = new Date()): string {
  const headings = ["Learner", ...table.lessons.map((l) => `${l.number}. ${l.title}`), "Total"];
  const rows = table.rows.map((row) => {
    let earned = 0, possible = 0;
    const cells = table.lessons.map(({ number }) => {
      const found = row.cells.get(number);
      if (!found) return `<td class="none" data-sort="-1">–</td>`;
      earned += found.earned;
      possible += found.possible;
      const points = `${found.earned}/${found.possible}`;
      const share = found.possible ? found.earned / found.possible : 1;
      const checks = found.failing.map((test) =>
        `<details class="check" data-check="${escape(test.id)}"><summary>${escape(title(test))}</summary>` +
        `<pre class="message">${escape(test.message ?? "")}</pre>` +
        (test.output ? `<pre class="transcript">${escape(test.output)}</pre>` : "") +
        `</details>`
      ).join("");
      // Many failures fold under one line, so that a learner who has not started does not fill the page.
      const list = found.failing.length > 3
        ? `<details class="failing"><summary>${found.failing.length} failing checks</summary>${checks}</details>`
        : checks;
      return `<td class="${found.pass ? "pass" : "fail"}" data-sort="${share.toFixed(4)}">` +
        `<span class="points">${found.pass ? "✔" : "✘"} ${points}</span>${list}</td>`;
    });
    const who = `<td data-sort="${escape(row.learner)}"><span class="learner">${escape(row.learner)}</span>` +
      `<span class="meta">${
        escape([row.commit, row.time, row.course && `course ${row.course}`].filter(Boolean).join(" · "))
      }</span></td>`;
    return `<tr>${who}${cells.join("")}<td class="total" data-sort="${earned}">${earned}/${possible}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Class report</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }
th button { font: inherit; font-weight: bold; border: 0; background: none; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.pass { background: #e8f6e8; } td.fail { background: #fbeaea; } td.none { color: #999; }
.meta { display: block; color: #666; font-size: 12px; }
details summary { cursor: pointer; }
details.failing > details.check { margin-left: 1em; }
pre { white-space: pre-wrap; max-width: 60em; font-size: 12px; background: #f6f6f6; padding: 0.4em; }
</style>
</head>
<body>
<h1>Class report</h1>
<p>${table.rows.length} learners, ${table.lessons.length} lessons; generated ${
    escape(generated.toISOString())
  }. Click a heading to sort; click a failing check for its message and transcript.</p>
<table id="class">
<thead><tr>${
    headings.map((h, i) => `<th data-column="${i}"><button type="button">${escape(h)}</button></th>`).join("")
  }</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
<script>
(() => {
  const table = document.getElementById("class");
  const key = (row, column) => row.cells[column].dataset.sort;
  function sort(column, descending) {
    const body = table.tBodies[0];
    const rows = [...body.rows];
    rows.sort((a, b) => {
      const [x, y] = [key(a, column), key(b, column)];
      const order = column === 0 ? x.localeCompare(y) : Number(x) - Number(y);
      return descending ? -order : order;
    });
    for (const row of rows) body.appendChild(row);
    for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
    table.tHead.rows[0].cells[column].setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.dataset.sorted = (descending ? "-" : "") + column;
  }
  for (const th of table.tHead.rows[0].cells) {
    th.querySelector("button").addEventListener("click", () => {
      const column = Number(th.dataset.column);
      sort(column, th.getAttribute("aria-sort") === "ascending");
    });
  }
  const wanted = location.hash.match(/^#sort=(-?)(\\d+)$/);
  if (wanted && Number(wanted[2]) < table.tHead.rows[0].cells.length) sort(Number(wanted[2]), wanted[1] === "-");
})();
</script>
</body>
</html>
`;
}

/** Whether every learner passed every lesson in `due` (a lesson missing from a learner's files is not passed). */
export function duePassed(table: Class, due: number[]): { learner: string; lessons: number[] }[] {
  return table.rows
    .map((row) => ({ learner: row.learner, lessons: due.filter((n) => !row.cells.get(n)?.pass) }))
    .filter((row) => row.lessons.length > 0);
}

/** A one-line error and exit code 2 (usage) or 1 (a file that cannot be read or written). */
function fail(message: string, code = 2): never {
  console.error(`class-report: ${message}`);
  Deno.exit(code);
}

/** `deno task class-report`'s command line. */
export const CLASS_REPORT_CLI = {
  name: "class-report",
  about: {
    en: "Many learners' results files (deno task grade --json) as one table, learner × lesson; --html writes a page.",
    ru:
      "Файлы результатов многих учеников (deno task grade --json) одной таблицей, ученик × урок; --html пишет страницу.",
  },
  usage: {
    en: "FILE... [--html OUT] [--require LIST] [--lang en|ru]",
    ru: "ФАЙЛ... [--html ВЫХОД] [--require СПИСОК] [--lang en|ru]",
  },
  options: { html: { type: "string" }, require: { type: "string" }, lang: { type: "string" } },
  positionals: Infinity,
} satisfies Cli<ParseArgsOptionsConfig>;

if (import.meta.main) {
  const parsed = parseCli(CLASS_REPORT_CLI);
  const lang = parsed.lang;
  if (parsed.positionals.length === 0) {
    usageError(CLASS_REPORT_CLI, lang === "ru" ? "какие файлы результатов?" : "which results files?", lang);
  }
  const due = (parsed.values.require ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (due.some((n) => !/^\d+$/.test(n))) {
    usageError(
      CLASS_REPORT_CLI,
      lang === "ru"
        ? `--require принимает номера уроков через запятую, а не '${parsed.values.require}'`
        : `--require takes lesson numbers separated by commas, not '${parsed.values.require}'`,
      lang,
    );
  }
  const files: [string, ResultsJson][] = [];
  for (const path of parsed.positionals) {
    let json: ResultsJson | undefined;
    try {
      json = JSON.parse(await Deno.readTextFile(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) fail(`${path}: the task reads files under the course or /tmp`, 1);
      fail(`${path}: ${(error as Error).message.split("\n")[0]}`, 1);
    }
    if (!json || !Array.isArray(json.lessons) || !Array.isArray(json.tests)) {
      fail(`${path}: not a results file of deno task grade --json`, 1);
    }
    files.push([path, json]);
  }
  const table = gather(files);
  console.log(toMarkdown(table));
  if (parsed.values.html) {
    try {
      await Deno.writeTextFile(parsed.values.html, toHtml(table));
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) {
        fail(`${parsed.values.html}: the task writes the page under the course or /tmp`, 1);
      }
      fail(`${parsed.values.html}: ${(error as Error).message.split("\n")[0]}`, 1);
    }
  }
  if (parsed.values.require !== undefined) {
    const behind = duePassed(table, due.map(Number));
    for (const row of behind) console.log(`due and not passed: ${row.learner}: lessons ${row.lessons.join(", ")}`);
    if (behind.length > 0) Deno.exit(1);
    console.log(`due: ${due.length ? `lessons ${due.join(", ")}` : "none"}; every learner passed them.`);
  }
}
