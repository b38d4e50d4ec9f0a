/**
 * Bytes as a person can read them: `\r`, `\n`, tabs and non-printing bytes
 * made visible, and the first byte where two messages part ways pointed at.
 *
 * @module
 */
import type { Lang } from "./text.ts";

const encoder = new TextEncoder();

/**
 * Shows text or bytes in double quotes with escapes, the way a grader prints
 * what arrived: `"12:00\r\n"`, `"\x00\xff"`. Valid UTF-8 stays readable.
 * Longer input is cut after `max` characters with a note of how much was left.
 */
export function visible(data: string | Uint8Array, max = 200): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  let out = "";
  let shown = 0;
  for (const char of text) {
    if (shown++ >= max) return `"${out}"… (${bytes.length} bytes in all)`;
    out += escapeChar(char);
  }
  return `"${out}"`;
}

function escapeChar(char: string): string {
  switch (char) {
    case "\r":
      return "\\r";
    case "\n":
      return "\\n";
    case "\t":
      return "\\t";
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "\uFFFD":
      return "\\uFFFD";
  }
  const code = char.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return `\\x${code.toString(16).padStart(2, "0")}`;
  return char;
}

/**
 * Where `actual` first differs from `expected`, as a sentence for a failure
 * message in `lang`, e.g. `byte 12 is the first to differ: expected "\n", got "\r"`; undefined when equal.
 */
export function firstDifference(
  expected: string | Uint8Array,
  actual: string | Uint8Array,
  lang: Lang = "en",
): string | undefined {
  const a = typeof expected === "string" ? encoder.encode(expected) : expected;
  const b = typeof actual === "string" ? encoder.encode(actual) : actual;
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return undefined;
  const end = lang === "ru" ? "конец" : "the end";
  const want = i < a.length ? visible(a.subarray(i, i + 1)) : end;
  const got = i < b.length ? visible(b.subarray(i, i + 1)) : end;
  return lang === "ru"
    ? `первое расхождение в байте ${i}: ожидался ${want}, пришёл ${got}`
    : `byte ${i} is the first to differ: expected ${want}, got ${got}`;
}
