import type { Exercise } from "./types.ts";

export const lab03: Exercise[] = [];
