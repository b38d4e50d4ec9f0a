/**
 * The grader speaks English and Russian. Every sentence a learner reads is
 * {@linkcode Bilingual}; data the grader quotes (bytes, a program's output)
 * is a plain string, the same in both. The report picks the language once.
 *
 * @module
 */

/** Text in the course's two languages. */
export interface Bilingual {
  /** English. */
  en: string;
  /** Russian. */
  ru: string;
}

/** A language of the course. */
export type Lang = keyof Bilingual;

/** A sentence in both languages, or data that reads the same in both. */
export type Text = string | Bilingual;

/** `text` in `lang`. */
export function textIn(text: Text, lang: Lang): string {
  return typeof text === "string" ? text : text[lang];
}

/** The language from a `--lang` flag, else from LC_ALL or LANG, else English. */
export function language(flag: string | undefined, env: (name: string) => string | undefined): Lang {
  const chosen = flag ?? env("LC_ALL") ?? env("LANG") ?? "";
  return /^ru/i.test(chosen) ? "ru" : "en";
}
