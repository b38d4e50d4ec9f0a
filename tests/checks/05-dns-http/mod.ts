/**
 * Lesson 5 as the grader knows it: the learner's `fetch` against the
 * grader's own DNS and HTTP servers (core and hardening checks), then the
 * given servers held to what the text says of them; the known-wrong and the
 * accepted variants; the promise table.
 *
 * @module
 */
import type { Lesson } from "../../harness/check.ts";
import { promises } from "../../promises/05-dns-http.ts";
import { core } from "./core.ts";
import { hardening } from "./hardening.ts";
import { givenServers } from "./servers.ts";
import { variants } from "./variants.ts";
import { accepted } from "./accepted.ts";

/** Lesson 5 as the grader knows it. */
export const lesson: Lesson = {
  number: 5,
  slug: "05-dns-http",
  title: { en: "DNS, then HTTP/1.1 by hand", ru: "DNS, затем HTTP/1.1 вручную" },
  checks: [...core, ...hardening, ...givenServers],
  variants,
  accepted,
  promises,
  given: ["main.ts", "dns.ts", "http.ts"],
  server: "http-server",
  demo: [
    /^\[dns\] query from .*: site\.loc A: 127\.0\.0\.1$/m,
    /^\[fetch\] < HTTP\/1\.1 302 Found$/m,
    /^\[fetch\] <\/ul>$/m,
  ],
};
