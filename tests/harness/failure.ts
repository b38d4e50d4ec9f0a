/**
 * How a check says what went wrong. A check throws {@linkcode CheckFailure}
 * with what it expected and what arrived; the report shows both next to the
 * check's hint and the programs' labelled output.
 *
 * @module
 */

/** What a failed check knows: a sentence, and optionally expected vs actual (already made visible). */
export interface FailureDetail {
  /** What the grader wanted, e.g. `a line ending in "\n"`. */
  expected?: string;
  /** What it got, with `\r`, `\n` and other invisible bytes shown (see `visible`). */
  actual?: string;
}

/** Thrown by a check that failed. The message says what happened in one or two sentences. */
export class CheckFailure extends Error {
  /** What the grader wanted. */
  readonly expected?: string;
  /** What arrived. */
  readonly actual?: string;

  /** A failure saying `message`, with optional expected/actual. */
  constructor(message: string, detail: FailureDetail = {}) {
    super(message);
    this.name = "CheckFailure";
    this.expected = detail.expected;
    this.actual = detail.actual;
  }
}

/** Thrown by a check that cannot run on this machine (e.g. no IPv6 loopback). Not a pass, not a fail. */
export class CheckSkipped extends Error {
  /** Skips with `reason`, shown in the report. */
  constructor(reason: string) {
    super(reason);
    this.name = "CheckSkipped";
  }
}
