/**
 * `deno task learner-edition DIR --upstream URL --ref REF`: writes into DIR
 * (new or empty) the repository a teacher hands out: the lessons with their
 * starters and given files, the graders (without the known-wrong and accepted
 * variants, which are patches on the reference), a deno.json with the
 * learner's tasks only, README.md and README.ru.md written for learners, and
 * a CI workflow that grades the learner's `lessons/` with the course's own
 * graders at a pinned commit (URL at REF, or the repository variables
 * COURSE_REPO and COURSE_REF), reporting one step per lesson and failing
 * only for the lessons named due in COURSE_DUE.
 *
 * No reference code goes in: not `solutions/`, not the suite that needs it.
 *
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { type Cli, parseCli, usageError } from "./cli.ts";
import { lessons } from "./checks/mod.ts";
import type { Lesson } from "./harness/check.ts";
import { lessonTask, ROOT } from "./harness/course.ts";

/** The graders' files the edition leaves out: the course's own suite and tools, which need the reference. */
export function leftOut(path: string): boolean {
  return /_test\.ts$/.test(path) ||
    /^tests\/(prove|bench|promises|summary|edition|class_report|fakes)\.ts$/.test(path) ||
    /^tests\/(bench|\.build)\//.test(path);
}

/** The tasks a learner uses; their commands are the course's own. */
const LEARNER_TASKS = ["grade", "hint", "reset"];

/** Files in the edition whose content replaces the course's: the variants, which are patches on the reference. */
function replaced(path: string): string | undefined {
  const match = path.match(/^tests\/checks\/[^/]+\/(variants|accepted)\.ts$/);
  if (!match) return undefined;
  const [name, type] = match[1] === "variants" ? ["variants", "Variant"] : ["accepted", "Accepted"];
  return [
    `/** The course proves its checks against variants of its reference solution; they stay with the course. */`,
    `import type { ${type} } from "../../harness/check.ts";`,
    "",
    `/** None in the learner edition. */`,
    `export const ${name}: ${type}[] = [];`,
    "",
  ].join("\n");
}

/** Every file of `dir` (relative to ROOT), recursively, sorted. */
function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}/${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...walk(path));
    else if (entry.isFile) found.push(path);
  }
  return found.sort();
}

/** YAML's single-quoted scalar. */
const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The edition's deno.json: the course's imports and settings, and the learner's tasks only. */
export function learnerConfig(course: Record<string, unknown>): Record<string, unknown> {
  const tasks = course.tasks as Record<string, { description: string; command: string }>;
  const own: Record<string, { description: string; command: string }> = {};
  for (const lesson of lessons) {
    own[`lesson-${lesson.number}`] = {
      description: `Lesson ${lesson.number}, ${lesson.title.en}: run your programs (no args: the demo; --help)`,
      command: lessonTask(lesson),
    };
  }
  for (const name of LEARNER_TASKS) own[name] = tasks[name];
  return { ...course, tasks: own };
}

/**
 * The edition's CI workflow: the learner's repository checked out into the
 * course's, fetched at COURSE_REF from COURSE_REPO (defaults `upstream` and
 * `ref`); a step per lesson grading `learner/lessons` with the course's
 * graders; a table for the job summary; and one last step that fails when a
 * lesson named in COURSE_DUE did not pass.
 */
export function learnerWorkflow(upstream: string, ref: string, graded: Lesson[] = lessons): string {
  const steps = graded.map((lesson) =>
    [
      `      - name: ${JSON.stringify(`Lesson ${lesson.number}: ${lesson.title.en}`)}`,
      `        id: lesson-${lesson.number}`,
      `        continue-on-error: true`,
      `        working-directory: course`,
      `        run: deno task grade ${lesson.number} --lessons learner/lessons --json results/lesson-${lesson.number}.json`,
    ].join("\n")
  );
  return `# Grades this repository's lessons/ with the course's graders, fetched from the course at a pinned
# commit: not with the tests/ or deno.json in this repository, whose edits change nothing here.
# Repository variables (Settings, Secrets and variables, Actions, Variables):
#   COURSE_REPO  the course's git URL (default below)
#   COURSE_REF   the course's commit or tag to grade with (default below)
#   COURSE_DUE   the lessons due, e.g. 1,2 (default: none); only they can fail the build
# Each lesson is a step of its own, so you see which lesson is green.
name: grade

on:
  push:
  workflow_dispatch:

jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
      COURSE_REPO: \${{ vars.COURSE_REPO || ${quoted(upstream)} }}
      COURSE_REF: \${{ vars.COURSE_REF || ${quoted(ref)} }}
      COURSE_DUE: \${{ vars.COURSE_DUE || '' }}
      NO_COLOR: "1"
    steps:
      - name: The course's graders, at the pinned commit
        run: |
          git init -q course
          git -C course fetch -q --depth 1 "$COURSE_REPO" "$COURSE_REF"
          git -C course checkout -q FETCH_HEAD
          echo "course: $COURSE_REPO at $(git -C course rev-parse HEAD)"
      - uses: actions/checkout@v4
        with:
          path: course/learner
      - uses: denoland/setup-deno@v2
        with:
          deno-version: v2.9.x
${steps.join("\n")}
      - name: Summary table
        if: always()
        working-directory: course
        run: deno task class-report results/lesson-*.json >> "$GITHUB_STEP_SUMMARY"
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: grading-results
          path: course/results/
      - name: The due lessons pass
        working-directory: course
        run: deno task class-report results/lesson-*.json --require "$COURSE_DUE"
`;
}

const README_EN = (upstream: string, ref: string) =>
  `# Sockets by doing: your lessons

[Русская версия](README.ru.md)

You write a server and a client on real sockets; a grader runs them as real processes on your machine, connects to them,
and tells you exactly what went wrong: what it expected, which bytes arrived, a hint, and the conversation on the wire.

## Start

You need [Deno](https://deno.com) 2.9 or newer and nothing else (\`deno --version\` says which you have). Then, from this
folder:

\`\`\`sh
deno task lesson-1   # run your lesson 1 programs: a time server and its client, talking over TCP
deno task grade 1    # grade your lesson 1
\`\`\`

## Your loop

1. Read the lesson: \`lessons/01-time-server/README.md\`.
2. Edit its starters. Each \`todo(...)\` line stops the program and names the next step: write the step, delete the
   line. \`main.ts\` and the files a lesson says it gives whole are not yours to edit.
3. Try it: \`deno task lesson-1\` runs the demo; \`deno task lesson-1 server\` and, in a second terminal,
   \`deno task lesson-1 client\` run the programs apart; \`--help\` works on every command.
4. Grade it: \`deno task grade 1\`. The first failure is shown in full; fix it and grade again.
   \`deno task grade 1 --watch\` grades again on every save. \`deno task hint 1\` gives a hint, \`deno task hint 1 2\` the
   next. \`deno task reset 1\` puts a lesson's files back as given (your versions are kept in \`backups/\`).
5. Commit and push. That is how you hand in.

## How your work is graded

On every push, this repository's CI (\`.github/workflows/grade.yml\`) fetches the course's graders from
${upstream} at ${ref} (or the commit your teacher set), and grades your \`lessons/\` with them: the same checks as your
\`deno task grade\`, with the course's permissions for your programs. The \`tests/\` and \`deno.json\` here are your copy
for working offline; changing them changes nothing in CI. Each lesson is a step of its own, so you see which is green.
Your teacher names the lessons due; only those can make the build fail. Checks of code the course gives you are shown,
but points are for your own work.

## What the lesson texts name that is not here

The lesson texts also speak of \`deno task solution-N\` (the course's reference programs, run with the same arguments as
yours) and \`deno task bench\` (measurements of them). Both need the reference code, which carries the answers, so this edition leaves them out. Where a
text runs the reference, run yours: \`deno task lesson-N\` takes the same arguments. The figures a text quotes were
measured on the reference; the full course is at ${upstream}.

## Lessons

| # | Folder | Lesson |
| - | ------ | ------ |
${lessons.map((l) => `| ${l.number} | \`lessons/${l.slug}/\` | ${l.title.en} |`).join("\n")}
`;

const README_RU = (upstream: string, ref: string) =>
  `# Сокеты на практике: ваши уроки

[English version](README.md)

Вы пишете сервер и клиент на настоящих сокетах; проверка запускает их как настоящие процессы на вашей машине,
подключается к ним и говорит точно, что не так: что ожидалось, какие байты пришли, подсказку и весь разговор в сети.

## Начало

Нужен [Deno](https://deno.com) 2.9 или новее, больше ничего (\`deno --version\` покажет версию). Затем в этой папке:

\`\`\`sh
deno task lesson-1   # запустить ваши программы урока 1: сервер времени и его клиент, по TCP
deno task grade 1    # проверить ваш урок 1
\`\`\`

## Как работать

1. Прочитайте урок: \`lessons/01-time-server/README.ru.md\`.
2. Правьте заготовки. Каждая строка \`todo(...)\` останавливает программу и называет следующий шаг: напишите шаг,
   удалите строку. \`main.ts\` и файлы, которые урок называет готовыми, не ваши: их не правят.
3. Запустите: \`deno task lesson-1\` показывает демонстрацию; \`deno task lesson-1 server\` и во втором терминале
   \`deno task lesson-1 client\` запускают программы порознь; \`--help\` есть у каждой команды.
4. Проверьте: \`deno task grade 1\`. Первая ошибка показана целиком; исправьте её и проверьте снова.
   \`deno task grade 1 --watch\` проверяет заново при каждом сохранении. \`deno task hint 1\` даёт подсказку,
   \`deno task hint 1 2\` следующую. \`deno task reset 1\` возвращает файлы урока в исходный вид (ваши версии остаются в
   \`backups/\`).
5. Сделайте commit и push. Так работа и сдаётся.

## Как проверяется ваша работа

При каждом push CI этого репозитория (\`.github/workflows/grade.yml\`) берёт проверки курса из ${upstream} на ${ref}
(или на коммите, который задал преподаватель) и проверяет ими ваш \`lessons/\`: те же проверки, что и
\`deno task grade\`, с разрешениями для ваших программ, которые задаёт курс. \`tests/\` и \`deno.json\` здесь — ваша копия
для работы без сети; их правки ничего не меняют в CI. Каждый урок — отдельный шаг, видно, какой урок зелёный.
Преподаватель называет уроки к сдаче; только они могут сделать сборку красной. Проверки кода, который курс даёт готовым,
показываются, но баллы — только за вашу работу.

## Что упоминают тексты уроков, но чего здесь нет

Тексты уроков говорят и о \`deno task solution-N\` (эталонные программы курса, с теми же аргументами, что и ваши), и о
\`deno task bench\` (их замеры). Обоим нужен эталонный код, а в нём ответы, поэтому в этом издании их нет. Где текст запускает эталон,
запускайте свою программу: \`deno task lesson-N\` принимает те же аргументы. Цифры в текстах измерены на эталоне; весь
курс — по адресу ${upstream}.

## Уроки

| № | Папка | Урок |
| - | ----- | ---- |
${lessons.map((l) => `| ${l.number} | \`lessons/${l.slug}/\` | ${l.title.ru} |`).join("\n")}
`;

/** Fails with a one-line message when DIR exists and is not empty. */
async function emptyOrNew(dir: string): Promise<void> {
  try {
    for await (const _ of Deno.readDir(dir)) throw new EditionError(`${dir} is not empty; name a new or empty folder`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    if (error instanceof Deno.errors.NotADirectory) throw new EditionError(`${dir} is a file, not a folder`);
    throw error;
  }
}

/** A usage or input error, said in one line. */
export class EditionError extends Error {}

/** Writes the learner edition into `dir`; returns the files written, relative to it. */
export async function writeEdition(dir: string, upstream: string, ref: string): Promise<string[]> {
  await emptyOrNew(dir);
  const files = new Map<string, string | Uint8Array>();
  for (const path of walk("lessons")) files.set(path, await Deno.readFile(`${ROOT}/${path}`));
  for (const path of walk("tests")) {
    if (leftOut(path)) continue;
    files.set(path, replaced(path) ?? await Deno.readFile(`${ROOT}/${path}`));
  }
  const course = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  files.set("deno.json", JSON.stringify(learnerConfig(course), null, 2) + "\n");
  files.set("README.md", README_EN(upstream, ref));
  files.set("README.ru.md", README_RU(upstream, ref));
  files.set(".github/workflows/grade.yml", learnerWorkflow(upstream, ref));
  files.set(".gitignore", ["results/", "backups/", "tests/.build/", ""].join("\n"));
  for (const [path, content] of files) {
    await Deno.mkdir(`${dir}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(`${dir}/${path}`, content);
    else await Deno.writeFile(`${dir}/${path}`, content);
  }
  // The READMEs name the course's URL, whose length moves the line breaks: deno fmt wraps them as the course does.
  const fmt = await new Deno.Command("deno", {
    args: ["fmt", "--quiet", "README.md", "README.ru.md", ".github/workflows/grade.yml"],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  if (!fmt.success) throw new Error(`deno fmt failed in ${dir}: ${new TextDecoder().decode(fmt.stderr).trim()}`);
  return [...files.keys()];
}

/** `deno task learner-edition`'s command line. */
export const EDITION_CLI = {
  name: "learner-edition",
  about: {
    en:
      "Writes the repository a teacher hands out into DIR (new or empty): lessons, graders, learner tasks and READMEs, and a CI workflow grading with the course at URL, commit REF.",
    ru:
      "Записывает в DIR (новую или пустую папку) репозиторий, который учитель раздаёт ученикам: уроки, проверки, задачи и README для учеников и CI, который проверяет курсом из URL на коммите REF.",
  },
  usage: {
    en: "DIR --upstream URL --ref REF [--lang en|ru]",
    ru: "ПАПКА --upstream URL --ref REF [--lang en|ru]",
  },
  options: { upstream: { type: "string" }, ref: { type: "string" }, lang: { type: "string" } },
  positionals: 1,
} satisfies Cli<ParseArgsOptionsConfig>;

if (import.meta.main) {
  const { values, positionals, lang } = parseCli(EDITION_CLI);
  const [dir] = positionals;
  if (!dir || !values.upstream || !values.ref) {
    usageError(
      EDITION_CLI,
      lang === "ru" ? "нужны папка, --upstream и --ref" : "DIR, --upstream and --ref are all needed",
      lang,
    );
  }
  if (/[\s'"]/.test(values.upstream + values.ref)) {
    usageError(
      EDITION_CLI,
      lang === "ru"
        ? "в --upstream и --ref не бывает пробелов и кавычек"
        : "--upstream and --ref take no spaces or quotes",
      lang,
    );
  }
  try {
    const written = await writeEdition(dir.replace(/\/+$/, ""), values.upstream, values.ref);
    console.log(`learner edition: ${written.length} files in ${dir}; commit them, push, and set the repository's`);
    console.log("variables COURSE_DUE (and, to grade with another commit of the course, COURSE_REF).");
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      usageError(
        EDITION_CLI,
        lang === "ru"
          ? "задача пишет рядом с курсом (../ИМЯ) или в /tmp; укажите папку там"
          : "the task writes beside the course (../NAME) or under /tmp; name a folder there",
        lang,
      );
    }
    if (error instanceof EditionError) usageError(EDITION_CLI, error.message, lang);
    console.error(`learner-edition: ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  }
}
