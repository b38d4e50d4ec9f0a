/**
 * What the lessons' files were when the course handed them out. A learner's
 * commits change lessons/ and git history cannot tell theirs from the
 * course's, so the course records each file's git blob id in
 * `tests/starters.json`: the content is then one `git cat-file blob ID` away
 * for `deno task reset`, and "untouched" means "the same id", for the suite.
 *
 * Contributors: after changing a starter, run `deno task starters` to record
 * it; the course's CI fails while a lesson differs from its record.
 *
 * @module
 */
import { lessons } from "./checks/mod.ts";
import type { Lesson } from "./harness/check.ts";
import { ROOT } from "./harness/course.ts";
import { parseCli } from "./cli.ts";

/** Where the record lives. */
export const MANIFEST = "tests/starters.json";

/** Path from the course root (`lessons/04-tcp-vs-udp/ping.ts`) to git blob id. */
export type Manifest = Record<string, string>;

/** The id git gives `bytes` as a blob: SHA-1 of `blob <length>\0` and the bytes. */
export async function blobId(bytes: Uint8Array): Promise<string> {
  const head = new TextEncoder().encode(`blob ${bytes.length}\0`);
  const whole = new Uint8Array(head.length + bytes.length);
  whole.set(head);
  whole.set(bytes, head.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", whole));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The lesson's own files, from the course root, sorted: every `.ts` in its folder. */
export function lessonFiles(lesson: Lesson, root = ROOT): string[] {
  const dir = `lessons/${lesson.slug}`;
  return [...Deno.readDirSync(`${root}/${dir}`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ts"))
    .map((entry) => `${dir}/${entry.name}`)
    .sort();
}

/** The recorded manifest. */
export function readManifest(root = ROOT): Manifest {
  return JSON.parse(Deno.readTextFileSync(`${root}/${MANIFEST}`));
}

/** The manifest entries of `lesson`. */
export function recorded(lesson: Lesson, manifest: Manifest): [string, string][] {
  return Object.entries(manifest).filter(([path]) => path.startsWith(`lessons/${lesson.slug}/`));
}

/**
 * The lesson's files that are not as recorded: changed, missing, or new.
 * Empty means untouched.
 */
export async function touched(lesson: Lesson, manifest: Manifest, root = ROOT): Promise<string[]> {
  const entries = recorded(lesson, manifest);
  const differ: string[] = [];
  for (const [path, id] of entries) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${root}/${path}`);
    } catch {
      differ.push(path);
      continue;
    }
    if (await blobId(bytes) !== id) differ.push(path);
  }
  const known = new Set(entries.map(([path]) => path));
  return [...differ, ...lessonFiles(lesson, root).filter((path) => !known.has(path))];
}

/** A fresh manifest of every lesson's files as they are now. */
export async function record(root = ROOT): Promise<Manifest> {
  const manifest: Manifest = {};
  for (const lesson of lessons) {
    for (const path of lessonFiles(lesson, root)) manifest[path] = await blobId(await Deno.readFile(`${root}/${path}`));
  }
  return manifest;
}

if (import.meta.main) {
  parseCli({
    name: "starters",
    about: {
      en:
        "Contributors: records each lesson file as given (its git blob id) in tests/starters.json, for reset and the suite.",
      ru:
        "Для авторов: записывает каждый файл урока в выданном виде (id блоба git) в tests/starters.json, для reset и тестов.",
    },
    usage: { en: "[--lang en|ru]", ru: "[--lang en|ru]" },
    options: { lang: { type: "string" } },
  });
  const manifest = await record();
  Deno.writeTextFileSync(`${ROOT}/${MANIFEST}`, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`${MANIFEST}: ${Object.keys(manifest).length} files of ${lessons.length} lessons recorded`);
}
