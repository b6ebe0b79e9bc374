import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { INSTRUCTOR_MARKER } from "../repo.ts";
import type { Exercise } from "../types.ts";
import { ListError, validateList } from "../validate.ts";

/** An instructor's copy holding the files of `good`, or a student's copy (no marker file). */
function makeRoot(instructor: boolean): string {
  const root = mkdtempSync(path.join(tmpdir(), "exercises-list-"));
  const files: Record<string, string> = {
    "labs/02-rest/src/api.ts": ["// #region solution lab02.state", "return 1;", "// #endregion"].join("\n"),
    "labs/02-rest/test/exercises/state.test.ts": "",
    "labs/02-rest/test/exercises/state.hidden.test.ts": "",
    ...(instructor && { [INSTRUCTOR_MARKER]: "" }),
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}
const instructor = makeRoot(true);
const student = makeRoot(false);
afterAll(() => {
  for (const root of [instructor, student]) rmSync(root, { recursive: true, force: true });
});

const good: Exercise = {
  id: "lab02.state",
  lab: "02",
  title: "The state",
  task: "Serve the state.",
  points: 5,
  files: ["labs/02-rest/src/api.ts"],
  hints: ["One."],
  needs: "redis",
  checks: [
    { file: "labs/02-rest/test/exercises/state.test.ts", name: "state > is served", points: 3 },
    {
      file: "labs/02-rest/test/exercises/state.hidden.test.ts",
      name: "state > is fresh",
      points: 2,
      hidden: true,
    },
  ],
};

/** The problems validateList finds in `list`, or [] when it accepts it. */
function problems(list: unknown[], { root = instructor, total = 5 } = {}): string[] {
  try {
    validateList(list, { root, total });
    return [];
  } catch (error) {
    if (!(error instanceof ListError)) throw error;
    return error.problems;
  }
}

describe("validateList", () => {
  it("accepts a list whose exercises, checks, points and files agree", () => {
    expect(validateList([good], { root: instructor, total: 5 })).toEqual([good]);
  });

  it("accepts an empty list: a workshop with no exercises written yet", () => {
    expect(problems([], { total: 82 })).toEqual([]);
  });

  it("refuses a shape the Exercise type does not allow, naming the field", () => {
    const [problem] = problems([{ ...good, id: "Lab2.State", hints: [], needs: "gpu" }]);
    expect(problem).toContain("id");
    expect(problem).toContain("hints");
    expect(problem).toContain("needs");
    expect(problems([{ ...good, hints: ["1", "2", "3", "4"] }])[0]).toContain("hints");
  });

  it("refuses two exercises with one id, and a lab that is not the id's", () => {
    expect(problems([good, good], { total: 10 })).toContain("lab02.state: two exercises have this id");
    expect(problems([{ ...good, lab: "03" }])).toContain('lab02.state: its lab is "03", its id says lab02');
  });

  it("refuses points that are not the sum of the checks', and a total that is not the expected one", () => {
    expect(problems([{ ...good, points: 6 }], { total: 6 })).toEqual([
      "lab02.state: worth 6 points, its checks add up to 5",
    ]);
    expect(problems([good], { total: 82 })).toEqual(["the exercises add up to 5 points, not 82"]);
  });

  it("refuses a hidden check outside a *.hidden.test.ts, and a public one inside", () => {
    const [publicCheck, hiddenCheck] = good.checks;
    const swapped = [
      { ...publicCheck, hidden: true },
      { ...hiddenCheck, hidden: false },
    ];
    expect(problems([{ ...good, checks: swapped }])).toEqual([
      'lab02.state: check "state > is served" is hidden, so its file must be a *.hidden.test.ts',
      'lab02.state: check "state > is fresh" is in a *.hidden.test.ts, so it must be hidden',
    ]);
  });

  it("refuses a check listed twice, a check file of another lab, and a check file shared by two exercises", () => {
    const [publicCheck] = good.checks;
    const twice = { ...good, checks: [...good.checks, { ...publicCheck, points: 1 }], points: 6 };
    expect(problems([twice], { total: 6 })).toEqual([
      'lab02.state: check "state > is served" is listed twice in labs/02-rest/test/exercises/state.test.ts',
    ]);
    const otherLab = { ...good, id: "lab03.state", lab: "03" as const };
    expect(problems([good, otherLab], { total: 10 })).toEqual(
      expect.arrayContaining([
        'lab03.state: check "state > is served": labs/02-rest/test/exercises/state.test.ts already holds checks of lab02.state',
        'lab03.state: check "state > is served": labs/02-rest/test/exercises/state.test.ts is not in lab 03',
      ]),
    );
  });

  it("refuses, in the instructor's copy, missing files, a file without the exercise's region, and a missing check file", () => {
    const missing = {
      ...good,
      files: ["labs/02-rest/src/api.ts", "labs/02-rest/src/gone.ts"],
      checks: [{ file: "labs/02-rest/test/exercises/gone.test.ts", name: "x", points: 5 }],
    };
    expect(problems([missing])).toEqual([
      "lab02.state: labs/02-rest/src/gone.ts does not exist",
      "lab02.state: check file labs/02-rest/test/exercises/gone.test.ts does not exist",
    ]);
    const noRegion = { ...good, id: "lab02.other", files: ["labs/02-rest/test/exercises/state.test.ts"] };
    expect(problems([noRegion])).toContain(
      "lab02.other: labs/02-rest/test/exercises/state.test.ts holds no region lab02.other",
    );
  });

  it("leaves a student's copy its files: no hidden check files, regions the student may have broken", () => {
    const broken = { ...good, files: ["labs/02-rest/src/gone.ts"] };
    expect(problems([broken], { root: student })).toEqual([]);
  });
});
