/**
 * Lesson 1's checks: the time server and its client, tested over real sockets
 * against real processes. Each check proves promises of the lesson
 * (tests/promises/01-time-server.ts); its hint points at the idea, never at
 * the code.
 *
 * @module
 */
import type { Lesson } from "../../harness/check.ts";
import { promises } from "../../promises/01-time-server.ts";
import { serverChecks } from "./server.ts";
import { clientChecks } from "./client.ts";
import { variants } from "./variants.ts";
import { accepted } from "./accepted.ts";

/** Lesson 1 as the grader knows it. */
export const lesson: Lesson = {
  number: 1,
  slug: "01-time-server",
  title: { en: "TCP time server", ru: "TCP-сервер времени" },
  checks: [...serverChecks, ...clientChecks],
  variants,
  accepted,
  promises,
};
