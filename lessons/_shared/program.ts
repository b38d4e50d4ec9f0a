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

/** Help text in English, or in both languages. */
export type HelpText = string | { en: string; ru: string };

/** `text` in the learner's language. */
function pick(text: HelpText): string {
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
  console.error(describeError(new TodoError(courseRelative(moduleUrl), step, text)));
  Deno.exit(1);
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
  /** Runs with no subcommand: the lesson's demo. */
  demo(signal: AbortSignal): Promise<void>;
}

const encoder = new TextEncoder();
let pending: string[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Writes the lines {@linkcode log} has gathered, now. */
export function flushLog(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending.length === 0) return;
  const bytes = encoder.encode(pending.join("\n") + "\n");
  pending = [];
  for (let at = 0; at < bytes.length;) at += Deno.stdout.writeSync(bytes.subarray(at));
}

/**
 * Prints a line on stdout, like console.log, but gathers the lines of one
 * turn of the event loop into a single write. A busy server logs a line per
 * client; one system call per line would cost it more CPU than serving the
 * client does. `runProgram` flushes before the program exits.
 */
export function log(line: string): void {
  pending.push(line);
  flushTimer ??= setTimeout(flushLog, 0);
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
    if (name === undefined) {
      await program.demo(stop.signal);
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
    values = parseCommandArgs(command, rest, name);
    await command.run(values, stop.signal);
    return 0;
  } catch (error) {
    flushLog();
    const where = error instanceof UsageError ? undefined : command?.address?.(values);
    console.error(describeError(error, where));
    return error instanceof UsageError ? 2 : 1;
  } finally {
    flushLog();
    Deno.removeSignalListener("SIGINT", onInterrupt);
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
}

function parseCommandArgs(command: Command, args: string[], name: string): Record<string, unknown> {
  const options: ParseArgsOptionsConfig = {};
  for (const [flag, { help: _help, ...config }] of Object.entries(command.options)) options[flag] = config;
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: command.argument !== undefined });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.split(". ")[0]} (${say("see", "см.")} '${name} --help')`);
  }
  const { values, positionals } = parsed;
  const argument = command.argument;
  if (argument === undefined || positionals.length === 0) return values;
  if (positionals.length > 1 || values[argument] !== undefined) {
    const given = [...(values[argument] === undefined ? [] : [`--${argument} ${values[argument]}`]), ...positionals];
    throw new UsageError(
      say(
        `one ${argument.toUpperCase()} only, got ${given.length}: ${given.join(", ")} (see '${name} --help')`,
        `нужен один ${argument.toUpperCase()}, а их ${given.length}: ${given.join(", ")} (см. '${name} --help')`,
      ),
    );
  }
  return { ...values, [argument]: positionals[0] };
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
