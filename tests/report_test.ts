/**
 * The results files CI reads: their shape on made-up results, and one real
 * `deno task grade 1 --json --junit` run on the untouched starters.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Check, Lesson, Result } from "./harness/check.ts";
import { type ResultsJson, toJUnit, toResultsJson } from "./report.ts";
import { runTask } from "./harness/course.ts";
import { lessons } from "./checks/mod.ts";

const check = (id: string): Check => ({
  id,
  title: { en: `title of ${id} <&>`, ru: `название ${id}` },
  hint: { en: "", ru: "" },
  run: async () => {},
});
const lesson: Lesson = { number: 9, slug: "09-demo", title: { en: "Demo", ru: "Демо" }, checks: [], variants: [] };
const results: Result[] = [
  { check: check("a"), status: "passed", transcript: [], ms: 12 },
  {
    check: check("b"),
    status: "failed",
    message: { en: 'no "\\n" at the end', ru: 'нет "\\n" в конце' },
    expected: '"x\\n"',
    actual: '"x"',
    transcript: ["  1 ms [server] hi \x01"],
    ms: 30,
  },
  {
    check: check("c"),
    status: "skipped",
    message: { en: "no IPv6 here", ru: "здесь нет IPv6" },
    transcript: [],
    ms: 1,
  },
];

Deno.test("--json: Exercism's results.json shape, with points per check and per lesson", () => {
  const json = toResultsJson([{ lesson, results }]);
  assert.equal(json.version, 2);
  assert.equal(json.status, "fail");
  assert.deepEqual(json.points, { earned: 1, possible: 2 });
  assert.deepEqual(json.lessons, [
    {
      number: 9,
      slug: "09-demo",
      title: "Demo",
      points: { earned: 1, possible: 2 },
      status: "fail",
      progress: "in progress",
    },
  ]);
  assert.deepEqual(json.tests.map((t) => [t.id, t.status, t.points.earned, t.points.possible]), [
    ["a", "pass", 1, 1],
    ["b", "fail", 0, 1],
    ["c", "pass", 0, 0],
  ]);
  assert.match(json.tests[1].message!, /^no "\\n" at the end\nexpected: "x\\n"\nactual: "x"$/);
  assert.equal(json.tests[1].output, "  1 ms [server] hi \x01");
  assert.equal(json.tests[0].message, null);
});

Deno.test("--junit: a suite per lesson, a case per check, failures and skips marked, text escaped", () => {
  const xml = toJUnit([{ lesson, results }]);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  assert.match(xml, /<testsuite name="lesson 9: Demo" tests="3" failures="1" errors="0" skipped="1" time="0\.043">/);
  assert.match(xml, /<testcase classname="lesson-9" name="a: title of a &lt;&amp;&gt;" time="0\.012"\/>/);
  assert.match(xml, /<failure message="no &quot;\\n&quot; at the end">/);
  assert.match(xml, /<skipped message="no IPv6 here"\/>/);
  assert.ok(!xml.includes("\x01"), "control characters are made visible, not written raw");
  // Every element opened is closed.
  for (const tag of ["testsuites", "testsuite", "testcase", "failure", "system-out"]) {
    const opened = xml.match(new RegExp(`<${tag}[ >]`, "g"))?.length ?? 0;
    const closed = (xml.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0) +
      (xml.match(new RegExp(`<${tag}[^>]*/>`, "g"))?.length ?? 0);
    assert.equal(opened, closed, `<${tag}> opened ${opened} times, closed ${closed}`);
  }
});

Deno.test("deno task grade 1 --json --junit writes both files for the untouched starters", async () => {
  const dir = await Deno.makeTempDir({ dir: "/tmp" });
  try {
    const out = await runTask("grade", ["1", "--json", `${dir}/results.json`, "--junit", `${dir}/junit.xml`]);
    assert.equal(out.code, 1, "the starters fail, so the grader exits 1");
    const json: ResultsJson = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.equal(json.status, "fail");
    const count = lessons[0].checks.length;
    assert.equal(json.tests.length, count);
    assert.ok(json.tests.every((t) => t.lesson === 1 && t.status === "fail" && t.message?.includes("not done yet")));
    assert.deepEqual(json.lessons[0].points, { earned: 0, possible: count });
    const xml = await Deno.readTextFile(`${dir}/junit.xml`);
    assert.ok(xml.includes(`<testsuite name="lesson 1: TCP time server" tests="${count}" failures="${count}"`), xml);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
