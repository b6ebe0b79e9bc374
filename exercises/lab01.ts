import type { Exercise } from "./types.ts";

export const lab01: Exercise[] = [];
