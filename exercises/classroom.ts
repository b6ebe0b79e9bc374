import { writeFileSync } from "node:fs";
import path from "node:path";
import { Document } from "yaml";
import { isMain } from "./cli.ts";
import { exercises } from "./list.ts";
import { INSTRUCTOR_MARKER, ROOT } from "./repo.ts";
import type { Exercise } from "./types.ts";

/** Where GitHub Classroom reads its autograding workflow, in the student's repository. */
export const CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml";

/** Minutes a grading step may take: images and stacks build on a runner with a cold cache. */
const TIMEOUT = { node: 5, redis: 10, docker: 20 };

const HEADER = `Generated from the exercise list by exercises/classroom.ts; after changing the list, run
  npx tsx --conditions=development exercises/classroom.ts
(a test fails while this file and the list disagree).
GitHub Classroom grades every push to a student's repository: one step per exercise, worth the
exercise's points when all its checks pass (npm run grade -- --only <id>); no typecheck, no lint.
Classroom's reporter looks for this workflow name and this one job name.
Every step but the checkout is skipped in the instructor's own repository, the solution: only it
holds ${INSTRUCTOR_MARKER}, which the starter leaves out.`;

/** The Classroom workflow for these exercises, as YAML, in the format GitHub Classroom generates. */
export function classroomWorkflow(list: readonly Exercise[]): string {
  const studentCopy = `hashFiles('${INSTRUCTOR_MARKER}') == ''`;
  const stepId = (exercise: Exercise) => exercise.id.replaceAll(".", "-");
  const graders = list.map((exercise) => ({
    name: exercise.id,
    id: stepId(exercise),
    if: studentCopy,
    uses: "classroom-resources/autograding-command-grader@v1",
    with: {
      "test-name": exercise.id,
      command: `npm run grade -- --only ${exercise.id}`,
      timeout: TIMEOUT[exercise.needs],
      "max-score": exercise.points,
    },
  }));
  const reporter = {
    name: "Autograding Reporter",
    if: studentCopy,
    uses: "classroom-resources/autograding-grading-reporter@v1",
    env: Object.fromEntries(
      list.map((exercise) => [
        `${stepId(exercise).toUpperCase()}_RESULTS`,
        `\${{ steps.${stepId(exercise)}.outputs.result }}`,
      ]),
    ),
    with: { runners: list.map(stepId).join(",") },
  };
  const workflow = {
    name: "Autograding Tests",
    on: ["push", "repository_dispatch"],
    permissions: { checks: "write", actions: "read", contents: "read" },
    jobs: {
      "run-autograding-tests": {
        "runs-on": "ubuntu-latest",
        if: "github.actor != 'github-classroom[bot]'",
        // The browser checks drive the Google Chrome that the runner image ships.
        env: { CHROMIUM_PATH: "/usr/bin/google-chrome" },
        steps: [
          { name: "Checkout code", uses: "actions/checkout@v4" },
          {
            name: "Set up Node.js",
            if: studentCopy,
            uses: "actions/setup-node@v4",
            with: { "node-version-file": ".nvmrc", cache: "npm" },
          },
          { name: "Install", if: studentCopy, run: "npm ci" },
          ...graders,
          ...(list.length > 0 ? [reporter] : []),
        ],
      },
    },
  };
  const document = new Document(workflow);
  document.commentBefore = HEADER.split("\n")
    .map((line) => ` ${line}`)
    .join("\n");
  return document.toString({ lineWidth: 0 });
}

if (isMain(import.meta)) {
  writeFileSync(path.join(ROOT, CLASSROOM_WORKFLOW), classroomWorkflow(exercises));
  console.log(`Wrote ${CLASSROOM_WORKFLOW} for ${exercises.length} exercises.`);
}
