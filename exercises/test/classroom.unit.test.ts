import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { classroomWorkflow } from "../classroom.ts";
import { FIXTURE_EXERCISES } from "./support/fixture-repo.ts";

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
const workflow = parse(classroomWorkflow(FIXTURE_EXERCISES)) as {
  name: string;
  on: string[];
  jobs: Record<string, { if: string; steps: Step[] }>;
};
const job = workflow.jobs["run-autograding-tests"];
const steps = job?.steps ?? [];
const studentCopy = "hashFiles('exercises/instructor-only.ts') == ''";
const resultOf = (stepId: string) => `\${{ steps.${stepId}.outputs.result }}`;

describe("the Classroom workflow made from the list", () => {
  it("is the one job, by the names Classroom's reporter looks for, run on each push", () => {
    expect(workflow.name).toBe("Autograding Tests");
    expect(Object.keys(workflow.jobs)).toEqual(["run-autograding-tests"]);
    expect(workflow.on).toEqual(["push", "repository_dispatch"]);
    expect(job?.if).toBe("github.actor != 'github-classroom[bot]'");
  });

  it("checks out, sets Node up from .nvmrc and installs, then grades, and neither typechecks nor lints", () => {
    expect(steps.slice(0, 3).map((step) => step.uses ?? step.run)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
    ]);
    expect(steps[1]?.with?.["node-version-file"]).toBe(".nvmrc");
    expect(steps.filter((step) => /typecheck|lint/.test(step.run ?? ""))).toEqual([]);
  });

  it("grades each exercise in a step of its own, worth its points, with a timeout fit for what it needs", () => {
    expect(steps.slice(3, -1)).toEqual([
      {
        name: "lab01.fixture-sum",
        id: "lab01-fixture-sum",
        if: studentCopy,
        uses: "classroom-resources/autograding-command-grader@v1",
        with: {
          "test-name": "lab01.fixture-sum",
          command: "npm run grade -- --only lab01.fixture-sum",
          timeout: 5,
          "max-score": 5,
        },
      },
      expect.objectContaining({
        id: "lab01-fixture-volume",
        with: expect.objectContaining({ "max-score": 3 }),
      }),
      expect.objectContaining({
        id: "lab02-fixture-counter",
        with: expect.objectContaining({ "max-score": 4, timeout: 10 }),
      }),
    ]);
  });

  it("ends with the reporter, given each step's result under <STEP ID>_RESULTS", () => {
    expect(steps.at(-1)).toEqual({
      name: "Autograding Reporter",
      if: studentCopy,
      uses: "classroom-resources/autograding-grading-reporter@v1",
      env: {
        "LAB01-FIXTURE-SUM_RESULTS": resultOf("lab01-fixture-sum"),
        "LAB01-FIXTURE-VOLUME_RESULTS": resultOf("lab01-fixture-volume"),
        "LAB02-FIXTURE-COUNTER_RESULTS": resultOf("lab02-fixture-counter"),
      },
      with: { runners: "lab01-fixture-sum,lab01-fixture-volume,lab02-fixture-counter" },
    });
  });

  it("skips every step but the checkout in the instructor's copy, which alone has the marker file", () => {
    expect(steps.slice(1).every((step) => step.if === studentCopy)).toBe(true);
    expect(steps[0]?.if).toBeUndefined();
  });
});
