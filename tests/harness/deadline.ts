/**
 * Every wait in a check goes through {@linkcode within}: a deadline and a
 * description of what was awaited, so every timeout reads the same way.
 *
 * @module
 */
import type { Bilingual } from "./text.ts";
import { CheckFailure } from "./failure.ts";

/** Formats a duration for a message: `800 ms`, `2 s`, `1.5 s`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Waits for `promise` at most `ms` milliseconds. On time it resolves with the
 * value; late, it throws a {@linkcode CheckFailure} `no <what> within <ms>`,
 * plus `hint` when given (both in the course's two languages). The promise itself is not cancelled: whoever owns
 * the resource behind it closes it (usually by `await using`).
 */
export async function within<T>(promise: Promise<T>, ms: number, what: Bilingual, hint?: Bilingual): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CheckFailure({
            en: `no ${what.en} within ${seconds(ms)}${hint ? `: ${hint.en}` : ""}`,
            ru: `за ${seconds(ms)} не было: ${what.ru}${hint ? `; ${hint.ru}` : ""}`,
          }),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
