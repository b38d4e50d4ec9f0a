/**
 * The launcher behind every lesson's `main.ts`.
 *
 * A lesson's programs are plain async functions (`runServer`, `runClient`, …).
 * This module turns them into a command-line program with one contract for the
 * whole course:
 *
 * - subcommands (`server`, `client`, …) parsed with `node:util` `parseArgs`,
 *   each with `--help`;
 * - no subcommand runs the lesson's demo;
 * - Ctrl+C asks the running command to stop (an `AbortSignal`), a second
 *   Ctrl+C exits at once;
 * - any error, including an unfinished TODO, becomes one clear line on stderr
 *   and a non-zero exit code, never a stack trace.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig, styleText } from "node:util";

/**
 * The launcher's own words in the learner's language: Russian when LC_ALL or
 * LANG says so and the task may read them (`--allow-env=LANG,LC_ALL`), else
 * English. What a program says on the wire or announces for a grader to read
 * (`listening on …`) is protocol, not prose, and stays as it is.
 */
const ru: boolean = (() => {
  for (const variable of ["LC_ALL", "LANG"]) {
    if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") continue;
    const value = Deno.env.get(variable);
    if (value) return /^ru/i.test(value);
  }
  return false;
})();

/**
 * The language of a TODO's goal: the grader runs programs in English (it
 * reads their words) but sets COURSE_TODO_LANG to its report's language, so
 * an unfinished step is named in the learner's language there too.
 */
const goalsInRussian: boolean = (() => {
  if (Deno.permissions.querySync({ name: "env", variable: "COURSE_TODO_LANG" }).state !== "granted") return ru;
  const value = Deno.env.get("COURSE_TODO_LANG");
  return value ? value === "ru" : ru;
})();

/** English or Russian, whichever the learner reads. */
const say = (en: string, russian: string) => ru ? russian : en;

/** The learner's language: "ru" when LC_ALL or LANG says Russian, else "en". */
export function learnerLanguage(): "en" | "ru" {
  return ru ? "ru" : "en";
}

/** Help text in English, or in both languages. */
export type HelpText = string | { en: string; ru: string };

/** `text` in the learner's language: for a lesson's own messages in both languages. */
export function pick(text: HelpText): string {
  return typeof text === "string" ? text : ru ? text.ru : text.en;
}

/** Thrown by {@linkcode todo}: a step of the lesson the learner has not done yet. */
export class TodoError extends Error {
  /** The file the TODO is in, relative to the course root when possible. */
  readonly file: string;
  /** The TODO's number in that file. */
  readonly step: number;

  /** Makes the error for TODO `step` of `file`, saying what it should achieve. */
  constructor(file: string, step: number, goal: string) {
    super(say(`TODO ${step} in ${file}: ${goal}`, `TODO ${step} в ${file}: ${goal}`));
    this.name = "TodoError";
    this.file = file;
    this.step = step;
  }
}

/**
 * Marks a step the learner still has to write. Reaching it stops the whole
 * program at once with one line on stderr naming the TODO, its file and what
 * it should achieve, and exit code 1. It does not throw: a `try`/`catch` that
 * keeps a server alive through one client's errors would swallow the message.
 *
 * @example
 * ```ts
 * const listener: Deno.Listener = todo(import.meta.url, 1, { en: "listen on host:port", ru: "слушать host:port" });
 * ```
 */
export function todo(moduleUrl: string, step: number, goal: HelpText): never {
  flushLog();
  const text = typeof goal === "string" ? goal : goalsInRussian ? goal.ru : goal.en;
  const file = courseRelative(moduleUrl);
  console.error(describeError(new TodoError(file, step, text)));
  if (runningDemo) console.log(demoStopped(runningDemo, file));
  Deno.exit(1);
}

/** The program whose demo is running (no subcommand), for {@linkcode todo}'s word to a newcomer. */
let runningDemo: Program | undefined;

/**
 * What the demo adds, on stdout, when it stops at a TODO: that this is where
 * a lesson starts, not a crash, and the ways on.
 */
function demoStopped(program: Program, file: string): string {
  const task = program.name.replace(/^deno task /, "");
  const n = task.match(/-(\d+)$/)?.[1] ?? "N";
  const readme = `${file.slice(0, file.lastIndexOf("/"))}/${ru ? "README.ru.md" : "README.md"}`;
  return say(
    `The demo stops at the first step you have not written yet, named above: that is how each lesson starts.\n` +
      `Next: read ${readme}, write that step, and run deno task ${task} again (deno task grade ${n} checks your work).\n` +
      `To see the finished programs run first: deno task ${task.replace("lesson-", "solution-")}.`,
    `Демо останавливается на первом шаге, который вы ещё не написали (он назван выше): так начинается каждый урок.\n` +
      `Дальше: прочитайте ${readme}, напишите этот шаг и снова запустите deno task ${task} (deno task grade ${n} проверит работу).\n` +
      `Посмотреть, как работают готовые программы: deno task ${task.replace("lesson-", "solution-")}.`,
  );
}

/** A `file://` URL or path shown relative to the course root (`lessons/…`). */
export function courseRelative(urlOrPath: string): string {
  const path = urlOrPath.startsWith("file://") ? decodeURIComponent(new URL(urlOrPath).pathname) : urlOrPath;
  const at = path.search(/\/(lessons|solutions|tests)\//);
  return at >= 0 ? path.slice(at + 1) : path;
}

/** One subcommand of a lesson's program. */
export interface Command<V = Record<string, unknown>> {
  /** One line for the menu and the top of `--help`. */
  summary: HelpText;
  /** The flags, in `parseArgs` form, each with a `help` text and optional `default`. */
  options: Record<string, ParseArgsOptionsConfig[string] & { help: HelpText }>;
  /** Does the work; resolves when the command is finished or `signal` asked it to stop. */
  run(values: V, signal: AbortSignal): Promise<void>;
  /** Names the address the command works with, for error messages ("127.0.0.1:8000"). */
  address?(values: V): string;
  /**
   * A string option that may also be given as the one argument without a flag, as curl and wget take a URL:
   * `fetch http://site.loc/` sets `url` as `fetch --url http://site.loc/` does.
   */
  argument?: string;
}

/** What a lesson's `main.ts` hands to {@linkcode runProgram}. */
export interface Program {
  /** The program's name in help texts, e.g. `deno task lesson-1`. */
  name: string;
  /** One line saying what the lesson's programs do. */
  about: HelpText;
  // deno-lint-ignore no-explicit-any
  commands: Record<string, Command<any>>;
  /**
   * Runs with no subcommand: the lesson's demo. With `trace` (`--trace`), the
   * demo's client talks to its server through a relay and the conversation is
   * drawn as a ladder diagram (see `trace.ts`).
   */
  demo(signal: AbortSignal, trace?: boolean): Promise<void>;
  /** True when the demo can draw the conversation (`--trace`). */
  traces?: boolean;
}

const encoder = new TextEncoder();

/**
 * How much log text may wait for stdout, in characters. A terminal, or a pipe
 * somebody reads, keeps this queue near empty. A pipe nobody reads fills up
 * (the kernel holds about 64 KiB), then this queue; from then on new lines are
 * dropped and counted, so the log costs neither memory nor time.
 */
export const LOG_QUEUE_CHARS = 64 * 1024;

/**
 * How long lines that came during a write wait for more before the next one:
 * each asynchronous write to stdout costs the process far more CPU than the
 * write itself (a thread of Deno's takes it), so while lines keep coming at
 * most one write in this many ms carries them all.
 */
export const LOG_GATHER_MS = 50;

let pending: string[] = [];
let pendingChars = 0;
/** Lines dropped since the queue was last full; reported in the log once stdout takes lines again. */
let dropped = 0;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/** The write to stdout under way: it lasts as long as the reader makes it wait. */
let writing: Promise<void> | undefined;
/** stdout is closed (its reader went away): nothing more can be written. */
let stdoutGone = false;

/** The queued lines, and after them a note of any dropped since, as one chunk of bytes; empties the queue. */
function takePending(): Uint8Array | undefined {
  if (dropped > 0) {
    pending.push(say(
      `(log: ${dropped} line${dropped === 1 ? "" : "s"} dropped here: stdout was not being read)`,
      `(журнал: здесь пропущено строк: ${dropped}: stdout никто не читал)`,
    ));
    dropped = 0;
  }
  if (pending.length === 0) return undefined;
  const bytes = encoder.encode(pending.join("\n") + "\n");
  pending = [];
  pendingChars = 0;
  return bytes;
}

/**
 * Writes the queue to stdout with the asynchronous `write`, which waits on a
 * thread of its own: while a reader keeps stdout waiting, the event loop, and
 * so the network, goes on.
 */
function startWriting(): void {
  flushTimer = undefined;
  if (writing || stdoutGone) return;
  writing = (async () => {
    try {
      for (let bytes = takePending(); bytes; bytes = takePending()) {
        for (let at = 0; at < bytes.length;) at += await Deno.stdout.write(bytes.subarray(at));
        // Lines came meanwhile: a burst. Let it gather, so that one write carries many lines.
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, LOG_GATHER_MS));
      }
    } catch {
      // stdout was closed: the log has nowhere to go, and that must not stop the program either.
      stdoutGone = true;
      pending = [];
      pendingChars = 0;
    } finally {
      writing = undefined;
    }
  })();
}

/**
 * Writes the lines {@linkcode log} has gathered, now, unless an earlier write
 * still waits for stdout (nobody is reading it): then they follow that one, as
 * they would anyway, and the program does not block here.
 */
export function flushLog(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (writing || stdoutGone) return;
  const bytes = takePending();
  if (!bytes) return;
  try {
    for (let at = 0; at < bytes.length;) at += Deno.stdout.writeSync(bytes.subarray(at));
  } catch {
    stdoutGone = true;
  }
}

/** Resolves once the log is written, or after `ms` if stdout is still not being read. */
async function logWritten(ms: number): Promise<void> {
  const { promise: late, resolve } = Promise.withResolvers<"late">();
  const timer = setTimeout(() => resolve("late"), ms);
  try {
    while (writing) {
      if (await Promise.race([writing.then(() => "written" as const), late]) === "late") return;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves once every line {@linkcode log} has gathered so far is on stdout
 * (or after `ms`, if nobody reads stdout). Await it before writing to stdout
 * by other means (`Deno.stdout.write`, `console.log`) where the order matters:
 * {@linkcode flushLog} cannot wait for a write already under way.
 */
export async function logFlushed(ms = 2000): Promise<void> {
  flushLog();
  await logWritten(ms);
  flushLog();
}

/**
 * Prints a line on stdout, like console.log, but never makes the program wait.
 * Lines of one turn of the event loop go out in a single write, and while
 * lines keep coming, one write every {@linkcode LOG_GATHER_MS} ms carries them
 * all (a busy server logs a line per client; a write per line would cost it
 * more CPU than serving the client does). The write does not block: a server whose
 * stdout nobody reads keeps serving. Up to {@linkcode LOG_QUEUE_CHARS} of text
 * waits; beyond that lines are dropped, and once stdout takes lines again the
 * log says how many, where they are missing. `runProgram` writes what is left
 * before the program exits.
 */
export function log(line: string): void {
  if (stdoutGone) return;
  if (dropped > 0 || pendingChars + line.length + 1 > LOG_QUEUE_CHARS) {
    // Full: drop this line and every one after it until the writer takes the queue, so the note of how many
    // were dropped stands exactly where they are missing.
    dropped++;
    return;
  }
  pending.push(line);
  pendingChars += line.length + 1;
  if (!writing) flushTimer ??= setTimeout(startWriting, 0);
}

/**
 * Whether an error means the process, or the system, is out of a resource
 * (EMFILE: too many open files; ENFILE, ENOBUFS, ENOMEM): then every
 * `accept()` fails the same way until something is freed, and an accept loop
 * should wait a little instead of spinning. Any other failure of `accept()`
 * concerns one connection (a client that reset it before it was accepted) and
 * says nothing about the next one.
 */
export function outOfResources(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EMFILE" || code === "ENFILE" || code === "ENOBUFS" || code === "ENOMEM";
}

/**
 * A logger for failed `accept()`s that stays short in a storm: the first
 * failure is logged at once, the ones that follow within `everyMs` as one
 * count (`accept failed 2999 more times in 1 s …`), so thousands of resets
 * cost a few lines, not thousands. Call it with each error `accept()` throws.
 *
 * @example
 * ```ts
 * const acceptFailed = acceptFailureLog(console.log);
 * acceptFailed(new Error("Transport endpoint is not connected")); // logged at once
 * acceptFailed(new Error("Transport endpoint is not connected")); // counted, logged within a second
 * ```
 */
export function acceptFailureLog(log: (line: string) => void, everyMs = 1000): (error: unknown) => void {
  let count = 0;
  let last = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = () => {
    const waiting = setTimeout(report, everyMs);
    // The report must not keep a stopped server's process alive.
    Deno.unrefTimer(waiting);
    timer = waiting;
  };
  const report = () => {
    if (count === 0) {
      timer = undefined;
      return;
    }
    log(
      `accept failed ${count} more time${count === 1 ? "" : "s"} in ${
        everyMs / 1000
      } s (last: ${last}); still listening`,
    );
    count = 0;
    wait();
  };
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (timer === undefined) {
      log(`accept failed: ${message}; still listening`);
      wait();
    } else {
      count++;
      last = message;
    }
  };
}

/**
 * A failure the program explains itself (an HTTP error, a name DNS does not
 * know): printed as its message alone, with no place in the code, since it
 * is not a bug there.
 */
export class ProgramError extends Error {
  override name = "ProgramError";
}

/** Raised for a mistake in the command line; printed with a pointer to `--help`. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Runs `program` with `args` and returns the exit code: 0 on success, 1 on an
 * error, 2 on a usage mistake. Errors are printed as one line on stderr.
 */
export async function runProgram(program: Program, args: string[]): Promise<number> {
  const stop = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) {
      flushLog();
      Deno.exit(130);
    }
    stop.abort();
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  // A rejected promise nobody awaited (say, a connection handler that threw)
  // would make Deno print a stack trace and quit. Quit too, but in one line.
  const onUnhandled = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    flushLog();
    console.error(
      `${describeError(event.reason)} ${
        say("(unhandled, so the program stops)", "(не обработано, программа останавливается)")
      }`,
    );
    Deno.exit(1);
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);

  // main.ts is shared by lessons/ and solutions/: name the task that ran it.
  if (Deno.mainModule.includes("/solutions/")) {
    program = { ...program, name: program.name.replace("lesson-", "solution-") };
  }
  const [name, ...rest] = args;
  const command = name === undefined ? undefined : program.commands[name];
  let values: Record<string, unknown> = {};
  try {
    if (name === undefined || (name === "--trace" && rest.length === 0 && program.traces)) {
      runningDemo = program;
      await program.demo(stop.signal, name === "--trace");
      return 0;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      console.log(programHelp(program));
      return 0;
    }
    if (command === undefined) {
      const known = Object.keys(program.commands).join(", ");
      throw new UsageError(
        say(`unknown command '${name}'; try one of: ${known}`, `нет команды '${name}'; есть: ${known}`),
      );
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(commandHelp(program, name, command));
      return 0;
    }
    values = parseCommandArgs(command, rest);
    await command.run(values, stop.signal);
    return 0;
  } catch (error) {
    flushLog();
    const where = error instanceof UsageError ? undefined : command?.address?.(values);
    console.error(describeError(error, where));
    if (!(error instanceof UsageError)) return 1;
    // A usage mistake: one line, then the usage it broke.
    console.error(
      command
        ? say(
          `usage: ${program.name} ${name} [options]   ('${program.name} ${name} --help' lists the options)`,
          `запуск: ${program.name} ${name} [параметры]   ('${program.name} ${name} --help' перечисляет параметры)`,
        )
        : say(
          `usage: ${program.name} [command] [options]   ('${program.name} --help' lists the commands)`,
          `запуск: ${program.name} [команда] [параметры]   ('${program.name} --help' перечисляет команды)`,
        ),
    );
    return 2;
  } finally {
    // Give a slow reader of stdout a moment for the last lines; one that never reads does not hold the exit.
    await logWritten(2000);
    flushLog();
    Deno.removeSignalListener("SIGINT", onInterrupt);
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
}

function parseCommandArgs(command: Command, args: string[]): Record<string, unknown> {
  const options: ParseArgsOptionsConfig = {};
  for (const [flag, { help: _help, ...config }] of Object.entries(command.options)) options[flag] = config;
  // `--port -1` is a value that starts with a dash, which parseArgs calls ambiguous: hand it over as `--port=-1`,
  // so the option's own check (parsePort) says what is wrong with it.
  const joined = args.flatMap((arg, i) => {
    const previous = args[i - 1]?.match(/^--([\w-]+)$/)?.[1];
    if (previous && options[previous]?.type === "string" && /^-\d/.test(arg)) return [];
    const flag = arg.match(/^--([\w-]+)$/)?.[1];
    const next = args[i + 1];
    if (flag && options[flag]?.type === "string" && next !== undefined && /^-\d/.test(next)) return [`${arg}=${next}`];
    return [arg];
  });
  let parsed;
  try {
    parsed = parseArgs({ args: joined, options, strict: true, allowPositionals: command.argument !== undefined });
  } catch (error) {
    throw new UsageError(argsMistake(error));
  }
  const { values, positionals } = parsed;
  const argument = command.argument;
  if (argument === undefined || positionals.length === 0) return values;
  if (positionals.length > 1 || values[argument] !== undefined) {
    const given = [...(values[argument] === undefined ? [] : [`--${argument} ${values[argument]}`]), ...positionals];
    throw new UsageError(
      say(
        `one ${argument.toUpperCase()} only, got ${given.length}: ${given.join(", ")}`,
        `нужен один ${argument.toUpperCase()}, а их ${given.length}: ${given.join(", ")}`,
      ),
    );
  }
  return { ...values, [argument]: positionals[0] };
}

/** parseArgs' complaint in the course's words, in the learner's language. */
function argsMistake(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = message.match(/'([^' ]+)/)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return say(`unknown option '${quoted}'`, `неизвестный параметр '${quoted}'`);
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return say(`unexpected argument '${quoted}'`, `лишний аргумент '${quoted}'`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /argument missing/.test(message)) {
    return say(`${quoted} needs a value`, `${quoted} требует значения`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /does not take an argument/.test(message)) {
    return say(`${quoted} takes no value`, `${quoted} не принимает значения`);
  }
  return message.split(/\.\s/)[0];
}

function programHelp(program: Program): string {
  const width = Math.max(...Object.keys(program.commands).map((n) => n.length));
  const lines = [
    pick(program.about),
    "",
    `${say("usage", "запуск")}: ${program.name} [command] [options]`,
    "",
    say("commands:", "команды:"),
    ...Object.entries(program.commands).map(([n, c]) => `  ${n.padEnd(width)}  ${pick(c.summary)}`),
    "",
    say(
      `With no command, runs the demo. '${program.name} COMMAND --help' shows a command's options.`,
      `Без команды запускается демо. '${program.name} COMMAND --help' показывает параметры команды.`,
    ),
    ...(program.traces
      ? [say(
        `'${program.name} --trace' runs a demo through a relay and draws its conversations as ladder diagrams.`,
        `'${program.name} --trace' запускает демо через ретранслятор и рисует его разговоры лестничными диаграммами.`,
      )]
      : []),
  ];
  return lines.join("\n");
}

function commandHelp(program: Program, name: string, command: Command): string {
  const rows = Object.entries(command.options).map(([flag, o]) => {
    const value = o.type === "string" ? ` ${flag.toUpperCase()}` : "";
    const fallback = o.default === undefined ? "" : ` (${say("default", "по умолчанию")}: ${o.default})`;
    return [`  --${flag}${value}`, `${pick(o.help)}${fallback}`];
  });
  rows.push(["  --help", say("show this help", "показать эту справку")]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    pick(command.summary),
    "",
    `${say("usage", "запуск")}: ${program.name} ${name}${
      command.argument === undefined ? "" : ` ${command.argument.toUpperCase()}`
    } [options]`,
    "",
    say("options:", "параметры:"),
    ...rows.map(([left, right]) => `${left.padEnd(width)}  ${right}`),
  ].join("\n");
}

/**
 * Turns any error into one line for a person: what went wrong, where, and what
 * to try. `where` names the address the command was using, when known.
 */
export function describeError(error: unknown, where?: string): string {
  const at = where ? ` ${where}` : "";
  const err = say("error", "ошибка");
  if (error instanceof TodoError) return `${say("not done yet", "ещё не сделано")}: ${error.message}`;
  if (error instanceof UsageError) return `${say("usage error", "ошибка в аргументах")}: ${error.message}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return where?.startsWith("unix:")
      ? say(
        `error: socket${at} is already in use: a server is listening there (stop it, or choose another --unix path)`,
        `ошибка: сокет${at} уже занят: там слушает сервер (остановите его или выберите другой путь --unix)`,
      )
      : say(
        `error: address${at} is already in use: another program is listening there (stop it, or choose another --port; --port 0 takes any free one)`,
        `ошибка: адрес${at} уже занят: там слушает другая программа (остановите её или выберите другой --port; --port 0 берёт любой свободный)`,
      );
  }
  if (error instanceof Deno.errors.ConnectionRefused) {
    return say(
      `error: connection refused by${at}: nothing is listening there (is the server running, on that host and port?)`,
      `ошибка: в соединении отказано${
        at ? ` (${where})` : ""
      }: там никто не слушает (сервер запущен, на этом хосте и порту?)`,
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return say(
      `error: cannot use address${at}: it does not belong to this machine`,
      `ошибка: нельзя использовать адрес${at}: он не принадлежит этой машине`,
    );
  }
  if (error instanceof Deno.errors.ConnectionReset) {
    return say(
      `error: the connection${at} was reset by the other side`,
      `ошибка: соединение${at} сброшено другой стороной`,
    );
  }
  if (error instanceof Deno.errors.TimedOut) {
    return say(
      `error: timed out${at ? ` talking to${at}` : ""}: ${firstLine(error)}`,
      `ошибка: истекло время ожидания${at ? ` при обмене с${at}` : ""}: ${firstLine(error)}`,
    );
  }
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return say(
      `error: not permitted: ${
        firstLine(error)
      } (each lesson's task in deno.json grants only loopback addresses and the lesson's own socket path)`,
      `ошибка: не разрешено: ${
        firstLine(error)
      } (задача каждого урока в deno.json разрешает только адреса loopback и собственный путь сокета урока)`,
    );
  }
  if (error instanceof ProgramError) return `${err}: ${firstLine(error)}`;
  const place = error instanceof Error ? learnerFrame(error) : undefined;
  return `${err}: ${firstLine(error)}${place ? ` (${say("at", "в")} ${place})` : ""}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

/** The first stack frame inside the course's lessons or solutions, as `file:line`. */
function learnerFrame(error: Error): string | undefined {
  const frame = error.stack?.split("\n").find((line) => /\/(lessons|solutions)\//.test(line));
  const match = frame?.match(/(file:\/\/[^\s)]+?):(\d+):\d+/);
  return match ? `${courseRelative(match[1])}:${match[2]}` : undefined;
}

/**
 * Text from the network, made safe to show on a terminal: every control
 * character except the line break and the tab is written as an escape
 * (`\x1b`, `\x07`, `\x00`, `\x9b`). A terminal obeys control characters: ESC
 * starts a command that can move the cursor, clear the screen, retitle the
 * window or recolour what follows, a CR lets the rest of a line overwrite its
 * start, so whoever sends them writes on the reader's screen, not just into
 * it. Escaped, the bytes stay visible and harmless. (A backslash is left as it
 * is: the escapes are for a person to read, not to be parsed back.)
 *
 * @example
 * ```ts
 * import { showControl } from "./program.ts";
 * console.log(showControl("12:00\x1b[2J\r\x07")); // 12:00\x1b[2J\x0d\x07
 * ```
 */
export function showControl(text: string): string {
  // C0 controls but \t and \n, DEL, and the C1 controls (U+0080–U+009F; U+009B is CSI, ESC [ in one character).
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Formats a socket address the way the course prints it: `127.0.0.1:8000`, `[::1]:8000`, `unix:/tmp/x.sock`. */
export function formatAddr(addr: Deno.Addr): string {
  if ("hostname" in addr) return hostPort(addr.hostname, addr.port);
  if ("path" in addr) return `unix:${addr.path || "(unnamed peer)"}`;
  return addr.transport;
}

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Reads a `--port` value: a whole number from 0 to 65535 (0 asks the system for any free port). */
export function parsePort(text: unknown): number {
  const port = Number(text);
  if (!/^\d+$/.test(String(text)) || port > 65535) {
    throw new UsageError(say(
      `--port must be a whole number from 0 to 65535, got '${text}'`,
      `--port должен быть целым числом от 0 до 65535, а получено '${text}'`,
    ));
  }
  return port;
}

/** Reads a positive whole-number option such as `--backlog`. */
export function parsePositive(flag: string, text: unknown): number {
  const value = Number(text);
  if (!/^\d+$/.test(String(text)) || value < 1) {
    throw new UsageError(say(
      `--${flag} must be a whole number of at least 1, got '${text}'`,
      `--${flag} должен быть целым числом не меньше 1, а получено '${text}'`,
    ));
  }
  return value;
}

/**
 * A printer that prefixes each line with `[name]`, for the demo where two
 * programs share one terminal. Colour only on a terminal and without NO_COLOR.
 */
export function labelled(name: string, colour: "cyan" | "magenta" | "yellow" | "green" = "cyan") {
  const useColour = Deno.stdout.isTerminal() && !Deno.noColor;
  const tag = useColour ? styleText(colour, `[${name}]`, { validateStream: false }) : `[${name}]`;
  return (line: string) => {
    for (const part of line.split("\n")) console.log(`${tag} ${part}`);
  };
}
