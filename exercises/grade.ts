import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openChecker } from "./checks.ts";
import { exerciseById, parseCommandLine, runTool } from "./cli.ts";
import { type ExerciseGrade, GRADE_FILE, type Grade } from "./grade-file.ts";
import { exercises } from "./list.ts";
import { ROOT } from "./repo.ts";
import type { Exercise } from "./types.ts";

/**
 * `npm run grade [-- --only <id>]`: runs the exercises' checks in one vitest run, prints a table
 * and writes grade.json. Exit code 0: every check passed; 1: some failed; 2: bad usage; 3: the
 * machine failed (Docker not running, an image that does not build), which is no grade at all.
 */
async function main(): Promise<number> {
  const { values } = parseCommandLine({ options: { only: { type: "string" } } });
  const selected = values.only === undefined ? exercises : [exerciseById(exercises, values.only)];
  // A student's copy has no hidden check files: those checks are the instructor's to run.
  const runnable = (exercise: Exercise) =>
    exercise.checks.filter((check) => !check.hidden || existsSync(path.join(ROOT, check.file)));
  const checker = await openChecker(ROOT);
  const outcomes = await checker.run(selected.flatMap(runnable));
  await checker.close();

  const grades = selected.map((exercise): ExerciseGrade => {
    const ran = runnable(exercise).map((check) => ({ check, outcome: outcomes.get(check) }));
    const failed = ran.filter(({ outcome }) => !outcome?.passed);
    const environment = [...new Set(failed.flatMap(({ outcome }) => outcome?.environment ?? []))];
    const points = ran.reduce((sum, { check, outcome }) => sum + (outcome?.passed ? check.points : 0), 0);
    return {
      id: exercise.id,
      points: environment.length > 0 ? 0 : points,
      max: exercise.points,
      failed: failed.map(({ check }) => check.name),
      ...(environment.length > 0 && { error: environment.join("\n") }),
    };
  });
  const total = {
    points: grades.reduce((sum, grade) => sum + grade.points, 0),
    max: grades.reduce((sum, grade) => sum + grade.max, 0),
  };
  const grade: Grade = { exercises: grades, total };
  writeFileSync(path.join(ROOT, GRADE_FILE), `${JSON.stringify(grade, null, 2)}\n`);
  printTable(grades, total);

  const unrun = selected.flatMap((exercise) =>
    exercise.checks.filter((check) => !runnable(exercise).includes(check)),
  );
  if (unrun.length > 0) {
    const points = unrun.reduce((sum, check) => sum + check.points, 0);
    console.log(`\n${points} of these points come from hidden checks, which your instructor runs.`);
  }
  const errors = grades.filter((grade) => grade.error !== undefined);
  for (const message of new Set(errors.map((grade) => grade.error))) {
    const ids = errors.filter((grade) => grade.error === message).map((grade) => grade.id);
    console.log(
      `\nenvironment error: ${message}\n  (no grade for ${ids.join(", ")}: fix this and grade again)`,
    );
  }
  if (errors.length > 0) return 3;
  return grades.every((grade) => grade.failed.length === 0) ? 0 : 1;
}

function printTable(grades: ExerciseGrade[], total: { points: number; max: number }): void {
  const width = Math.max("exercise".length, ...grades.map((grade) => grade.id.length));
  const row = (name: string, points: string, failing: string) =>
    `${name.padEnd(width)}  ${points.padStart(7)}  ${failing}`.trimEnd();
  console.log(row("exercise", "points", "failing checks"));
  for (const grade of grades) {
    const failing = grade.error
      ? "environment error (below)"
      : grade.failed.map((name) => `"${name}"`).join("; ");
    console.log(row(grade.id, `${grade.points}/${grade.max}`, failing));
  }
  console.log(row("total", `${total.points}/${total.max}`, ""));
  console.log(`\nWritten to ${GRADE_FILE}.`);
}

runTool("grade", main);
