/**
 * The proof of lesson 1's grader (see tests/prove.ts).
 *
 * @module
 */
import { proveLesson } from "../prove.ts";
import { lesson } from "../checks/01-time-server/mod.ts";

await proveLesson(lesson);
