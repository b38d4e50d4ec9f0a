/**
 * Lesson 4 as the grader knows it: the echo server over both transports,
 * then the pinger and the bulk sender against the grader's own peers, which
 * drop, double, delay and hold back chosen datagrams by their numbers, so
 * every run meets exactly the same network, and every figure the programs
 * print is compared with what the peer did.
 *
 * @module
 */
import type { Lesson } from "../../harness/check.ts";
import { promises } from "../../promises/04-tcp-vs-udp.ts";
import { serverChecks } from "./server.ts";
import { pingChecks } from "./ping.ts";
import { bulkChecks, bulkHardening } from "./bulk.ts";
import { hardeningChecks } from "./hardening.ts";
import { variants } from "./variants.ts";
import { accepted } from "./accepted.ts";
import { portInUse } from "../common.ts";
import { startEcho } from "./shared.ts";

/** Lesson 4 as the grader knows it. */
export const lesson: Lesson = {
  number: 4,
  slug: "04-tcp-vs-udp",
  title: { en: "TCP versus UDP, measured", ru: "TCP против UDP, с измерениями" },
  checks: [
    {
      id: "announces-address",
      title: {
        en: "the server prints 'listening on HOST:PORT' with the real port",
        ru: "сервер печатает 'listening on HOST:PORT' с настоящим номером порта",
      },
      covers: "given",
      hint: {
        en: "Given: bind TCP, then UDP on the same port number, and announce the address.",
        ru: "Дано: откройте TCP, затем UDP на том же номере порта, и сообщите адрес.",
      },
      async run(trial) {
        await startEcho(trial);
      },
    },
    ...serverChecks,
    portInUse("given"),
    ...pingChecks,
    ...bulkChecks,
    ...bulkHardening,
    ...hardeningChecks,
  ],
  variants,
  accepted,
  promises,
  given: ["main.ts", "stats.ts", "relay.ts", "boundaries.ts", "compare.ts"],
  demo: [/^\[compare\] TCP vs UDP on loopback$/m, /^\[compare\] TCP vs UDP, UDP through the relay/m],
};
