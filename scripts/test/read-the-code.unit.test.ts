import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DocsError, lineCount, ROOT, readmes, updateCounts } from "../read-the-code.ts";

const relative = (file: string) => path.relative(ROOT, file);

/** Every README as the counts would rewrite it. */
const checked = readmes().map((readme) => ({
  readme: relative(readme),
  ...updateCounts(readFileSync(readme, "utf8"), path.dirname(readme)),
}));

describe("the READMEs' Read the code sections", () => {
  it("state each file's line count as wc -l counts it (npm run docs:counts sets them)", () => {
    const wrong = checked.flatMap(({ readme, rows }) =>
      rows
        .filter(({ stated, actual }) => stated !== String(actual))
        .map(({ file, stated, actual }) => `${readme}: ${relative(file)} says ${stated}, wc -l ${actual}`),
    );
    expect(wrong).toEqual([]);
  });

  it("state sizes that wc -l confirms (npm run docs:counts sets them)", () => {
    const wrong = checked.flatMap(({ readme, summaries }) =>
      summaries
        .filter(({ stated, actual }) => stated.files !== actual.files || stated.lines !== actual.lines)
        .map(
          ({ command, stated, actual }) =>
            `${readme}: wc -l ${command}: ${JSON.stringify({ stated, actual })}`,
        ),
    );
    expect(wrong).toEqual([]);
  });

  it("give every lab a table of its files and a size summary", () => {
    const labs = checked.filter(({ readme }) => readme.startsWith("labs/"));
    expect(labs.map(({ readme }) => readme)).toEqual([
      "labs/01-simplest/README.md",
      "labs/02-rest/README.md",
      "labs/03-pubsub/README.md",
      "labs/04-orchestration/README.md",
    ]);
    for (const { rows, summaries } of labs) {
      expect(rows.length).toBeGreaterThan(5);
      expect(summaries.length).toBeGreaterThan(0);
    }
  });
});

describe("updateCounts", () => {
  async function folderWith(file: string, text: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "read-the-code-"));
    await writeFile(path.join(dir, file), text);
    return dir;
  }

  it("sets a wrong count to the file's, and lays the table out again", async () => {
    const dir = await folderWith("three.ts", "a\nb\nc\n");
    const readme = [
      "# Lab",
      "## Read the code",
      "| File | Lines | What it does |",
      "| --- | ---: | --- |",
      "| [`three.ts`](three.ts) | 7 | three lines |",
      "## Next",
      "| File | Lines |",
      "| --- | ---: |",
      "| [`three.ts`](three.ts) | 7 |",
    ].join("\n");
    const updated = updateCounts(readme, dir);
    expect(updated.rows).toEqual([{ file: path.join(dir, "three.ts"), stated: "7", actual: 3 }]);
    expect(updated.text.split("\n")).toEqual([
      "# Lab",
      "## Read the code",
      "| File                   | Lines | What it does |",
      "| ---------------------- | ----: | ------------ |",
      "| [`three.ts`](three.ts) |     3 | three lines  |",
      // Outside the section: left as it was.
      "## Next",
      "| File | Lines |",
      "| --- | ---: |",
      "| [`three.ts`](three.ts) | 7 |",
    ]);
  });

  it("sets a size summary to what wc -l counts from the repository root, even across a line break", () => {
    const file = "scripts/read-the-code.ts";
    const readme = `## Read the code\n\nThe counter: 2 files, 1 lines\n(\`wc -l ${file}\`).\n`;
    const updated = updateCounts(readme, ROOT);
    expect(updated.text).toBe(
      `## Read the code\n\nThe counter: 1 file, ${lineCount(path.join(ROOT, file))} lines\n(\`wc -l ${file}\`).\n`,
    );
  });

  it("counts the lines as wc -l does: a last line without its newline is not one", async () => {
    const dir = await folderWith("two.ts", "a\nb\nno newline");
    expect(lineCount(path.join(dir, "two.ts"))).toBe(2);
  });

  it("names the row, or the command, that points at no file", async () => {
    const dir = await folderWith("one.ts", "a\n");
    const table = (cell: string) => `## Read the code\n| File | Lines |\n| --- | ---: |\n| ${cell} | 1 |\n`;
    expect(() => updateCounts(table("`one.ts`"), dir)).toThrow(
      new DocsError("a row of a Read the code table links to no file: `one.ts`"),
    );
    expect(() => updateCounts(table("[gone](gone.ts)"), dir)).toThrow(/cannot count the lines of .*gone\.ts/);
    expect(() => updateCounts("3 files, 9 lines (`wc -l nowhere/*.ts`)", dir)).toThrow(
      new DocsError("`wc -l nowhere/*.ts` names no file"),
    );
  });
});
