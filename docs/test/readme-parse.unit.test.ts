import { describe, expect, it } from "vitest";
import { commands, parseReadme } from "./support/readme.ts";

const fence = "```";

describe("parseReadme", () => {
  it("reads headings, marked blocks in either form, output blocks and stops, in order", () => {
    const readme = parseReadme(
      [
        "# Lab",
        "## 1. Start",
        "<!-- docs: background as listener until 'listening' -->",
        `${fence}sh`,
        "docker run --rm --name listener gps-workshop/lab01-node",
        fence,
        "<!-- docs: output of listener -->",
        fence,
        "listener: listening on port 12345",
        fence,
        `${fence}sh run in labs/01-simplest`,
        "npm ci",
        fence,
        "<!-- docs: stop listener -->",
        `${fence}json`,
        '{"not": "run"}',
        fence,
      ].join("\n"),
    );
    expect(readme.problems).toEqual([]);
    expect(readme.markers).toBe(4);
    expect(readme.steps.map((step) => [step.type, step.line])).toEqual([
      ["heading", 1],
      ["heading", 2],
      ["shell", 4],
      ["output", 8],
      ["shell", 11],
      ["stop", 14],
    ]);
    expect(readme.steps[4]).toMatchObject({ marker: { kind: "run", folder: "labs/01-simplest" } });
  });

  it("finds blocks inside list items, marked by an indented comment", () => {
    const readme = parseReadme(
      [
        "1. **A third publisher.**",
        "",
        "   <!-- docs: skip: Windows only -->",
        `   ${fence}sh`,
        "   wsl --shutdown",
        `   ${fence}`,
      ].join("\n"),
    );
    expect(readme.problems).toEqual([]);
    expect(readme.steps).toMatchObject([
      { type: "shell", line: 4, marker: { kind: "skip", reason: "Windows only" } },
    ]);
  });

  it("reports every shell block without a marker, plain blocks with prompts included", () => {
    const readme = parseReadme(
      [
        `${fence}bash`,
        "ls",
        fence,
        "",
        fence,
        "$ ls",
        "README.md",
        fence,
        "",
        fence,
        "just text",
        fence,
      ].join("\n"),
    );
    expect(readme.problems.map((problem) => problem.line)).toEqual([1, 5]);
    expect(readme.problems[0]?.message).toContain("a shell block without a marker");
    expect(readme.markers).toBe(0);
  });

  it("reports markers that are wrong, misplaced, or doubled", () => {
    const readme = parseReadme(
      [
        "<!-- docs: skip -->",
        `${fence}sh`,
        "ls",
        fence,
        "<!-- docs: run -->",
        "",
        "Some text.",
        "",
        "<!-- docs: stop nobody -->",
        "",
        `${fence}text run`,
        "x",
        fence,
        "<!-- docs: run -->",
        `${fence}sh run`,
        "ls",
        fence,
        "<!-- docs: output -->",
        `${fence}sh`,
        "ls",
        fence,
        "<!-- docs: run -->",
        `${fence}sh`,
        "# nothing but a comment",
        fence,
      ].join("\n"),
    );
    expect(readme.problems.map(({ line, message }) => `${line}: ${message}`)).toEqual([
      '2: "skip": a skip needs a reason, e.g. "skip: Windows only"',
      '5: "run": a marker must be on the line above a code block',
      "9: stop nobody: no background block above is named so",
      '11: "run" marks a shell block; this block is text',
      "15: two markers: one in the comment above and one after the language",
      "19: output marks a block that shows output, not a shell block",
      "23: a shell block without a command",
    ]);
  });
});

describe("commands", () => {
  it("splits a block into whole commands, across continuations, loops and here-documents", () => {
    const block = [
      "# build first",
      "docker build -t x \\",
      "  -f Dockerfile .",
      "",
      "for role in a b; do",
      "  echo $role",
      "done",
      "cat <<EOF",
      "hello",
      "EOF",
      'echo "done"   # a comment',
    ].join("\n");
    expect(commands(block, 10).map(({ line, text }) => [line, text])).toEqual([
      [11, "docker build -t x \\\n  -f Dockerfile ."],
      [14, "for role in a b; do\n  echo $role\ndone"],
      [17, "cat <<EOF\nhello\nEOF"],
      [20, 'echo "done"   # a comment'],
    ]);
  });

  it("reads prompts as commands and the lines after them as their shown output", () => {
    const block = ["$ echo one \\", "> two", "one two", "$ false", "$ ls", "README.md", "docs"].join("\n");
    expect(commands(block, 3)).toEqual([
      { line: 3, text: "echo one \\\ntwo", shown: ["one two"] },
      { line: 6, text: "false", shown: [] },
      { line: 7, text: "ls", shown: ["README.md", "docs"] },
    ]);
  });
});
