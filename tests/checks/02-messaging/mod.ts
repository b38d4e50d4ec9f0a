/**
 * Lesson 2's grader: a conversation in lines over one TCP connection. The
 * grader plays each side against the learner's other one: a client that
 * splits and joins its lines in every way TCP may, and a server that
 * dribbles its replies, joins them, says exit or just hangs up.
 *
 * @module
 */
import type { Lesson } from "../../harness/check.ts";
import { clientRefused, portInUse } from "../common.ts";
import { promises } from "../../promises/02-messaging.ts";
import { serverChecks, serverHardening } from "./server.ts";
import { clientChecks, clientHardening } from "./client.ts";
import { variants } from "./variants.ts";
import { accepted } from "./accepted.ts";

/** Lesson 2 as the grader knows it. */
export const lesson: Lesson = {
  number: 2,
  slug: "02-messaging",
  title: { en: "Bidirectional messaging", ru: "Обмен сообщениями в обе стороны" },
  checks: [
    ...serverChecks,
    ...clientChecks,
    ...[...serverHardening, ...clientHardening, portInUse("given"), clientRefused("given")].map((check) => ({
      ...check,
      section: "hardening" as const,
    })),
  ],
  variants,
  accepted,
  promises,
  given: ["main.ts", "experiment.ts"],
};
