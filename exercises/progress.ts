import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { openChecker } from "./checks.ts";
import { parseRegions, RegionError } from "./regions.ts";
import { filesHash, type State, type Status, statusOf } from "./state.ts";
import type { Check, Exercise } from "./types.ts";

/** The checks a student's copy has: the runner never counts on hidden ones. */
export const publicChecks = (exercise: Exercise): Check[] => exercise.checks.filter((check) => !check.hidden);

/**
 * Where each exercise stands. A node-only exercise without a verdict for its files as they are
 * is checked now (seconds, no Docker); the others say "to do" or "changed — re-check" until the
 * watch checks them.
 */
export async function statuses(
  root: string,
  list: readonly Exercise[],
  state: State,
): Promise<Map<Exercise, Status>> {
  const known = new Map(list.map((exercise) => [exercise, statusOf(root, state, exercise)]));
  const recheck = list.filter((exercise) => exercise.needs === "node" && !isSettled(known.get(exercise)));
  if (recheck.length > 0) {
    console.log(`Checking ${recheck.map((exercise) => exercise.id).join(", ")}…`);
    const checker = await openChecker(root);
    const outcomes = await checker.run(recheck.flatMap(publicChecks));
    await checker.close();
    for (const exercise of recheck) {
      const passed = publicChecks(exercise).every((check) => outcomes.get(check)?.passed);
      state.verdicts[exercise.id] = { hash: filesHash(root, exercise), passed };
      known.set(exercise, passed ? "done" : "to do");
    }
  }
  return new Map(list.map((exercise) => [exercise, settle(known.get(exercise))]));
}

const isSettled = (status: Status | "unknown" | undefined) => status === "done" || status === "to do";
const settle = (status: Status | "unknown" | undefined): Status =>
  status === "unknown" || status === undefined ? "to do" : status;

/** The progress table, then what to do next. */
export function printProgress(root: string, list: readonly Exercise[], status: Map<Exercise, Status>): void {
  if (list.length === 0) {
    console.log("No graded exercises yet.");
    return;
  }
  const width = Math.max("exercise".length, ...list.map((exercise) => exercise.id.length));
  const row = (lab: string, id: string, points: string, state: string) =>
    `${lab.padEnd(3)}  ${id.padEnd(width)}  ${points.padStart(6)}  ${state}`;
  console.log(row("lab", "exercise", "points", "status"));
  for (const exercise of list) {
    console.log(row(exercise.lab, exercise.id, String(exercise.points), status.get(exercise) ?? "to do"));
  }
  const done = list.filter((exercise) => status.get(exercise) === "done");
  const points = (some: readonly Exercise[]) => some.reduce((sum, exercise) => sum + exercise.points, 0);
  console.log(
    `\nDone: ${done.length} of ${list.length} exercises, ${points(done)} of ${points(list)} points.`,
  );
  const next = list.find((exercise) => status.get(exercise) !== "done");
  if (!next) {
    console.log("Every exercise passes its checks. `npm run grade` gives the grade Classroom will give.");
    return;
  }
  console.log(`\nNext: ${describe(root, next)}`);
  console.log("  Check it on every save:  npm run exercises -- --watch");
  console.log(`  A hint:                  npm run exercises -- hint ${next.id}`);
}

/** An exercise as the runner introduces it: id, title, points, where to write, what to write. */
export function describe(root: string, exercise: Exercise): string {
  return `${exercise.id}, "${exercise.title}" (${exercise.points} points)\n  ${whereToWrite(root, exercise)}\n  ${exercise.task}`;
}

/** `file:line` of the exercise's first region, or what keeps the runner from finding it. */
export function whereToWrite(root: string, exercise: Exercise): string {
  for (const file of exercise.files) {
    if (!existsSync(path.join(root, file))) return `${file} is missing (git restore ${file} brings it back)`;
    try {
      const region = parseRegions(readFileSync(path.join(root, file), "utf8"), file).find(
        (candidate) => candidate.id === exercise.id,
      );
      if (region) return `${file}:${region.start + 1}`;
    } catch (error) {
      if (!(error instanceof RegionError)) throw error;
      return `${error.message} (mend the markers, or git restore ${file} for the starter's file)`;
    }
  }
  return `no region ${exercise.id} in ${exercise.files.join(", ")}: its markers are gone (git restore brings them back)`;
}
