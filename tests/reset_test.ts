/**
 * `deno task reset`: in a throwaway git repository holding lesson 1 as given,
 * a learner's changes are backed up and the originals come back from git;
 * saying no, or having nothing to reset, writes nothing; a missing original
 * changes nothing. Also: tests/starters.json records every lesson file, and
 * the course's own CI holds every lesson to its record.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lessons } from "./checks/mod.ts";
import { ROOT, runTask } from "./harness/course.ts";
import { ResetError, resetLesson, WORDS } from "./reset.ts";
import { blobId, lessonFiles, type Manifest, readManifest, touched } from "./starters.ts";

const lesson = lessons[0];
const decoder = new TextDecoder();

/** Runs git in `cwd`, killed after 10 s, and fails saying what went wrong. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 10_000);
  try {
    const out = await new Deno.Command("git", {
      args: ["-c", "user.email=course@example.org", "-c", "user.name=course", ...args],
      cwd,
      stdout: "null",
      stderr: "piped",
      signal: stop.signal,
    }).output();
    if (stop.signal.aborted) throw new Error(`git ${args.join(" ")} did not finish within 10 s`);
    if (!out.success) throw new Error(`git ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A git repository in /tmp holding lesson 1 as given, committed, and its manifest. */
async function givenRepo(): Promise<{ root: string; manifest: Manifest; files: string[] }> {
  const root = await Deno.makeTempDir({ prefix: "reset-test-" });
  const files = lessonFiles(lesson);
  await Deno.mkdir(`${root}/lessons/${lesson.slug}`, { recursive: true });
  const manifest: Manifest = {};
  for (const path of files) {
    const bytes = await Deno.readFile(`${ROOT}/${path}`);
    await Deno.writeFile(`${root}/${path}`, bytes);
    manifest[path] = await blobId(bytes);
  }
  await git(root, "init", "-q");
  await git(root, "add", ".");
  await git(root, "commit", "-q", "-m", "the course");
  return { root, manifest, files };
}

Deno.test("reset: backs up the learner's files, brings back the originals from git, leaves new files alone", async () => {
  const { root, manifest, files } = await givenRepo();
  try {
    const [first, second] = files.filter((path) => !path.endsWith("/main.ts"));
    const original = await Deno.readTextFile(`${root}/${first}`);
    await Deno.writeTextFile(`${root}/${first}`, original + "\n// my attempt\n");
    await Deno.remove(`${root}/${second}`);
    await Deno.writeTextFile(`${root}/lessons/${lesson.slug}/notes.ts`, "// mine\n");
    // The learner committed their work: git's HEAD no longer has the originals.
    await git(root, "add", "-A");
    await git(root, "commit", "-q", "-m", "my work");
    assert.deepEqual(
      (await touched(lesson, manifest, root)).sort(),
      [first, second, `lessons/${lesson.slug}/notes.ts`].sort(),
    );

    const said: string[] = [];
    const asked: string[] = [];
    const outcome = await resetLesson(lesson, {
      root,
      manifest,
      words: WORDS.en,
      say: (line) => said.push(line),
      confirm: (question) => (asked.push(question), true),
      now: new Date("2026-11-23T10:00:00Z"),
    });
    assert.deepEqual(outcome.restored.sort(), [first, second].sort());
    assert.equal(outcome.backup, `backups/${lesson.slug}/2026-11-23T10-00-00`);
    assert.equal(await Deno.readTextFile(`${root}/${first}`), original);
    assert.equal(await Deno.readTextFile(`${root}/${second}`), await Deno.readTextFile(`${ROOT}/${second}`));
    const backedUp = `${root}/${outcome.backup}/${first.split("/").at(-1)}`;
    assert.equal(await Deno.readTextFile(backedUp), original + "\n// my attempt\n");
    assert.equal(await Deno.readTextFile(`${root}/lessons/${lesson.slug}/notes.ts`), "// mine\n");
    assert.match(asked[0], /Your versions go to backups\/01-time-server\/2026-11-23T10-00-00\/ first/);
    assert.ok(said.some((line) => line.includes("notes.ts") && line.includes("left alone")), said.join("\n"));
    assert.deepEqual(await touched(lesson, manifest, root), [`lessons/${lesson.slug}/notes.ts`]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reset: saying no, or nothing to reset, writes nothing; a missing original changes nothing", async () => {
  const { root, manifest, files } = await givenRepo();
  try {
    const path = files.find((p) => !p.endsWith("/main.ts"))!;
    const said: string[] = [];
    const options = { root, manifest, words: WORDS.en, say: (line: string) => said.push(line) };

    let asked = false;
    await resetLesson(lesson, { ...options, confirm: () => (asked = true) });
    assert.equal(asked, false, "nothing differed, yet it asked");
    assert.match(said.at(-1)!, /nothing to reset/);

    await Deno.writeTextFile(`${root}/${path}`, "// mine\n");
    const no = await resetLesson(lesson, { ...options, confirm: () => false });
    assert.deepEqual(no.restored, []);
    assert.equal(await Deno.readTextFile(`${root}/${path}`), "// mine\n");
    assert.match(said.at(-1)!, /Nothing changed/);

    const broken = { ...manifest, [path]: "0".repeat(40) };
    await assert.rejects(
      resetLesson(lesson, { ...options, manifest: broken, confirm: () => true }),
      (error: Error) => error instanceof ResetError && /not in this repository's git history/.test(error.message),
    );
    assert.equal(await Deno.readTextFile(`${root}/${path}`), "// mine\n");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reset: the task says how to use it, in Russian too, and refuses a lesson that does not exist", async () => {
  const usage = await runTask("reset", []);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: deno task reset LESSON \[--yes\]/);
  const none = await runTask("reset", ["9", "--lang", "ru"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /урока 9 нет; уроки: 1, 2, 3, 4, 5/);
});

Deno.test("tests/starters.json records every lesson's files; the course's own CI holds each lesson to it", async () => {
  const manifest = readManifest();
  for (const l of lessons) {
    for (const path of lessonFiles(l)) {
      assert.ok(manifest[path], `${path} is not in tests/starters.json: deno task starters`);
    }
  }
  if (Deno.env.get("COURSE_CI")) {
    for (const l of lessons) {
      assert.deepEqual(
        await touched(l, manifest),
        [],
        `lesson ${l.number} differs from tests/starters.json: deno task starters`,
      );
    }
  }
});
