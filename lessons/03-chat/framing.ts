/**
 * Lesson 3, given: lines over a byte stream, for a busy server. You do not
 * edit this file.
 *
 * Lesson 2's reader handed out one line per call. A chat server relays
 * thousands of lines a second, so this one takes whatever one `read()`
 * brought and hands back every complete line in it at once, as bytes: the
 * server can pass them on without decoding and re-encoding each one.
 *
 * @module
 */
import { showControl } from "@course/program.ts";

/** The longest line, in bytes without its line ending, that the programs accept. */
export const MAX_LINE = 4096;

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** More than the limit arrived without a "\n". */
export class LineTooLong extends Error {
  override name = "LineTooLong";
  /** Makes the error for a line over `limit` bytes, after `before` complete lines of the same read. */
  constructor(readonly limit: number, readonly before = 0) {
    super(`a line longer than ${limit} bytes`);
  }
}

/**
 * Cuts a stream into lines. Feed it each read with {@linkcode push}; it
 * returns the lines completed by that read and keeps an unfinished one for
 * the next. Its memory is bounded by the line limit.
 */
export class LineSplitter {
  readonly #limit: number;
  #partial: Uint8Array = new Uint8Array(0);

  /** Splits lines of at most `limit` bytes (without "\n" or "\r\n"). */
  constructor(limit: number = MAX_LINE) {
    this.#limit = limit;
  }

  /**
   * The lines that `chunk` completes, without their "\n" or "\r\n". They may
   * be views into `chunk`: use them before the buffer is read into again.
   * Throws {@linkcode LineTooLong} when a line grows past the limit.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline >= 0; newline = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, newline);
      if (this.#partial.length > 0) {
        line = concat([this.#partial, line]);
        this.#partial = new Uint8Array(0);
      }
      if (line.at(-1) === RETURN) line = line.subarray(0, -1);
      if (line.length > this.#limit) throw new LineTooLong(this.#limit, lines.length);
      lines.push(line);
      start = newline + 1;
    }
    if (start < chunk.length) {
      // Copied, not viewed: the caller's buffer is about to be reused.
      this.#partial = concat([this.#partial, chunk.subarray(start)]);
      if (this.#partial.length > this.#limit + 1) throw new LineTooLong(this.#limit, lines.length);
    }
    return lines;
  }

  /** Bytes of an unfinished line waiting for its "\n" (at EOF: a line cut short). */
  get pending(): number {
    return this.#partial.length;
  }
}

/** Joins byte arrays into one. */
export function concat(parts: Uint8Array[], size = parts.reduce((sum, part) => sum + part.length, 0)): Uint8Array {
  const joined = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** The line as text, or undefined when its bytes are not UTF-8. */
export function utf8(line: Uint8Array): string | undefined {
  try {
    return strict.decode(line);
  } catch {
    return undefined;
  }
}

/** C0 control characters but the tab, DEL, and the C1 controls: what a terminal may obey instead of show. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/** Whether `text` holds a control character other than the tab. */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/**
 * Every control character but the tab and the line break shown as `\x` and
 * two hex digits (ESC as `\x1b`, CR as `\x0d`): the course's one helper for
 * text from the network on its way to a terminal, from `@course/program.ts`.
 */
export { showControl };

/**
 * The lines of a stream as text, one at a time, for the console and the
 * client: `null` at the end. Bytes that are not UTF-8 are shown as "\uFFFD"
 * here, and control characters as `\x1b` (see {@linkcode showControl}); a
 * person is reading, not a program.
 *
 * Before each read it lets one turn of the event loop pass. A read that
 * finds bytes waiting completes at once, so against a peer that floods, a
 * loop of reads would never let a timer run: not the one that flushes the
 * program's log, which would then gather every line in memory (a client
 * once grew to 238 MB that way). One turn per read of up to 64 KiB costs a
 * person nothing.
 */
export function lineReader(source: { read(buffer: Uint8Array): Promise<number | null> }, limit = 64 * 1024) {
  const splitter = new LineSplitter(limit);
  const buffer = new Uint8Array(64 * 1024);
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const text = (line: Uint8Array) => showControl(decoder.decode(line));
  let ended = false;
  return async function next(): Promise<string | null> {
    while (ready.length === 0) {
      if (ended) return null;
      await new Promise((resolve) => setTimeout(resolve, 0));
      const n = await source.read(buffer);
      if (n === null) {
        ended = true;
        // The last line may lack its "\n" (a file piped in): it still counts.
        if (splitter.pending > 0) ready.push(...splitter.push(new Uint8Array([NEWLINE])).map(text));
        continue;
      }
      ready.push(...splitter.push(buffer.subarray(0, n)).map(text));
    }
    return ready.shift()!;
  };
}
