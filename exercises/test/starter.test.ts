import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLASSROOM_WORKFLOW } from "../classroom.ts";
import { gradeSchema } from "../grade-file.ts";
import { INSTRUCTOR_SCRIPTS } from "../instructor-only.ts";
import { exercises } from "../list.ts";
import { withSolution } from "../regions.ts";
import { trackedFiles } from "../repo.ts";
import { isInstructorOnly, regionsByFile } from "../starter.ts";
import { REPO } from "./support/fixture-repo.ts";
import { exec } from "./support/tools.ts";

// The workshop's own starter, from its real list: what a class gets. The fixture's (grade.test.ts)
// covers the same ground while the list is short.
const home = mkdtempSync(path.join(tmpdir(), "exercises-starter-"));
const starter = path.join(home, "starter");
const npm = (cwd: string, ...args: string[]) => exec(cwd, "npm", args);
const gradeOf = (root: string) =>
  gradeSchema.parse(JSON.parse(readFileSync(path.join(root, "grade.json"), "utf8")));
const total = exercises.reduce((sum, exercise) => sum + exercise.points, 0);

beforeAll(async () => {
  const run = await npm(REPO, "run", "--silent", "starter", "--", starter);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("the workshop's starter", () => {
  it("leaves out the instructor-only files and the hidden checks, and holds exercise regions only", () => {
    const files = trackedFiles(starter);
    expect(files.filter(isInstructorOnly)).toEqual([]);
    expect(trackedFiles(REPO).filter((file) => !isInstructorOnly(file) && !files.includes(file))).toEqual([]);
    const hidden = exercises.flatMap((exercise) =>
      exercise.checks.filter((check) => check.hidden).map((check) => check.file),
    );
    expect(hidden.filter((file) => existsSync(path.join(starter, file)))).toEqual([]);
    expect(hidden.filter((file) => !existsSync(path.join(REPO, file)))).toEqual([]);
    const solutions = [...regionsByFile(starter).values()]
      .flat()
      .filter((region) => region.kind === "solution");
    expect(solutions).toEqual([]);
    expect(readFileSync(path.join(starter, CLASSROOM_WORKFLOW), "utf8")).toBe(
      readFileSync(path.join(REPO, CLASSROOM_WORKFLOW), "utf8"),
    );
  });

  it("keeps every package.json script but those that run instructor-only files", () => {
    const scripts = (root: string) =>
      (
        JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts;
    const expected = { ...scripts(REPO) };
    for (const script of INSTRUCTOR_SCRIPTS) delete expected[script];
    expect(scripts(starter)).toEqual(expected);
  });

  it("installs, typechecks and lints", async () => {
    for (const command of [
      ["ci", "--no-audit", "--no-fund", "--prefer-offline"],
      ["run", "typecheck"],
      ["run", "lint"],
    ]) {
      const run = await npm(starter, ...command);
      expect(run.code, `npm ${command.join(" ")}:\n${run.stdout}\n${run.stderr}`).toBe(0);
    }
  });

  it("grades 0 on every exercise, from failing checks and no environment error", async () => {
    const run = await npm(starter, "run", "--silent", "grade");
    expect(run.code, run.stdout).toBe(exercises.length > 0 ? 1 : 0);
    const grade = gradeOf(starter);
    expect(grade.total).toEqual({ points: 0, max: total });
    expect(grade.exercises.filter((exercise) => exercise.points > 0 || exercise.error)).toEqual([]);
    expect(grade.exercises.map((exercise) => exercise.id)).toEqual(exercises.map((exercise) => exercise.id));
  });

  // The quickest exercise of the list to check, once the list has one.
  const sample = ["node", "redis", "docker"].flatMap((needs) =>
    exercises.filter((exercise) => exercise.needs === needs),
  )[0];
  for (const exercise of sample ? [sample] : []) {
    it(`rises from 0 to ${exercise.id}'s public points once its solution regions are copied in`, async () => {
      for (const file of exercise.files) {
        const mine = readFileSync(path.join(starter, file), "utf8");
        writeFileSync(
          path.join(starter, file),
          withSolution(mine, readFileSync(path.join(REPO, file), "utf8"), file, exercise.id),
        );
      }
      const run = await npm(starter, "run", "--silent", "grade", "--", "--only", exercise.id);
      expect(run.code, run.stdout).toBe(0);
      const publicPoints = exercise.checks.reduce((sum, check) => sum + (check.hidden ? 0 : check.points), 0);
      expect(gradeOf(starter).exercises).toEqual([
        { id: exercise.id, points: publicPoints, max: exercise.points, failed: [] },
      ]);
    });
  }
});

describe("the workshop's solution", () => {
  it(`grades 100 % of the list's ${total} points`, async () => {
    const run = await npm(REPO, "run", "--silent", "grade");
    expect(run.code, run.stdout).toBe(0);
    expect(gradeOf(REPO).total).toEqual({ points: total, max: total });
  });
});
