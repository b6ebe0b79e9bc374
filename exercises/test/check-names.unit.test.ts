import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkNameProblems } from "./support/check-names.ts";
import { FIXTURE_EXERCISES, makeFixtureRepo } from "./support/fixture-repo.ts";

const fixture = makeFixtureRepo();
afterAll(() => fixture.remove());

describe("the check names, read from the check files without running them", () => {
  it("agree with the list when every listed check is a test and every test a listed check", async () => {
    expect(await checkNameProblems(fixture.root, FIXTURE_EXERCISES)).toEqual([]);
  });

  it("disagree, both ways, when a test is renamed, one is added, and one is duplicated", async () => {
    const file = path.join(fixture.root, "labs/01-fixture/test/exercises/sum.test.ts");
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text
        .replace('it("adds the values"', 'it("adds values"')
        .replace(
          "});\n",
          '  it("is not listed", () => {});\n  it("gives 0 for no values", () => {});\n});\n',
        ),
    );
    expect(await checkNameProblems(fixture.root, FIXTURE_EXERCISES)).toEqual([
      'labs/01-fixture/test/exercises/sum.test.ts: no test named "sum > adds the values"',
      'labs/01-fixture/test/exercises/sum.test.ts: test "sum > adds values" is not a listed check',
      'labs/01-fixture/test/exercises/sum.test.ts: test "sum > is not listed" is not a listed check',
      'labs/01-fixture/test/exercises/sum.test.ts: two tests are named "sum > gives 0 for no values"',
    ]);
  });
});
