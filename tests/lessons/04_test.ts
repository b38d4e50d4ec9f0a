/**
 * The proof of lesson 4's grader (see tests/prove.ts).
 *
 * @module
 */
import { proveLesson } from "../prove.ts";
import { lesson } from "../checks/04-tcp-vs-udp/mod.ts";

await proveLesson(lesson);
