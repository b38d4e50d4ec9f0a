/**
 * `deno task class-report`: three learners' results files (one learner's
 * in two, as the learner edition's CI writes them) as a Markdown table and as
 * a page, the page opened in headless Chromium when it is installed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runTask } from "./harness/course.ts";
import type { ResultsJson } from "./report.ts";

type Test = ResultsJson["tests"][number];

const test = (lesson: number, id: string, pass: boolean, output: string | null = null): Test => ({
  name: `lesson ${lesson}: the ${id} check`,
  lesson,
  id,
  status: pass ? "pass" : "fail",
  message: pass ? null : `${id} went wrong\nexpected: "x"`,
  output: pass ? null : output,
  points: { earned: pass ? 1 : 0, possible: 1 },
});

function results(repository: string, time: string, tests: Test[]): ResultsJson {
  const numbers = [...new Set(tests.map((t) => t.lesson))];
  const sum = (list: Test[]) => ({
    earned: list.reduce((n, t) => n + t.points.earned, 0),
    possible: list.reduce((n, t) => n + t.points.possible, 0),
  });
  return {
    version: 2,
    status: tests.every((t) => t.status === "pass") ? "pass" : "fail",
    work: {
      repository,
      owner: repository.split("/")[1],
      commit: "0123456789abcdef0123456789abcdef01234567",
      uncommitted: false,
      time,
      course: { commit: "fedcba9876543210fedcba9876543210fedcba98" },
    },
    points: sum(tests),
    lessons: numbers.map((number) => ({
      number,
      slug: `0${number}-x`,
      title: `Lesson ${number}`,
      points: sum(tests.filter((t) => t.lesson === number)),
    })),
    tests,
  };
}

const files: Record<string, ResultsJson> = {
  "ann.json": results("github.com/ann/net", "2026-11-20T10:00:00Z", [
    test(1, "a", true),
    test(1, "b", true),
    test(2, "c", true),
    test(2, "d", false, "  3 ms [server] <script>alert(1)</script> & more"),
  ]),
  "bob.json": results("github.com/bob/net", "2026-11-20T11:00:00Z", [
    test(1, "a", false, "  1 ms [client] refused"),
    test(1, "b", false),
  ]),
  "cy-lesson-1.json": results("github.com/cy/net", "2026-11-20T12:00:00Z", [test(1, "a", true), test(1, "b", true)]),
  "cy-lesson-2.json": results("github.com/cy/net", "2026-11-20T12:01:00Z", [test(2, "c", true), test(2, "d", true)]),
};

async function writeFiles(): Promise<[string, string[]]> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "class-" });
  for (const [name, json] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, JSON.stringify(json));
  return [dir, Object.keys(files).map((name) => `${dir}/${name}`)];
}

Deno.test("class-report: a Markdown row per learner, a column per lesson, failing titles; --require for CI", async () => {
  const [dir, paths] = await writeFiles();
  try {
    const out = await runTask("class-report", paths);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      out.stdout,
      [
        "| Learner | 1. Lesson 1 | 2. Lesson 2 | Total |",
        "| --- | ---: | ---: | ---: |",
        "| github.com/ann/net @ 0123456789ab | ✅ 2/2 | ❌ 1/2: the d check | 3/4 |",
        "| github.com/bob/net @ 0123456789ab | ❌ 0/2: the a check; the b check | – | 0/2 |",
        "| github.com/cy/net @ 0123456789ab | ✅ 2/2 | ✅ 2/2 | 4/4 |",
        "",
        "",
      ].join("\n"),
    );
    const due1 = await runTask("class-report", [...paths, "--require", "1"]);
    assert.equal(due1.code, 1);
    assert.match(due1.stdout, /due and not passed: github\.com\/bob\/net: lessons 1\n/);
    const cy = await runTask("class-report", [paths[2], paths[3], "--require", "1,2"]);
    assert.equal(cy.code, 0, cy.stdout);
    assert.match(cy.stdout, /due: lessons 1, 2; every learner passed them\./);
    const none = await runTask("class-report", [...paths, "--require", ""]);
    assert.equal(none.code, 0);
    const bad = await runTask("class-report", [`${dir}/missing.json`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^class-report: .*missing\.json: .*\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("class-report --html: one self-contained page, sortable, failing checks expand to message and transcript (headless Chromium)", async () => {
  const [dir, paths] = await writeFiles();
  try {
    const page = `${dir}/class.html`;
    const out = await runTask("class-report", [...paths, "--html", page]);
    assert.equal(out.code, 0, out.stderr);
    const html = await Deno.readTextFile(page);
    // Self-contained: nothing fetched from anywhere.
    assert.doesNotMatch(html, /\b(src|href)=|@import|url\(/);
    assert.ok(!html.includes("<script>alert"), "a transcript is escaped, not markup");
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));

    const chromium = ["chromium"];
    let dom: string | undefined;
    for (const name of chromium) {
      try {
        const profile = await Deno.makeTempDir({ dir: "/tmp", prefix: "chromium-" });
        try {
          const run = await new Deno.Command(name, {
            args: [
              "--headless",
              "--no-sandbox",
              "--disable-gpu",
              `--user-data-dir=${profile}`,
              "--dump-dom",
              `file://${page}#sort=-3`,
            ],
            stdout: "piped",
            stderr: "null",
            signal: AbortSignal.timeout(60_000), // a cold start on a loaded machine takes seconds, not a minute
          }).output();
          assert.ok(
            run.success,
            `${name} failed with code ${run.code}${run.signal ? ` (${run.signal}: 60 s passed)` : ""}`,
          );
          dom = new TextDecoder().decode(run.stdout);
        } finally {
          await Deno.remove(profile, { recursive: true });
        }
        break;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    if (dom === undefined) {
      console.log(
        "skipped: the page in a browser (no chromium here; apt-get install -y chromium, or .ci/run installs it)",
      );
      return;
    }
    // The script ran in the browser and sorted by Total, descending: cy (4), ann (3), bob (0).
    assert.match(dom, /<table id="class" data-sorted="-3">/);
    const order = [...dom.matchAll(/<span class="learner">([^<]+)<\/span>/g)].map((m) => m[1]);
    assert.deepEqual(order, ["github.com/cy/net", "github.com/ann/net", "github.com/bob/net"]);
    assert.match(dom, /<th data-column="3" aria-sort="descending">/);
    // Each failing check is a closed <details> holding its message and its transcript.
    const checks = [...dom.matchAll(/<details class="check" data-check="(\w+)">(.*?)<\/details>/gs)];
    assert.deepEqual(checks.map((m) => m[1]), ["d", "a", "b"]);
    assert.match(
      checks[0][2],
      /<summary>the d check<\/summary><pre class="message">d went wrong\nexpected: "x"<\/pre>/,
    );
    assert.match(
      checks[0][2],
      /<pre class="transcript"> {2}3 ms \[server\] &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
