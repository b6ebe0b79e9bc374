import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLASSROOM_WORKFLOW, classroomWorkflow } from "../classroom.ts";
import { INSTRUCTOR_ONLY, INSTRUCTOR_SCRIPTS } from "../instructor-only.ts";
import { EXPECTED_TOTAL, exercises } from "../list.ts";
import { readmeTables } from "../readme.ts";
import { INSTRUCTOR_MARKER } from "../repo.ts";
import { isInstructorOnly, regionsByFile } from "../starter.ts";
import { checkNameProblems } from "./support/check-names.ts";
import { REPO } from "./support/fixture-repo.ts";

describe("the exercise list", () => {
  it(`adds up to ${EXPECTED_TOTAL} points, or is still empty`, () => {
    const total = exercises.reduce((sum, exercise) => sum + exercise.points, 0);
    expect([0, EXPECTED_TOTAL]).toContain(total);
  });

  it("names every test of its check files, and every check it lists is a test there", async () => {
    expect(await checkNameProblems(REPO, exercises)).toEqual([]);
  });

  it("lists every file that holds a region, under the region's exercise", () => {
    const strays = [...regionsByFile(REPO)].flatMap(([file, regions]) =>
      regions
        .filter((region) => !exercises.find((exercise) => exercise.id === region.id)?.files.includes(file))
        .map((region) => `${file}:${region.start}: region ${region.id}`),
    );
    expect(strays).toEqual([]);
  });

  it("agrees with the committed Classroom workflow", () => {
    const committed = readFileSync(path.join(REPO, CLASSROOM_WORKFLOW), "utf8");
    expect(committed, "run: npx tsx --conditions=development exercises/classroom.ts").toBe(
      classroomWorkflow(exercises),
    );
  });

  it("agrees with the exercise table of each lab README", () => {
    const tables = readmeTables(REPO, exercises);
    expect(tables.filter((table) => table.expected === undefined).map((table) => table.readme)).toEqual([]);
    for (const { readme, expected, actual } of tables) {
      expect(actual, `${readme}: npm run exercises -- readme rewrites it`).toBe(expected);
    }
  });
});

describe("the instructor-only files", () => {
  it("hold the marker the tools and the Classroom workflow tell the instructor's copy by", () => {
    expect(isInstructorOnly(INSTRUCTOR_MARKER)).toBe(true);
  });

  it("hold every hidden check file", () => {
    const hidden = exercises.flatMap((exercise) => exercise.checks.filter((check) => check.hidden));
    expect(hidden.filter((check) => !isInstructorOnly(check.file))).toEqual([]);
    expect(isInstructorOnly("labs/02-rest/test/exercises/any.hidden.test.ts")).toBe(true);
  });

  it("are run by exactly the package.json scripts the starter drops, so every script of the starter works", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const runsInstructorFiles = Object.entries(scripts)
      .filter(([, command]) => command.split(" ").some((word) => isInstructorOnly(word)))
      .map(([name]) => name);
    expect(runsInstructorFiles.sort()).toEqual([...INSTRUCTOR_SCRIPTS].sort());
    expect(INSTRUCTOR_ONLY).toContain(".github/workflows/ci.yml");
  });
});
