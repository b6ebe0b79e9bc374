import type { Exercise } from "./types.ts";

export const lab02: Exercise[] = [];
