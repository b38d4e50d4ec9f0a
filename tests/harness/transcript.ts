/**
 * The record of one check: every line the learner's programs printed and
 * every byte the grader sent or received, with the time since the check began.
 * A failure shows it, so the learner sees the conversation, not just a verdict.
 *
 * @module
 */
import { visible } from "./bytes.ts";

/** One recorded event. */
export interface Entry {
  /** Milliseconds since the check started. */
  at: number;
  /** Who: `server`, `server stderr`, `grader → server`, … */
  source: string;
  /** What, already readable. */
  text: string;
}

/** Collects entries for one check. */
export class Transcript {
  readonly #start = performance.now();
  /** Everything recorded, in order. */
  readonly entries: Entry[] = [];

  /** Records a line a program printed. */
  line(source: string, text: string): void {
    this.entries.push({ at: this.#elapsed(), source, text });
  }

  /** Records bytes on the wire, made visible. */
  bytes(source: string, data: Uint8Array): void {
    this.entries.push({ at: this.#elapsed(), source, text: `${visible(data, 120)} (${data.length} B)` });
  }

  /** Records an event without bytes: `connected`, `EOF`, `reset`. */
  event(source: string, text: string): void {
    this.entries.push({ at: this.#elapsed(), source, text });
  }

  /** The last `limit` entries as lines like `  120 ms [server] listening on …`. */
  render(limit = 40): string[] {
    const shown = this.entries.slice(-limit);
    const lines = shown.map((e) => `${String(e.at).padStart(6)} ms [${e.source}] ${e.text}`);
    if (this.entries.length > limit) lines.unshift(`(${this.entries.length - limit} earlier entries left out)`);
    return lines;
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#start);
  }
}
