import type { Promised } from "../harness/promises.ts";
export const promises: Promised[] = [];
