/**
 * How a check says what went wrong. A check throws {@linkcode CheckFailure}
 * with what it expected and what arrived; the report shows both next to the
 * check's hint and the programs' labelled output.
 *
 * @module
 */
import type { Bilingual, Text } from "./text.ts";

/** What a failed check knows: a sentence, and optionally expected vs actual (already made visible). */
export interface FailureDetail {
  /** What the grader wanted, e.g. `a line ending in "\n"`: bytes as a string, words as {@linkcode Bilingual}. */
  expected?: Text;
  /** What it got, with `\r`, `\n` and other invisible bytes shown (see `visible`). */
  actual?: Text;
}

/** Thrown by a check that failed. The message says what happened in one or two sentences. */
export class CheckFailure extends Error {
  /** The message in both languages (`message` is its English). */
  readonly text: Bilingual;
  /** What the grader wanted. */
  readonly expected?: Text;
  /** What arrived. */
  readonly actual?: Text;

  /** A failure saying `message`, with optional expected/actual. */
  constructor(message: Bilingual, detail: FailureDetail = {}) {
    super(message.en);
    this.name = "CheckFailure";
    this.text = message;
    this.expected = detail.expected;
    this.actual = detail.actual;
  }
}

/** Thrown by a check that cannot run on this machine (e.g. no IPv6 loopback). Not a pass, not a fail. */
export class CheckSkipped extends Error {
  /** The reason in both languages. */
  readonly text: Bilingual;
  /** Skips with `reason`, shown in the report. */
  constructor(reason: Bilingual) {
    super(reason.en);
    this.name = "CheckSkipped";
    this.text = reason;
  }
}
