import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Grade, gradeSchema } from "../grade-file.ts";
import { withSolution } from "../regions.ts";
import { trackedFiles } from "../repo.ts";
import { regionsByFile } from "../starter.ts";
import { git, makeFixtureRepo } from "./support/fixture-repo.ts";
import { tool } from "./support/tools.ts";

// The fixture's own exercises, end to end: the solution, its starter, and copies of both.
const fixture = makeFixtureRepo();
const starter = path.join(fixture.home, "starter");
beforeAll(async () => {
  expect((await tool(fixture.root, "starter", [starter])).code).toBe(0);
});
afterAll(() => fixture.remove());

const gradeOf = (root: string): Grade =>
  gradeSchema.parse(JSON.parse(readFileSync(path.join(root, "grade.json"), "utf8")));
const copy = (from: string, name: string) => {
  const to = path.join(fixture.home, name);
  cpSync(from, to, { recursive: true });
  return to;
};

describe("npm run grade", () => {
  it("gives the solution every point of the list, hidden checks included, and exits 0", async () => {
    const run = await tool(fixture.root, "grade");
    expect(run.code).toBe(0);
    expect(gradeOf(fixture.root)).toEqual({
      exercises: [
        { id: "lab01.fixture-sum", points: 5, max: 5, failed: [] },
        { id: "lab01.fixture-volume", points: 3, max: 3, failed: [] },
        { id: "lab02.fixture-counter", points: 4, max: 4, failed: [] },
      ],
      total: { points: 12, max: 12 },
    });
    expect(run.stdout).toMatch(/^total\s+12\/12$/m);
  });

  it("gives the untouched starter 0 on every exercise, from failing checks rather than an environment error, and exits 1", async () => {
    const run = await tool(starter, "grade");
    expect(run.code).toBe(1);
    const grade = gradeOf(starter);
    expect(grade.total).toEqual({ points: 0, max: 12 });
    expect(grade.exercises.map(({ id, points, failed, error }) => ({ id, points, failed, error }))).toEqual([
      {
        id: "lab01.fixture-sum",
        points: 0,
        failed: ["sum > adds the values", "sum > gives 0 for no values"],
        error: undefined,
      },
      {
        id: "lab01.fixture-volume",
        points: 0,
        failed: ["the reader's volume is read-only"],
        error: undefined,
      },
      { id: "lab02.fixture-counter", points: 0, failed: ["counts from 1, one at a time"], error: undefined },
    ]);
    expect(run.stdout).toMatch(
      /^lab01\.fixture-sum\s+0\/5\s+"sum > adds the values"; "sum > gives 0 for no values"$/m,
    );
    expect(run.stdout).toContain("2 of these points come from hidden checks, which your instructor runs.");
    expect(run.stdout).not.toContain("environment error");
  });

  it("finds the hidden check in the solution only, and no solution and no instructor-only file in the starter", () => {
    const hidden = "labs/01-fixture/test/exercises/sum.hidden.test.ts";
    expect(existsSync(path.join(fixture.root, hidden))).toBe(true);
    expect(existsSync(path.join(starter, hidden))).toBe(false);
    const files = trackedFiles(starter);
    expect(
      files.filter((file) => /instructor-only|starter\.ts|classroom\.ts|collect-grades/.test(file)),
    ).toEqual([]);
    expect(files).toContain(".github/workflows/classroom.yml");
    const kinds = [...regionsByFile(starter).values()].flat().map((region) => `${region.id} ${region.kind}`);
    expect(kinds.sort()).toEqual([
      "lab01.fixture-sum exercise",
      "lab01.fixture-volume exercise",
      "lab02.fixture-counter exercise",
    ]);
  });

  it("rises from 0 to exactly an exercise's points once its solution regions are back in the starter", async () => {
    const student = copy(starter, "student-volume");
    const file = "labs/01-fixture/compose.yml";
    const solved = withSolution(
      readFileSync(path.join(student, file), "utf8"),
      readFileSync(path.join(fixture.root, file), "utf8"),
      file,
      "lab01.fixture-volume",
    );
    expect((await tool(student, "grade", ["--only", "lab01.fixture-volume"])).code).toBe(1);
    expect(gradeOf(student).total).toEqual({ points: 0, max: 3 });
    writeFileSync(path.join(student, file), solved);

    const run = await tool(student, "grade", ["--only", "lab01.fixture-volume"]);
    expect(run.code).toBe(0);
    expect(gradeOf(student)).toEqual({
      exercises: [{ id: "lab01.fixture-volume", points: 3, max: 3, failed: [] }],
      total: { points: 3, max: 3 },
    });
  });

  it("gives a solved exercise its public points in a student's copy, the hidden ones being the instructor's to run", async () => {
    const student = copy(starter, "student-sum");
    const file = "labs/01-fixture/src/sum.ts";
    const solution = readFileSync(path.join(fixture.root, file), "utf8");
    writeFileSync(
      path.join(student, file),
      withSolution(readFileSync(path.join(student, file), "utf8"), solution, file, "lab01.fixture-sum"),
    );
    const run = await tool(student, "grade", ["--only", "lab01.fixture-sum"]);
    expect(run.code).toBe(0);
    expect(gradeOf(student).exercises).toEqual([{ id: "lab01.fixture-sum", points: 3, max: 5, failed: [] }]);
  });

  it("counts a listed check whose test is missing, or skipped, as failed", async () => {
    const solution = copy(fixture.root, "solution-renamed");
    const checks = path.join(solution, "labs/01-fixture/test/exercises/sum.test.ts");
    writeFileSync(
      checks,
      readFileSync(checks, "utf8")
        .replace('it("adds the values"', 'it("adds up the values"')
        .replace('it("gives 0 for no values"', 'it.skip("gives 0 for no values"'),
    );
    const run = await tool(solution, "grade", ["--only", "lab01.fixture-sum"]);
    expect(run.code).toBe(1);
    expect(gradeOf(solution).exercises).toEqual([
      {
        id: "lab01.fixture-sum",
        points: 2,
        max: 5,
        failed: ["sum > adds the values", "sum > gives 0 for no values"],
      },
    ]);
  });

  it("refuses an unknown exercise, naming the ones there are, and an unknown option, with exit code 2", async () => {
    const unknown = await tool(fixture.root, "grade", ["--only", "lab09.nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'grade: unknown exercise "lab09.nope": the exercises are lab01.fixture-sum, lab01.fixture-volume, lab02.fixture-counter',
    );
    const option = await tool(fixture.root, "grade", ["--everything"]);
    expect(option.code).toBe(2);
    expect(option.stderr.trim()).toBe("grade: Unknown option '--everything'");
  });
});

describe("npm run starter", () => {
  it("refuses a list whose files git does not track, which the starter would leave out", async () => {
    const solution = copy(fixture.root, "solution-untracked");
    git(solution, "rm", "--quiet", "--cached", "labs/01-fixture/test/exercises/sum.test.ts");
    const run = await tool(solution, "starter", [path.join(fixture.home, "starter-untracked")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      "starter: the list needs files git does not track (git add them first): labs/01-fixture/test/exercises/sum.test.ts",
    );
  });

  it("refuses a folder that is not empty, with exit code 2", async () => {
    const run = await tool(fixture.root, "starter", [fixture.root]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`starter: ${fixture.root} is not empty`);
  });
});
