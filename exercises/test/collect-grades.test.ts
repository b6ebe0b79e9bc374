import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { withSolution } from "../regions.ts";
import { FIXTURE_EXERCISES, git, makeFixtureRepo } from "./support/fixture-repo.ts";
import { tool } from "./support/tools.ts";

const fixture = makeFixtureRepo();
const starter = path.join(fixture.home, "starter");
beforeAll(async () => {
  expect((await tool(fixture.root, "starter", [starter])).code).toBe(0);
});
afterAll(() => fixture.remove());

/** A student's copy of the starter in which these exercises are solved. */
function student(name: string, ...solved: string[]): string {
  const root = path.join(fixture.home, name);
  cpSync(starter, root, { recursive: true });
  for (const exercise of FIXTURE_EXERCISES.filter(({ id }) => solved.includes(id))) {
    for (const file of exercise.files) {
      const mine = readFileSync(path.join(root, file), "utf8");
      const solution = readFileSync(path.join(fixture.root, file), "utf8");
      writeFileSync(path.join(root, file), withSolution(mine, solution, file, exercise.id));
    }
  }
  return root;
}

it("grades folders and clone URLs, hidden checks included, into one CSV row each, with the errors in a column", async () => {
  const alice = student("alice", "lab01.fixture-sum");
  const bob = student("bob", "lab01.fixture-sum", "lab01.fixture-volume", "lab02.fixture-counter");
  const carol = student("carol", "lab01.fixture-volume");
  git(carol, "commit", "--quiet", "--all", "--message", "Carol's work");
  const missing = path.join(fixture.home, "nobody");
  const list = path.join(fixture.home, "repositories.txt");
  writeFileSync(list, ["# the class", alice, bob, "", `file://${carol}`, `file://${missing}`, ""].join("\n"));
  const out = path.join(fixture.home, "grades.csv");

  const run = await tool(fixture.root, "collect-grades", [
    list,
    "--out",
    out,
    "--work",
    path.join(fixture.home, "work"),
  ]);

  expect(run.code, run.stderr).toBe(0);
  const [header, ...rows] = readFileSync(out, "utf8").trim().split("\n");
  expect(header).toBe("source,lab01.fixture-sum,lab01.fixture-volume,lab02.fixture-counter,total,error");
  // The starter has no hidden check: collect-grades puts it back, so a solved sum is worth all 5.
  expect(rows.slice(0, 3)).toEqual([`${alice},5,0,0,5,`, `${bob},5,3,4,12,`, `file://${carol},0,3,0,3,`]);
  expect(rows[3]).toMatch(new RegExp(`^file://${missing},0,0,0,0,clone failed: .+`));
  expect(run.stdout).toContain("[4/4] file://");
});
