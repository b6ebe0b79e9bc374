import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseRegions, RegionError } from "./regions.ts";
import { isInstructorCopy } from "./repo.ts";
import { type Exercise, exerciseSchema } from "./types.ts";

export class ListError extends Error {
  override name = "ListError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`the exercise list is not valid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * The exercises, once their shape and everything a shape cannot say agree: unique ids, the lab
 * in the id, points that add up, hidden checks in hidden files. In the instructor's copy, the
 * files too: each exercise file holds its regions and each check file exists. A student's copy
 * is not held to that: its regions are the student's to break, and the grade says so.
 */
export function validateList(
  candidates: unknown,
  { root, total }: { root: string; total: number },
): Exercise[] {
  const parsed = z.array(exerciseSchema).safeParse(candidates);
  if (!parsed.success) throw new ListError([z.prettifyError(parsed.error)]);
  const exercises = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  const checkFiles = new Map<string, string>();
  for (const exercise of exercises) {
    const { id, lab } = exercise;
    if (ids.has(id)) problems.push(`${id}: two exercises have this id`);
    ids.add(id);
    if (id.slice(3, 5) !== lab) problems.push(`${id}: its lab is "${lab}", its id says ${id.slice(0, 5)}`);
    const sum = exercise.checks.reduce((points, check) => points + check.points, 0);
    if (sum !== exercise.points)
      problems.push(`${id}: worth ${exercise.points} points, its checks add up to ${sum}`);
    const names = new Set<string>();
    for (const check of exercise.checks) {
      const where = `${id}: check "${check.name}"`;
      const key = `${check.file} > ${check.name}`;
      if (names.has(key)) problems.push(`${where} is listed twice in ${check.file}`);
      names.add(key);
      const owner = checkFiles.get(check.file);
      if (owner && owner !== id) problems.push(`${where}: ${check.file} already holds checks of ${owner}`);
      checkFiles.set(check.file, id);
      if (!check.file.startsWith(`labs/${lab}-`))
        problems.push(`${where}: ${check.file} is not in lab ${lab}`);
      const hiddenFile = check.file.endsWith(".hidden.test.ts");
      if (check.hidden && !hiddenFile)
        problems.push(`${where} is hidden, so its file must be a *.hidden.test.ts`);
      if (!check.hidden && hiddenFile)
        problems.push(`${where} is in a *.hidden.test.ts, so it must be hidden`);
    }
  }
  const sum = exercises.reduce((points, exercise) => points + exercise.points, 0);
  // An empty list is a workshop with no exercises written yet, not a wrong total.
  if (exercises.length > 0 && sum !== total)
    problems.push(`the exercises add up to ${sum} points, not ${total}`);
  if (isInstructorCopy(root)) problems.push(...fileProblems(root, exercises));
  if (problems.length > 0) throw new ListError(problems);
  return exercises;
}

/** What is wrong on disk: missing files, exercise files without their region, unreadable markers. */
function fileProblems(root: string, exercises: Exercise[]): string[] {
  const problems: string[] = [];
  for (const { id, files, checks } of exercises) {
    for (const file of files) {
      const full = path.join(root, file);
      if (!existsSync(full)) {
        problems.push(`${id}: ${file} does not exist`);
        continue;
      }
      try {
        const regions = parseRegions(readFileSync(full, "utf8"), file);
        if (!regions.some((region) => region.id === id))
          problems.push(`${id}: ${file} holds no region ${id}`);
      } catch (error) {
        if (!(error instanceof RegionError)) throw error;
        problems.push(error.message);
      }
    }
    for (const file of new Set(checks.map((check) => check.file))) {
      if (!existsSync(path.join(root, file))) problems.push(`${id}: check file ${file} does not exist`);
    }
  }
  return problems;
}
