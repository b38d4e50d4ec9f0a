/**
 * Every lesson the grader knows, in course order. A new lesson's check list
 * is added here and nowhere else: the grader and the test suite both read it.
 *
 * @module
 */
import type { Lesson } from "../harness/check.ts";
import { lesson as timeServer } from "./01-time-server/mod.ts";
import { lesson as messaging } from "./02-messaging/mod.ts";
import { lesson as chat } from "./03-chat/mod.ts";
import { lesson as tcpVsUdp } from "./04-tcp-vs-udp/mod.ts";
import { lesson as dnsHttp } from "./05-dns-http/mod.ts";

/** The lessons with graders, in order. */
export const lessons: Lesson[] = [timeServer, messaging, chat, tcpVsUdp, dnsHttp];
