import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** The repository these tools belong to: the instructor's copy, or a student's. */
export const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * A file only the instructor's copy has (the starter leaves it out): the tools check the regions
 * and hidden check files there, and the Classroom workflow skips its steps there.
 */
export const INSTRUCTOR_MARKER = "exercises/instructor-only.ts";

export function isInstructorCopy(root: string): boolean {
  return existsSync(path.join(root, INSTRUCTOR_MARKER));
}

/** The files git tracks (or has staged) in `root`, repository-relative, that are still on disk. */
export function trackedFiles(root: string): string[] {
  const output = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" });
  return output
    .split("\0")
    .filter((file) => file !== "" && existsSync(path.join(root, file)))
    .sort();
}
