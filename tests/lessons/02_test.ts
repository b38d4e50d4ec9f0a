/**
 * The proof of lesson 2's grader (see tests/prove.ts).
 *
 * @module
 */
import { proveLesson } from "../prove.ts";
import { lesson } from "../checks/02-messaging/mod.ts";

await proveLesson(lesson);
