import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Exercise } from "./types.ts";

/** The runner's memory, in a gitignored file: the last verdict of each exercise, the hints seen. */
const STATE_FILE = ".exercises-state.json";

const stateSchema = z.object({
  /** By exercise id: whether its public checks passed, for the content its files had then. */
  verdicts: z.record(z.string(), z.object({ hash: z.string(), passed: z.boolean() })),
  /** By exercise id: how many of its hints were shown. */
  hints: z.record(z.string(), z.number().int().nonnegative()),
});
export type State = z.infer<typeof stateSchema>;

/** The state saved in `root`; an empty one when there is none, or it cannot be read. */
export function readState(root: string): State {
  const file = path.join(root, STATE_FILE);
  const empty = { verdicts: {}, hints: {} };
  if (!existsSync(file)) return empty;
  try {
    return stateSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    // Not JSON, or not this shape (an older runner's): start over rather than stop.
    return empty;
  }
}

export function writeState(root: string, state: State): void {
  writeFileSync(path.join(root, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** A digest of what the exercise's files hold now: a verdict holds while it stays the same. */
export function filesHash(root: string, exercise: Exercise): string {
  const hash = createHash("sha256");
  for (const file of exercise.files) {
    const full = path.join(root, file);
    hash.update(`${file}\0${existsSync(full) ? readFileSync(full, "utf8") : "(missing)"}\0`);
  }
  return hash.digest("hex");
}

export type Status = "done" | "to do" | "changed — re-check";

/** Where an exercise stands by its last verdict: "unknown" when it has none, "changed" when its files did since. */
export function statusOf(root: string, state: State, exercise: Exercise): Status | "unknown" {
  const verdict = state.verdicts[exercise.id];
  if (!verdict) return "unknown";
  if (verdict.hash !== filesHash(root, exercise)) return "changed — re-check";
  return verdict.passed ? "done" : "to do";
}
