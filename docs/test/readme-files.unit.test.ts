import { globSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/workspace.ts";

// One test file per README, so that vitest runs READMEs in parallel workers.
describe("the README test files", () => {
  it("run the root README and every lab's, each from a file of its own", () => {
    const readmes = ["README.md", ...globSync("labs/*/README.md", { cwd: ROOT })].sort();
    const tested = globSync("docs/test/readme-*.test.ts", { cwd: ROOT })
      .flatMap((file) => [
        ...readFileSync(path.join(ROOT, file), "utf8").matchAll(/describeReadme\("([^"]+)"/g),
      ])
      .map((match) => match[1])
      .sort();
    expect(tested).toEqual(readmes);
  });
});
