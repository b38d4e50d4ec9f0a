/**
 * The course's promises that are not a lesson's checks: the shape of the
 * repository, the tasks and their permissions, and the program contract every
 * lesson's main.ts keeps (help, usage errors, demo, Ctrl+C).
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import type { Lesson } from "./harness/check.ts";
import { lessonDir, ROOT, runDeno, taskCommand } from "./harness/course.ts";
import { LearnerProcess } from "./harness/process.ts";
import { Transcript } from "./harness/transcript.ts";
import { firstDifference, visible } from "./harness/bytes.ts";
import { timestamp } from "../solutions/01-time-server/server.ts";

const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("every task has a description and none grants all permissions", () => {
  for (const [name, task] of Object.entries(config.tasks)) {
    assert.equal(typeof task, "object", `task ${name} needs { command, description }`);
    const { command, description } = task as { command: string; description: string };
    assert.ok(description?.length > 10, `task ${name} has no description`);
    assert.doesNotMatch(command, /(^|\s)(-A|--allow-all)(\s|$)/, `task ${name} grants all permissions`);
    assert.doesNotMatch(command, /--allow-(net|read|write|run|env)(\s|$)/, `task ${name} grants a permission unscoped`);
  }
});

/** Runs a lesson program to its end (20 s at most: lesson 4's demo measures for some 4 s) and returns its output. */
async function run(lesson: Lesson, side: "lessons" | "solutions", args: string[], todoLang: "en" | "ru" = "en") {
  await using program = new LearnerProcess(
    { label: "program", command: taskCommand(lesson, lessonDir(lesson, side)), args, todoLang },
    new Transcript(),
  );
  const status = await program.exitWithin(20_000);
  assert.ok(
    status,
    `deno task ${side === "lessons" ? "lesson" : "solution"}-${lesson.number} ${args.join(" ")} hung`,
  );
  return { code: status.code, stdout: program.stdout, stderr: program.stderr };
}

/** A LANG, and how the first line of a usage error reads under it: all English, or Russian after the prefix. */
const USAGE_LANGUAGES = [
  ["C.UTF-8", /^usage error: [^А-яЁё]+$/],
  ["ru_RU.UTF-8", /^ошибка в аргументах: .*[А-яЁё]/],
] as const;

/** Command-line mistakes each lesson's main.ts catches itself (the shared launcher's own are tested above). */
const OWN_MISTAKES: Record<number, string[][]> = {
  2: [["server", "--max-line", "2000000"]],
  3: [["server", "--max-queue", "10"], ["server", "--rate", "x"]],
  4: [
    ["ping"],
    ["ping", "--tcp", "--impair", "loss=0.1"],
    ["ping", "--udp", "--impair", "loss=2"],
    ["ping", "--udp", "--impair", "bogus=1"],
    ["ping", "--udp", "--impair", "loss"],
    ["ping", "--udp", "--size", "1"],
    ["bulk", "--udp", "--size", "1"],
  ],
  5: [["fetch"], ["fetch", "--dns", "nope", "http://a/"]],
};

for (const lesson of lessons) {
  const name = `lesson ${lesson.number}`;

  Deno.test(`${name}: check ids are unique, and every variant names a check of its lesson`, () => {
    const ids = lesson.checks.map((check) => check.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
    for (const variant of lesson.variants) assert.ok(ids.includes(variant.rejectedBy), variant.id);
  });

  const given = lesson.given ?? ["main.ts"];
  Deno.test(`${name}: solutions/ mirrors lessons/ file for file; ${given.join(", ")} the same in both`, async () => {
    const [learner, reference] = [lessonDir(lesson, "lessons"), lessonDir(lesson, "solutions")];
    assert.deepEqual(await names(reference), await names(learner));
    for (const file of ["README.md", "README.ru.md", "main.ts"]) {
      assert.ok((await names(learner)).includes(file), `lessons/${lesson.slug}/${file} is missing`);
    }
    for (const file of given) {
      const [a, b] = await Promise.all([learner, reference].map((dir) => Deno.readTextFile(`${dir}/${file}`)));
      assert.equal(firstDifference(a, b), undefined, `${file} must be the same file in lessons/ and solutions/`);
    }
  });

  Deno.test(`${name}: lesson-${lesson.number} and solution-${lesson.number} differ only in the folder`, () => {
    const lessonTask = config.tasks[`lesson-${lesson.number}`].command;
    const solutionTask = config.tasks[`solution-${lesson.number}`].command;
    assert.equal(solutionTask, lessonTask.replace(`lessons/${lesson.slug}/`, `solutions/${lesson.slug}/`));
  });

  Deno.test(`${name}: --help on every command; a usage error is one line and the usage, exit 2`, async () => {
    // The commands, as the program's own --help lists them.
    const menu = (await run(lesson, "solutions", ["--help"])).stdout;
    const commands = menu.slice(menu.indexOf("commands:") + 1).map((line) => line.match(/^ {2}(\S+) {2}/)?.[1])
      .filter((command): command is string => command !== undefined);
    const server = lesson.server ?? "server";
    assert.ok(commands.includes(server), `no ${server} in: ${menu.join(" | ")}`);
    for (const command of commands) {
      const help = await run(lesson, "solutions", [command, "--help"]);
      assert.equal(help.code, 0);
      const usage = help.stdout.join("\n").match(/usage: deno task solution-\d+ [\w-]+ (?:([A-Z]+) )?\[options\]/);
      assert.ok(usage, `no usage line in ${command} --help`);
      // A command that takes its argument without a flag (fetch URL) takes one, not two: two is a usage error.
      if (usage[1] !== undefined) {
        const two = await run(lesson, "solutions", [command, "first", "second"]);
        assert.equal(two.code, 2, `${command} first second should be a usage error`);
        assert.equal(
          two.stderr.filter(Boolean).length,
          2,
          `one line and the usage on stderr for ${command} first second`,
        );
        assert.match(two.stderr[0], /^usage error: /);
      }
    }
    for (const args of [[server, "--prot", "1"], [server, "--port", "70000"], [server, "--port", "-1"], ["nonsense"]]) {
      const wrong = await run(lesson, "solutions", args);
      assert.equal(wrong.code, 2, `${args.join(" ")} should be a usage error`);
      assert.equal(wrong.stderr.filter(Boolean).length, 2, `one line and the usage on stderr for ${args.join(" ")}`);
      assert.match(wrong.stderr[0], /^usage error: /);
      assert.match(wrong.stderr[1], /^usage: deno task solution-\d+ /);
      if (args[1] === "--port") assert.match(wrong.stderr[0], /--port must be a whole number from 0 to 65535/);
    }
  });

  Deno.test({
    name: `${name}: the lesson's own usage errors are one line and the usage, in English and in Russian`,
    ignore: !OWN_MISTAKES[lesson.number],
    async fn() {
      for (const args of OWN_MISTAKES[lesson.number]) {
        for (const [lang, prefix] of USAGE_LANGUAGES) {
          const ran = await runDeno([...taskCommand(lesson, lessonDir(lesson, "solutions")), ...args], {
            env: { LANG: lang },
            ms: 20_000,
          });
          const lines = ran.stderr.split("\n").filter(Boolean);
          const what = `LANG=${lang} deno task solution-${lesson.number} ${args.join(" ")}`;
          assert.equal(ran.code, 2, `${what} should be a usage error:\n${ran.stderr}`);
          assert.equal(lines.length, 2, `${what}: one line and the usage on stderr:\n${ran.stderr}`);
          assert.match(lines[0], prefix, `${what}: the mistake in the learner's language`);
        }
      }
    },
  });

  Deno.test(`${name}: the demo runs, labelled, and exits 0`, async () => {
    const demo = await run(lesson, "solutions", []);
    assert.equal(demo.code, 0, demo.stderr.join("\n"));
    const out = demo.stdout.join("\n");
    for (
      const pattern of lesson.demo ?? [/^\[server\] listening on 127\.0\.0\.1:\d+$/m, /^\[(?!server\])[\w-]+\] \S+/m]
    ) {
      assert.match(out, pattern);
    }
  });

  Deno.test(`${name}: the starter's demo names the first TODO in one line, in English or in Russian, and says what next`, async () => {
    const demo = await run(lesson, "lessons", []);
    assert.notEqual(demo.code, 0);
    assert.deepEqual(demo.stderr.filter(Boolean).length, 1, visible(demo.stderr.join("\n")));
    assert.match(demo.stderr[0], /^not done yet: TODO 1 in lessons\/\S+\.ts: [a-z"'`]/);
    // A newcomer's first run reads as the start of the lesson: the next step, and the finished programs to look at.
    const said = demo.stdout.join("\n");
    assert.match(said, /that is how each lesson starts/);
    assert.ok(said.includes(`read lessons/${lesson.slug}/README.md`), said);
    assert.ok(said.includes(`deno task solution-${lesson.number}`), said);
    // Asked for Russian goals (as the grader does for a Russian report), the same step reads in Russian.
    const ru = await run(lesson, "lessons", [], "ru");
    assert.match(ru.stderr[0], /^not done yet: TODO 1 in lessons\/\S+\.ts: [^a-z]*[а-яё]/);
  });

  Deno.test(`${name}: Ctrl+C stops the server cleanly`, async () => {
    await using server = new LearnerProcess(
      {
        label: "server",
        command: taskCommand(lesson, lessonDir(lesson, "solutions")),
        args: [lesson.server ?? "server", "--host", "127.0.0.1", "--port", "0"],
        // The console stays open, as at a terminal: from lesson 3 on, its end stops a server by itself.
        stdin: "piped",
      },
      new Transcript(),
    );
    await server.listening();
    server.signal("SIGINT");
    const status = await server.exitWithin(5000);
    assert.equal(status?.code, 0, server.stderr.join("\n"));
    assert.match(server.stdout.at(-1) ?? "", /server stopped$/);
  });
}

Deno.test("lesson 1: the time stamp is ISO 8601 with the local UTC offset and means the same moment", () => {
  for (const when of [new Date(0), new Date("2026-03-29T01:30:00Z"), new Date()]) {
    const text = timestamp(when);
    assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
    assert.equal(Date.parse(text), when.getTime());
  }
});

Deno.test("bytes are shown with \\r and \\n visible, and the first difference is named", () => {
  assert.equal(visible("a\r\nb\x00"), '"a\\r\\nb\\x00"');
  assert.equal(visible("время"), '"время"');
  assert.equal(firstDifference("12:00\n", "12:00\r\n"), 'byte 5 is the first to differ: expected "\\n", got "\\r"');
  assert.equal(firstDifference("abc", "ab"), 'byte 2 is the first to differ: expected "c", got the end');
  assert.equal(firstDifference("same", "same"), undefined);
  assert.equal(
    firstDifference("12:00\n", "12:00\r\n", "ru"),
    'первое расхождение в байте 5: ожидался "\\n", пришёл "\\r"',
  );
});

Deno.test("the transcript stays short: a run of one byte is counted, a stream of reads folds into one line", () => {
  const transcript = new Transcript();
  transcript.event("grader", "connected");
  transcript.bytes("grader sent", new Uint8Array(65536));
  for (let i = 0; i < 20; i++) transcript.bytes("grader received", new TextEncoder().encode(`piece ${i}\r\n`));
  transcript.line("server", "listening on 127.0.0.1:1");
  const lines = transcript.render();
  assert.equal(lines.length, 5, lines.join("\n"));
  assert.match(lines[1], /\[grader sent\] "\\x00" × 65536$/);
  assert.match(lines[2], /\[grader received\] "piece 0\\r\\n" \(9 B\)$/);
  assert.match(lines[3], /\[grader received\] … 19 more pieces, 181 B$/);
  assert.match(lines[4], /\[server\] listening on 127\.0\.0\.1:1$/);
});
