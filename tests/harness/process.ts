/**
 * A learner's program run as a real process: the same `deno run` command and
 * permissions as its `deno task lesson-N`, with its stdout and stderr captured
 * line by line into the check's transcript. `await using` kills it on every
 * path out of a check.
 *
 * @module
 */
import type { Bilingual, Lang } from "./text.ts";
import { CheckFailure } from "./failure.ts";
import { seconds } from "./deadline.ts";
import type { Transcript } from "./transcript.ts";

/** Where a server said it listens: TCP host and port, or a Unix socket path. */
export type Address =
  | { transport: "tcp"; host: string; port: number }
  | { transport: "unix"; path: string };

/** How to start one program. */
export interface Launch {
  /** The label in transcripts: `server`, `client`. */
  label: string;
  /** `deno` arguments up to and including the script (from deno.json's task). */
  command: string[];
  /** The program's own arguments: `server --port 0`. */
  args: string[];
  /** Extra `deno` flags, e.g. a permission for one Unix socket path. */
  extraFlags?: string[];
  /** Whether the grader will write to the program's stdin. */
  stdin?: "piped" | "null";
  /** The language of the report: an unfinished step is named in it (`COURSE_TODO_LANG`). Default English. */
  todoLang?: Lang;
  /** More environment for the program, e.g. `TZ` to run a server in another time zone. */
  env?: Record<string, string>;
}

/**
 * What a program the grader starts may take from the grader's own environment, when set and when the task lets the
 * grader read it: where Deno keeps its cache (`DENO_DIR`; else `XDG_CACHE_HOME`, else under `HOME`), the time zone,
 * and `PATH` (where a program that starts `deno` in turn finds it). Nothing else is passed on: a `LD_LIBRARY_PATH` or
 * `LD_PRELOAD` from the learner's shell changes how a binary loads, and Deno refuses to start a child with one unless
 * given every `--allow-run`.
 */
export const PASSED_ON = ["DENO_DIR", "XDG_CACHE_HOME", "HOME", "TZ", "PATH"] as const;

/**
 * The whole environment of a program the grader (or the bench) starts, to be given with `clearEnv: true`: the
 * variables of {@linkcode PASSED_ON} the task may read, no colour, then `extra` (`LANG`, `TZ`…).
 */
export function programEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ON) {
    // query, not get: a missing permission must not prompt the learner at a terminal.
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") continue;
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/**
 * Thrown when the system or Deno refuses to start a program at all: the machine's doing, not the learner's. Its
 * stack is its message alone, so a report that prints the stack prints one line.
 */
export class SpawnRefused extends Error {
  /** Why, in both languages. */
  readonly text: Bilingual;
  /** `cause` is what `Deno.Command#spawn` threw. */
  constructor(cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const text = {
      en: `this machine would not start deno (${why}): the environment stopped the grader, not your program`,
      ru: `эта машина не дала запустить deno (${why}): грейдер остановило окружение, а не ваша программа`,
    };
    super(text.en);
    this.name = "SpawnRefused";
    this.text = text;
    this.stack = text.en;
  }
}

/** Starts `deno` with `options` and the environment of {@linkcode programEnv}; a refusal becomes {@linkcode SpawnRefused}. */
export function spawnDeno(options: Deno.CommandOptions, env: Record<string, string> = {}): Deno.ChildProcess {
  try {
    return new Deno.Command("deno", { ...options, clearEnv: true, env: programEnv(env) }).spawn();
  } catch (error) {
    throw new SpawnRefused(error);
  }
}

/**
 * Whether this machine lets the grader start programs: starts `deno --version` as it starts a learner's program.
 * Undefined when it can; else why not, in one line per language.
 */
export async function spawnRefused(): Promise<Bilingual | undefined> {
  try {
    const status = await spawnDeno({ args: ["--version"], stdin: "null", stdout: "null", stderr: "null" }).status;
    if (status.success) return undefined;
    return new SpawnRefused(new Error(`deno --version exited with code ${status.code}`)).text;
  } catch (error) {
    return error instanceof SpawnRefused ? error.text : new SpawnRefused(error).text;
  }
}

const LISTENING = /^listening on (?:\[([^\]]+)\]|unix:(.+)|([^\s:]+)):?(\d+)?$/;

/** A running learner program. Dispose it to kill it and wait for it. */
export class LearnerProcess implements AsyncDisposable {
  /** Lines printed on stdout so far. */
  readonly stdout: string[] = [];
  /** Lines printed on stderr so far. */
  readonly stderr: string[] = [];
  /** Resolves when the process ends. */
  readonly status: Promise<Deno.CommandStatus>;
  /** The label in transcripts. */
  readonly label: string;
  #child: Deno.ChildProcess;
  #pumps: Promise<void>[];
  #wake: () => void = () => {};
  #changed: Promise<void>;
  #exited?: Deno.CommandStatus;

  /** Starts the program; its output goes to `transcript` under its label. */
  constructor(launch: Launch, transcript: Transcript) {
    this.label = launch.label;
    const [script, ...flags] = launch.command.slice().reverse();
    const command = [...flags.reverse(), ...(launch.extraFlags ?? []), script, ...launch.args];
    transcript.event("grader", `starts ${launch.label}: deno ${command.join(" ")}`);
    // An environment the grader chooses (programEnv), not the learner's shell. The checks read the programs' words
    // (not done yet, already in use): they run in English, whatever the learner's LANG; the report around them is in
    // the learner's language. Only the goal of an unfinished step follows the report's language.
    this.#child = spawnDeno({ args: command, stdin: launch.stdin ?? "null", stdout: "piped", stderr: "piped" }, {
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
      COURSE_TODO_LANG: launch.todoLang ?? "en",
      ...launch.env,
    });
    this.#pipedStdin = launch.stdin === "piped";
    this.#transcript = transcript;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
    this.#pumps = [
      this.#pump(this.#child.stdout, this.stdout, (line) => transcript.line(this.label, line)),
      this.#pump(this.#child.stderr, this.stderr, (line) => transcript.line(`${this.label} stderr`, line)),
    ];
    this.status = this.#child.status.then((status) => {
      this.#exited = status;
      if (!this.#killed) {
        transcript.event(
          "grader",
          `${this.label} exited with code ${status.code}${status.signal ? ` (${status.signal})` : ""}`,
        );
      }
      this.#notify();
      return status;
    });
  }

  #killed = false;
  #pipedStdin = false;
  #stdinWriter?: WritableStreamDefaultWriter<Uint8Array>;
  #transcript?: Transcript;

  /** The process's stdin, when started with `stdin: "piped"`. */
  get stdin(): WritableStream<Uint8Array> {
    return this.#child.stdin;
  }

  /**
   * Types `text` at the program's console (its stdin, which must be piped),
   * as a person would, recorded in the transcript. Fails when the program has
   * stopped reading its console (it exited, or closed stdin).
   */
  async type(text: string, ms = 3000): Promise<void> {
    this.#stdinWriter ??= this.#child.stdin.getWriter();
    this.#transcript?.bytes(`grader types at ${this.label}'s console`, new TextEncoder().encode(text));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CheckFailure({
              en: `the ${this.label} did not take console input within ${seconds(ms)}`,
              ru: `программа ${this.label} не приняла ввод с консоли за ${seconds(ms)}`,
            }),
          ),
        ms,
      );
    });
    try {
      await Promise.race([this.#stdinWriter.write(new TextEncoder().encode(text)), late]);
    } catch (error) {
      if (error instanceof CheckFailure) throw error;
      throw new CheckFailure({
        en: `could not type at the ${this.label}'s console: ${(error as Error).message}`,
        ru: `не удалось ввести текст в консоль программы ${this.label}: ${(error as Error).message}`,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the program's console (stdin), like Ctrl+D at a terminal. */
  async closeConsole(): Promise<void> {
    this.#stdinWriter ??= this.#child.stdin.getWriter();
    this.#transcript?.event("grader", `closes ${this.label}'s console (end of input)`);
    await this.#stdinWriter.close().catch(() => {});
  }

  /** Sends the process a signal, e.g. SIGINT for Ctrl+C. */
  signal(signal: Deno.Signal): void {
    this.#child.kill(signal);
  }

  /** The exit status if the process has ended, else undefined. */
  get exited(): Deno.CommandStatus | undefined {
    return this.#exited;
  }

  async #pump(stream: ReadableStream<Uint8Array>, into: string[], record: (line: string) => void): Promise<void> {
    let pending = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        // Kept raw: a stray "\r" the program printed is something to show.
        into.push(line);
        record(line);
      }
      this.#notify();
    }
    if (pending) {
      into.push(pending);
      record(`${pending} (no final newline)`);
      this.#notify();
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#changed = new Promise((resolve) => this.#wake = resolve);
    wake();
  }

  /**
   * Waits until `test` finds what it wants in this process's output, or the
   * process exits, or `ms` pass. Returns the match, or throws a failure that
   * names `what` and shows how the process ended.
   */
  async waitFor<T>(test: () => T | undefined, ms: number, what: Bilingual): Promise<T> {
    const deadline = performance.now() + ms;
    while (true) {
      const found = test();
      if (found !== undefined) return found;
      if (this.#exited) {
        // Give the output pumps a moment: the last lines may trail the exit.
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([Promise.all(this.#pumps), new Promise((r) => grace = setTimeout(r, 200))]);
        clearTimeout(grace);
        const late = test();
        if (late !== undefined) return late;
        throw new CheckFailure({
          en: `the ${this.label} exited with code ${this.#exited.code} before printing ${what.en}`,
          ru: `программа ${this.label} завершилась с кодом ${this.#exited.code}, не напечатав ${what.ru}`,
        }, {
          actual: this.stderr.length
            ? `stderr: ${this.stderr.slice(-3).join(" | ")}`
            : { en: "nothing on stderr", ru: "в stderr ничего" },
        });
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new CheckFailure({
          en: `the ${this.label} did not print ${what.en} within ${seconds(ms)}`,
          ru: `программа ${this.label} не напечатала ${what.ru} за ${seconds(ms)}`,
        });
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#changed, new Promise((r) => timer = setTimeout(r, left))]);
      clearTimeout(timer);
    }
  }

  /**
   * Waits for the server's first stdout line, `listening on HOST:PORT` (or
   * `listening on unix:PATH`), and returns the address it names.
   */
  async listening(ms = 8000): Promise<Address> {
    const first = await this.waitFor(() => this.stdout[0], ms, {
      en: "its first line, 'listening on HOST:PORT'",
      ru: "свою первую строку, 'listening on HOST:PORT'",
    });
    const match = first.match(LISTENING);
    if (!match || (match[2] === undefined && match[4] === undefined)) {
      throw new CheckFailure({
        en: `${this.label}'s first line on stdout must announce its address`,
        ru: `первая строка программы ${this.label} в stdout должна сообщать её адрес`,
      }, {
        expected: {
          en: '"listening on HOST:PORT" (e.g. "listening on 127.0.0.1:40123", "listening on [::1]:40123")',
          ru: '"listening on HOST:PORT" (например, "listening on 127.0.0.1:40123", "listening on [::1]:40123")',
        },
        actual: JSON.stringify(first),
      });
    }
    if (match[2] !== undefined) return { transport: "unix", path: match[2] };
    return { transport: "tcp", host: match[1] ?? match[3], port: Number(match[4]) };
  }

  /** Waits up to `ms` for the process to end; undefined if it is still running. */
  async exitWithin(ms: number): Promise<Deno.CommandStatus | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = await Promise.race([
      this.status,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms)),
    ]);
    clearTimeout(timer);
    if (result) await Promise.all(this.#pumps);
    return result;
  }

  /** Kills the process if it still runs and waits until it and its output are done. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exited) {
      this.#killed = true;
      try {
        this.#child.kill("SIGKILL");
      } catch { /* it ended meanwhile */ }
    }
    await this.status;
    await Promise.all(this.#pumps);
    if (this.#pipedStdin) {
      try {
        if (this.#stdinWriter) await this.#stdinWriter.close();
        else await this.#child.stdin.close();
      } catch { /* already closed */ }
    }
  }
}
