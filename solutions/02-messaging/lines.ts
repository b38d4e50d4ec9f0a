/**
 * Lesson 2, reference: lines over a byte stream.
 *
 * TCP delivers bytes, not messages: one `write` may arrive as several reads,
 * and several writes as one read. This module puts the message boundaries
 * back. A message is a line of UTF-8 text ending in "\n" ("\r\n" is accepted
 * too), and a line has a size limit, so a peer that never sends "\n" cannot
 * make us buffer forever.
 *
 * @module
 */

/** The longest line, in bytes without its line ending, that the programs accept. */
export const MAX_LINE = 4096;

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** Anything with a BSD-style `recv`: a socket (`Deno.Conn`) or the console (`Deno.stdin`). */
export interface ByteSource {
  /** Reads some bytes into `buffer`; resolves how many, or null at end of stream. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Anything with a BSD-style `send`, which may take only part of what it is given. */
export interface ByteSink {
  /** Writes some of `bytes`; resolves how many it took. */
  write(bytes: Uint8Array): Promise<number>;
}

/** The peer sent more than the limit without a "\n". The stream cannot be read further. */
export class LineTooLong extends Error {
  override name = "LineTooLong";
  /** Makes the error for a line over `limit` bytes. */
  constructor(readonly limit: number) {
    super(`a line longer than ${limit} bytes`);
  }
}

/** A whole line arrived but is not valid UTF-8. It was skipped; the next line can be read. */
export class NotUtf8 extends Error {
  override name = "NotUtf8";
  /** Makes the error for a line of `size` bytes. */
  constructor(readonly size: number) {
    super(`a line of ${size} bytes that is not valid UTF-8`);
  }
}

/** The stream ended in the middle of a line: these bytes never got their "\n". */
export class CutShort extends Error {
  override name = "CutShort";
  /** Makes the error for the unfinished `partial` line. */
  constructor(readonly partial: string) {
    super(`the stream ended in the middle of a line: ${JSON.stringify(partial)} never got its "\\n"`);
  }
}

/**
 * Reads lines from a byte stream through one fixed buffer of `limit + 2`
 * bytes (room for the longest line and "\r\n"). Bytes after a line's "\n"
 * stay in the buffer: they are the start of the next line.
 */
export class LineReader {
  readonly #source: ByteSource;
  readonly #limit: number;
  readonly #buffer: Uint8Array;
  // The unread bytes are #buffer[#start, #end); the ones before #searched hold no "\n".
  #start = 0;
  #end = 0;
  #searched = 0;
  // fatal: invalid UTF-8 throws instead of turning silently into U+FFFD.
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  /** Reads from `source`; a line may hold up to `limit` bytes before its line ending. */
  constructor(source: ByteSource, limit: number = MAX_LINE) {
    this.#source = source;
    this.#limit = limit;
    this.#buffer = new Uint8Array(limit + 2);
  }

  /**
   * The next line, without its "\n" or "\r\n", or null when the stream ended
   * cleanly between lines. Throws {@linkcode LineTooLong},
   * {@linkcode NotUtf8} (that line is skipped) or {@linkcode CutShort}.
   */
  async readLine(): Promise<string | null> {
    while (true) {
      const at = this.#buffer.subarray(this.#searched, this.#end).indexOf(NEWLINE);
      if (at >= 0) {
        const newline = this.#searched + at;
        let line = this.#buffer.subarray(this.#start, newline);
        if (line.at(-1) === RETURN) line = line.subarray(0, -1);
        // The line is taken; whatever follows its "\n" waits for the next call.
        this.#start = this.#searched = newline + 1;
        if (line.length > this.#limit) throw new LineTooLong(this.#limit);
        return this.#decode(line);
      }
      this.#searched = this.#end;

      // No "\n" yet: make room at the end of the buffer, then read more.
      if (this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#searched = this.#end;
        this.#start = 0;
      }
      if (this.#end === this.#buffer.length) throw new LineTooLong(this.#limit);
      const n = await this.#source.read(this.#buffer.subarray(this.#end));
      if (n === null) {
        if (this.#start === this.#end) return null;
        const partial = new TextDecoder().decode(this.#buffer.subarray(this.#start, this.#end));
        this.#start = this.#end = this.#searched = 0;
        throw new CutShort(partial);
      }
      this.#end += n;
    }
  }

  #decode(line: Uint8Array): string {
    // Decoding a whole line at once is safe: "\n" (0x0a) never occurs inside
    // a multi-byte UTF-8 character, so splitting on it cannot cut one.
    try {
      return this.#decoder.decode(line);
    } catch {
      throw new NotUtf8(line.length);
    }
  }
}

const encoder = new TextEncoder();

/**
 * Sends `text` as one line: its UTF-8 bytes and "\n", all of them. `write`
 * is BSD `send` and may take only part; the loop makes it `sendall`.
 */
export async function writeLine(sink: ByteSink, text: string): Promise<void> {
  if (text.includes("\n")) throw new Error('a line cannot contain "\\n": it would end the line early');
  const bytes = encoder.encode(`${text}\n`);
  for (let written = 0; written < bytes.length;) written += await sink.write(bytes.subarray(written));
}

/** The size of `text` in UTF-8 bytes, the unit of the line limit ("привет" is 12). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
