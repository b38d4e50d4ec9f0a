/**
 * The proof of lesson 5's grader (see tests/prove.ts).
 *
 * @module
 */
import { proveLesson } from "../prove.ts";
import { lesson } from "../checks/05-dns-http/mod.ts";

await proveLesson(lesson);
