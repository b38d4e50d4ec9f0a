/**
 * Lesson 4's checks, kept in `04-tcp-vs-udp/` (server, pinger, bulk sender,
 * hardening, the known-wrong and the correct variants); `mod.ts` there holds
 * the Lesson.
 *
 * @module
 */
export { lesson } from "./04-tcp-vs-udp/mod.ts";
