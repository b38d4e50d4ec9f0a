/**
 * Whose work a results file is about, for a teacher who collects many: the
 * graded checkout's repository, owner and commit (from git), when it was
 * graded, and the commit of the course whose graders judged it.
 *
 * @module
 */
import { ROOT } from "./harness/course.ts";
import { programEnv } from "./harness/process.ts";

/** What `deno task grade --json` says about the work it graded. */
export interface Work {
  /** The graded checkout's repository (its `origin`, without credentials), or null when git cannot tell. */
  repository: string | null;
  /** Its owner: the first part of the repository's path (`github.com/OWNER/repo`), or null. */
  owner: string | null;
  /** The commit graded, or null outside git. */
  commit: string | null;
  /** True when the graded files differ from that commit (uncommitted edits were graded). */
  uncommitted: boolean | null;
  /** When it was graded, ISO 8601. */
  time: string;
  /** The course whose graders judged it: its commit (null outside git). */
  course: { commit: string | null };
}

/** Runs git in `dir`; its stdout trimmed, or null when git is missing, not allowed, fails or takes over 10 s. */
async function git(dir: string, ...args: string[]): Promise<string | null> {
  try {
    // A local git answers at once; 10 s is for a machine under load, past it the field is left unknown.
    const out = await new Deno.Command("git", {
      args: ["-C", dir, ...args],
      // The environment the grader chooses (LD_LIBRARY_PATH and the like would make the spawn refused).
      clearEnv: true,
      env: programEnv(),
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(10_000),
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

/**
 * A remote's URL without what must not be published (a user name or token
 * before `@`), and the owner it names: `https://github.com/ann/net.git` is
 * repository `github.com/ann/net`, owner `ann`; so is `git@github.com:ann/net.git`.
 */
export function repositoryOf(url: string): { repository: string; owner: string | null } {
  const scp = url.match(/^[^@/:]+@([^:/]+):(.+)$/);
  const parts = scp ? { host: scp[1], path: scp[2] } : (() => {
    try {
      const parsed = new URL(url);
      return { host: parsed.host, path: parsed.pathname };
    } catch {
      return { host: "", path: url };
    }
  })();
  const path = parts.path.replace(/^\/+/, "").replace(/\.git$/, "").replace(/\/+$/, "");
  const repository = parts.host ? `${parts.host}/${path}` : path;
  return { repository, owner: parts.host && path.includes("/") ? path.split("/")[0] : null };
}

/** Whose work the lessons in `dir` are: see {@linkcode Work}. */
export async function describeWork(dir: string, now = new Date()): Promise<Work> {
  const [commit, url, status, course] = await Promise.all([
    git(dir, "rev-parse", "HEAD"),
    git(dir, "config", "--get", "remote.origin.url"),
    git(dir, "status", "--porcelain", "--", "."),
    git(ROOT, "rev-parse", "HEAD"),
  ]);
  const where = url ? repositoryOf(url) : { repository: null, owner: null };
  return {
    ...where,
    commit,
    uncommitted: commit === null || status === null ? null : status !== "",
    time: now.toISOString(),
    course: { commit: course },
  };
}
