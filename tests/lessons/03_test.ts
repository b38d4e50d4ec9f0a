/**
 * The proof of lesson 3's grader (see tests/prove.ts).
 *
 * @module
 */
import { proveLesson } from "../prove.ts";
import { lesson } from "../checks/03-chat/mod.ts";

await proveLesson(lesson);
