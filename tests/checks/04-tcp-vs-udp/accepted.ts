import type { Accepted } from "../../harness/check.ts";
export const accepted: Accepted[] = [];
