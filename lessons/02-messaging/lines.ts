// Until every TODO is done, some names here are not used yet; delete this line when you finish.
// deno-lint-ignore-file no-unused-vars
/**
 * Lesson 2, your part: lines over a byte stream.
 *
 * TCP delivers bytes, not messages: one `write` may arrive as several reads,
 * and several writes as one read. This module puts the message boundaries
 * back. A message is a line of UTF-8 text ending in "\n" ("\r\n" is accepted
 * too), and a line has a size limit, so a peer that never sends "\n" cannot
 * make us buffer forever. Both the server and the client read with it, from
 * the socket and from the console.
 *
 * Read lessons/02-messaging/README.md first; `deno task lesson-2 experiment`
 * shows the problem, `deno task grade 2` checks your work. Each `todo(...)`
 * stops the program and names the next step: write the step, then delete its
 * `todo(...)` line.
 *
 * @module
 */
import { todo } from "@course/program.ts";

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
  // The unread bytes are #buffer[#start, #end).
  #start = 0;
  #end = 0;

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
      // Is a whole line among the unread bytes already?
      const at = this.#buffer.subarray(this.#start, this.#end).indexOf(NEWLINE);
      if (at < 0) {
        // Given: no "\n" yet, so make room. The unread bytes move to the front.
        this.#buffer.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
        await todo(
          import.meta.url,
          1,
          {
            en:
              "read more: if the buffer is full (#end is its length), the line is too long: throw LineTooLong. Else read into the free part, #buffer.subarray(#end), and add what came to #end. At the end of the stream (null): return null if no bytes are unread, else throw new CutShort(those bytes as text)",
            ru:
              "дочитать данные: если буфер полон (#end равен его длине), строка слишком длинная: бросить LineTooLong. Иначе читать в свободную часть, #buffer.subarray(#end), и прибавить к #end число пришедших байтов. В конце потока (null): вернуть null, если непрочитанных байтов не осталось, иначе бросить new CutShort(эти байты как текст)",
          },
        );
        continue;
      }
      const newline = this.#start + at;
      todo(
        import.meta.url,
        2,
        {
          en:
            'the line is #buffer[#start, newline) minus a "\\r" at its end. Move #start past the "\\n" (the bytes after it are the next line: keep them), throw new LineTooLong(this.#limit) if the line is longer than the limit, else return this.#decode(line)',
          ru:
            'строка — это #buffer[#start, newline) без "\\r" на конце. Сдвинуть #start за "\\n" (байты после него — следующая строка: сохранить их), бросить new LineTooLong(this.#limit), если строка длиннее предела, иначе вернуть this.#decode(line)',
        },
      );
    }
  }

  /** The line's bytes as text; {@linkcode NotUtf8} when they are not UTF-8. */
  #decode(line: Uint8Array): string {
    return todo(
      import.meta.url,
      3,
      {
        en:
          'decode strictly: new TextDecoder("utf-8", { fatal: true }) throws on bytes that are not UTF-8 (the default turns them into "\\uFFFD" without a word). Throw new NotUtf8(line.length) then',
        ru:
          'декодировать строго: new TextDecoder("utf-8", { fatal: true }) бросает исключение на байтах, которые не являются UTF-8 (по умолчанию он молча превращает их в "\\uFFFD"). В этом случае бросить new NotUtf8(line.length)',
      },
    );
  }
}

const encoder = new TextEncoder();

/**
 * Sends `text` as one line: its UTF-8 bytes and "\n", all of them. `write`
 * is BSD `send` and may take only part; a loop around it makes `sendall`.
 */
export async function writeLine(sink: ByteSink, text: string): Promise<void> {
  if (text.includes("\n")) throw new Error('a line cannot contain "\\n": it would end the line early');
  const bytes = encoder.encode(`${text}\n`);
  await todo(
    import.meta.url,
    4,
    {
      en:
        "write all of bytes: sink.write() returns how many it took, maybe fewer than all (BSD send); loop until every byte is written (sendall)",
      ru:
        "записать все bytes: sink.write() возвращает, сколько байтов взял, возможно, не все (как send в BSD); повторять в цикле, пока не будет записан каждый байт (sendall)",
    },
  );
}

/** The size of `text` in UTF-8 bytes, the unit of the line limit ("привет" is 12). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
