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

  /**
   * Records one UDP datagram, made visible like bytes but marked `datagram`,
   * with its whole size: `source` ends in ` sent` or ` received`, as for
   * bytes (see {@linkcode datagramsOf}).
   */
  datagram(source: string, data: Uint8Array): void {
    this.entries.push({ at: this.#elapsed(), source, text: `datagram ${brief(data)}`, size: data.length });
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

/**
 * A piece of bytes as {@linkcode Transcript.render} shows it, read back: the
 * visible text without its count, and the count (`"hi\n" (3 B)`,
 * `"…"… (9000 bytes in all)`, `"\x00" × 65536`, or a folded run's `, 9000 B`).
 */
function piece(text: string): { text: string; size: number } | undefined {
  const size = Number(
    text.match(/\((\d+) B\)$/)?.[1] ?? text.match(/ × (\d+)$/)?.[1] ??
      text.match(/\((\d+) bytes in all\)$/)?.[1] ?? text.match(/, (\d+) B$/)?.[1] ?? NaN,
  );
  if (!Number.isFinite(size)) return undefined;
  return {
    text: text.replace(/ \((\d+) B\)$/, "").replace(/ \((\d+) bytes in all\)$/, "").replace(/, \d+ B$/, ""),
    size,
  };
}

/** One TCP connection of the grader's own, read back from a rendered transcript (see {@linkcode wireOf}). */
export interface WireConversation {
  /** The grader's label for its end: `grader`, `grader (mid-echo)`, `grader server`. */
  label: string;
  /** Which end the grader played: it connected (client) or it accepted (server). */
  grader: "client" | "server";
  /** Its events, in order, ready for the ladder (`lessons/_shared/trace.ts`); data as visible text and a size. */
  events: {
    connection: number;
    ms: number;
    from: "client" | "server";
    kind: "open" | "data" | "fin" | "reset";
    text?: string;
    size?: number;
  }[];
}

/**
 * The grader's TCP conversations in the lines {@linkcode Transcript.render}
 * made: each starts where a label `connected to` or `accepted a client from`,
 * and holds that label's bytes sent and received, its half-close, the EOF it
 * read (the other side's FIN) and a failed read or send (a reset). A label's
 * bytes before its start (left out of the lines, or a peer that never
 * connected, such as a UDP one) are not drawn: who was who is unknown. A label
 * that opens again while its first connection is still open cannot be told
 * apart: from there its events are not drawn either.
 */
export function wireOf(lines: string[]): WireConversation[] {
  const conversations: WireConversation[] = [];
  const open = new Map<string, { conversation: WireConversation; ended: boolean }>();
  const blurred = new Set<string>();
  for (const line of lines) {
    const match = line.match(/^ *(\d+) ms \[(.+?)\] (.*)$/);
    if (!match) continue;
    const [, at, source, text] = match;
    const ms = Number(at);
    const opened = text.match(/^(connected to|accepted a client from) /);
    if (opened) {
      const grader = opened[1] === "connected to" ? "client" : "server";
      const before = open.get(source);
      if (before && !before.ended) {
        blurred.add(source);
        continue;
      }
      const conversation: WireConversation = { label: source, grader, events: [] };
      conversation.events.push({ connection: conversations.length + 1, ms, from: "client", kind: "open" });
      conversations.push(conversation);
      open.set(source, { conversation, ended: false });
      continue;
    }
    const bytes = source.match(/^(.+) (sent|received)$/);
    const label = bytes ? bytes[1] : source;
    const current = open.get(label);
    if (!current || blurred.has(label)) continue;
    const { conversation } = current;
    const connection = conversation.events[0].connection;
    const mine = conversation.grader;
    const theirs = mine === "client" ? "server" : "client";
    if (bytes) {
      const read = piece(text);
      if (!read) continue;
      const from = bytes[2] === "sent" ? mine : theirs;
      conversation.events.push({ connection, ms, from, kind: "data", ...read });
    } else if (text.startsWith("half-closes")) {
      conversation.events.push({ connection, ms, from: mine, kind: "fin" });
    } else if (text.startsWith("received EOF")) {
      conversation.events.push({ connection, ms, from: theirs, kind: "fin" });
      current.ended = true;
    } else if (/^(read|send) failed: /.test(text)) {
      conversation.events.push({ connection, ms, from: theirs, kind: "reset" });
      current.ended = true;
    }
  }
  return conversations;
}

/** The grader's UDP talk under one label, read back from a rendered transcript (see {@linkcode datagramsOf}). */
export interface DatagramTalk {
  /** The grader's label for its socket: `grader udp`, `grader udp echo`, `grader dns client`. */
  label: string;
  /** Which end the grader played: a socket that sends to the learner's server (client), or the echo (server). */
  grader: "client" | "server";
  /** Its datagrams, in order: when, who sent it, what it carried as visible text, its size, and whether the grader dropped it. */
  events: { ms: number; from: "client" | "server"; text: string; size: number; dropped?: boolean }[];
}

/**
 * The grader's UDP talk in the lines {@linkcode Transcript.render} made, one
 * talk per label: a socket's datagrams ({@linkcode Transcript.datagram}: the
 * grader's sockets are clients, they send to the learner's server first, which
 * a transcript cut short may no longer show), and the scripted echo's notes (the
 * grader is the server: `#3 (64 B) from …: dropped`, `answered at once`,
 * `sent the held answer to #3, …`, `sent a stray numbered 9 (a copy of #3)`),
 * where a datagram the echo drops is marked dropped. Folded runs of
 * datagrams (`… 40 more pieces`) are not drawn.
 */
export function datagramsOf(lines: string[]): DatagramTalk[] {
  const talks = new Map<string, DatagramTalk>();
  const sizes = new Map<string, number>();
  const talk = (label: string, grader: "client" | "server") => {
    let found = talks.get(label);
    if (!found) talks.set(label, found = { label, grader, events: [] });
    return found;
  };
  for (const line of lines) {
    const match = line.match(/^ *(\d+) ms \[(.+?)\] (.*)$/);
    if (!match) continue;
    const [, at, source, text] = match;
    const ms = Number(at);
    const side = source.match(/^(.+) (sent|received)$/);
    const datagram = side && text.startsWith("datagram ") ? piece(text.slice("datagram ".length)) : undefined;
    if (side && datagram) {
      talk(side[1], "client").events.push({ ms, from: side[2] === "sent" ? "client" : "server", ...datagram });
      continue;
    }
    const arrival = text.match(/^#(-?\d+) \((\d+) B\) from \S+: (.*)$/);
    if (arrival) {
      const [, seq, size, plan] = arrival;
      const echo = talk(source, "server");
      sizes.set(`${source} ${seq}`, Number(size));
      echo.events.push({ ms, from: "client", text: `#${seq}`, size: Number(size), dropped: plan === "dropped" });
      for (const part of plan.split("; ")) {
        if (part === "answered at once") echo.events.push({ ms, from: "server", text: `#${seq}`, size: Number(size) });
      }
      continue;
    }
    const held = text.match(/^sent the held answer to #(-?\d+),/);
    const stray = text.match(/^sent a stray numbered (-?\d+) \(a copy of #(-?\d+)\)$/);
    if ((held || stray) && talks.get(source)?.grader === "server") {
      const seq = held ? held[1] : stray![2];
      const shown = held ? `#${seq}` : `#${stray![1]} (copy of #${seq})`;
      talks.get(source)!.events.push({ ms, from: "server", text: shown, size: sizes.get(`${source} ${seq}`) ?? 0 });
    }
  }
  return [...talks.values()];
}
