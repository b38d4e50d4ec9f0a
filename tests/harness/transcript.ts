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
  /** For bytes on the wire: how many. */
  size?: number;
}

/** How many characters of one piece of bytes the transcript shows; the rest is counted. */
const SHOWN = 60;

/** Bytes made readable and short: a run of one byte as `"\x00" × 65536`, else the start and the count. */
function brief(data: Uint8Array): string {
  if (data.length > 8 && data.every((byte) => byte === data[0])) {
    return `${visible(data.subarray(0, 1))} × ${data.length}`;
  }
  const shown = visible(data, SHOWN);
  return shown.endsWith('"') ? `${shown} (${data.length} B)` : shown;
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
    this.entries.push({ at: this.#elapsed(), source, text: brief(data), size: data.length });
  }

  /** Records an event without bytes: `connected`, `EOF`, `reset`. */
  event(source: string, text: string): void {
    this.entries.push({ at: this.#elapsed(), source, text });
  }

  /**
   * The last `limit` entries as lines like `  120 ms [server] listening on …`.
   * A long stream of bytes from one side (a 1 MiB echo comes in dozens of
   * reads) shows its first piece, then one line for the rest.
   */
  render(limit = 40): string[] {
    const folded: Entry[] = [];
    for (let i = 0; i < this.entries.length;) {
      const first = this.entries[i];
      let j = i + 1;
      while (
        j < this.entries.length && first.size !== undefined && this.entries[j].source === first.source &&
        this.entries[j].size !== undefined
      ) j++;
      folded.push(first);
      if (j - i > 2) {
        const rest = this.entries.slice(i + 1, j);
        const bytes = rest.reduce((sum, e) => sum + e.size!, 0);
        folded.push({ at: rest.at(-1)!.at, source: first.source, text: `… ${rest.length} more pieces, ${bytes} B` });
      } else if (j - i === 2) folded.push(this.entries[i + 1]);
      i = j;
    }
    const shown = folded.slice(-limit);
    const lines = shown.map((e) => `${String(e.at).padStart(6)} ms [${e.source}] ${e.text}`);
    if (folded.length > limit) lines.unshift(`(${folded.length - limit} earlier entries left out)`);
    return lines;
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#start);
  }
}
