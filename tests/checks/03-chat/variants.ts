import type { Variant } from "../../harness/check.ts";
export const variants: Variant[] = [];
