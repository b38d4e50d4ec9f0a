/**
 * Lesson 3's checks: the chat server against the grader's raw clients (and a
 * few of the learner's own), then the learner's client against the grader
 * playing the server. Core checks come first; the hardening section throws
 * at the server what real chat servers meet: resets mid-line and
 * mid-broadcast, readers that stall, floods, long lines, a hundred clients,
 * a full house.
 *
 * @module
 */
import type { Lesson } from "../../harness/check.ts";
import { promises } from "../../promises/03-chat.ts";
import { core, ctrlC } from "./core.ts";
import { clientChecks } from "./client.ts";
import { hardening } from "./hardening.ts";
import { variants } from "./variants.ts";
import { accepted } from "./accepted.ts";

/** Lesson 3 as the grader knows it. */
export const lesson: Lesson = {
  number: 3,
  slug: "03-chat",
  title: { en: "Multi-client chat", ru: "Чат на много клиентов" },
  // Hardening last: a learner meets the core checks first.
  checks: [
    ...core,
    ctrlC,
    ...clientChecks,
    ...hardening.map((check) => ({ ...check, section: "hardening" as const })),
  ],
  variants,
  accepted,
  promises,
  given: ["main.ts", "framing.ts", "compare.ts"],
};
