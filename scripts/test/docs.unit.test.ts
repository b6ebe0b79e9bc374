import { existsSync, globSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../read-the-code.ts";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** A line as the comparison sees it: indentation, trailing spaces and runs of spaces aside. */
const normal = (line: string) => line.trim().replace(/\s+/g, " ");

/** Fenced blocks that are not code: shell commands, their output, plain-text drawings. */
const NOT_CODE = new Set(["", "sh", "console", "text", "mermaid"]);
const SOURCE = /^<!-- source: (\S+) -->$/;

interface Excerpt {
  line: number;
  language: string;
  source: string | undefined;
  code: string[];
}

/** The fenced blocks of a Markdown text, each with the `<!-- source: … -->` comment right above it. */
function fencedBlocks(markdown: string): { excerpts: Excerpt[]; orphanSources: number[] } {
  const lines = markdown.split("\n");
  const excerpts: Excerpt[] = [];
  const orphanSources: number[] = [];
  let previous = ""; // the last non-blank line outside a block
  let previousAt = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const fence = /^```(\S*)/.exec(line);
    if (!fence) {
      if (line.trim() === "") continue;
      if (SOURCE.test(previous)) orphanSources.push(previousAt + 1);
      previous = line;
      previousAt = index;
      continue;
    }
    const start = index;
    const code: string[] = [];
    while (index + 1 < lines.length && !(lines[index + 1] ?? "").startsWith("```"))
      code.push(lines[++index] ?? "");
    index++;
    excerpts.push({ line: start + 1, language: fence[1] ?? "", source: SOURCE.exec(previous)?.[1], code });
    previous = "";
  }
  return { excerpts, orphanSources };
}

/** The markers of an exercise's solution region: tooling comments that slides leave out. */
const REGION_MARKER = /^(\/\/|#) #(region solution \S+|endregion)$/;

/**
 * Where the excerpt's lines stop matching the file's, or undefined when they all appear in a row
 * (blank lines and region markers aside).
 */
function mismatch(code: string[], file: string): string | undefined {
  const wanted = code.map(normal).filter((line) => line !== "");
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .map(normal)
    .filter((line) => line !== "" && !REGION_MARKER.test(line));
  let best = 0;
  for (let start = 0; start < lines.length; start++) {
    let matched = 0;
    while (matched < wanted.length && lines[start + matched] === wanted[matched]) matched++;
    if (matched === wanted.length) return undefined;
    best = Math.max(best, matched);
  }
  return `no line of the file matches ${JSON.stringify(wanted[best])} after the ${best} line(s) before it`;
}

describe("the code on the slides", () => {
  const { excerpts, orphanSources } = fencedBlocks(read("docs/slides.md"));
  const code = excerpts.filter(({ language }) => !NOT_CODE.has(language));

  it("names its source file above each excerpt, in a <!-- source: … --> comment", () => {
    expect(code.length).toBeGreaterThan(10);
    expect(code.filter(({ source }) => source === undefined).map(({ line }) => `line ${line}`)).toEqual([]);
    expect(orphanSources.map((line) => `line ${line}: a source comment with no code block under it`)).toEqual(
      [],
    );
  });

  it("is the code of those files today, whitespace aside", () => {
    const wrong = code.flatMap(({ line, source = "" }) => {
      const file = path.join(ROOT, source);
      if (!existsSync(file)) return [`line ${line}: ${source} does not exist`];
      const why = mismatch(excerpts.find((excerpt) => excerpt.line === line)?.code ?? [], file);
      return why ? [`line ${line}, ${source}: ${why}`] : [];
    });
    expect(wrong).toEqual([]);
  });
});

describe("the excerpt check", () => {
  const file = path.join(ROOT, "shared/src/record.ts");

  it("finds lines of a file with another indentation, its blank lines left out", () => {
    expect(
      mismatch(
        [
          "export type GpsRecord = z.infer<typeof GpsRecordSchema>;",
          "",
          "  /** The field names in wire order. */",
        ],
        file,
      ),
    ).toBeUndefined();
  });

  it("says which line of an excerpt the file does not have, or not in that order", () => {
    expect(
      mismatch(["export type GpsRecord = z.infer<typeof GpsRecordSchema>;", "const gone = 1;"], file),
    ).toBe('no line of the file matches "const gone = 1;" after the 1 line(s) before it');
    expect(
      mismatch(
        ["/** The field names in wire order. */", "export type GpsRecord = z.infer<typeof GpsRecordSchema>;"],
        file,
      ),
    ).toMatch(/after the 1 line/);
  });

  it("tells code from commands and output, and a source comment from the block under it", () => {
    const markdown = [
      "<!-- source: a.ts -->",
      "",
      "```ts",
      "x",
      "```",
      "```sh",
      "npm ci",
      "```",
      "<!-- source: b.ts -->",
      "text",
    ].join("\n");
    const { excerpts, orphanSources } = fencedBlocks(markdown);
    expect(excerpts).toEqual([
      { line: 3, language: "ts", source: "a.ts", code: ["x"] },
      { line: 6, language: "sh", source: undefined, code: ["npm ci"] },
    ]);
    expect(orphanSources).toEqual([9]);
  });
});

/** `{a,b}` alternatives expanded: "shared/service/{config,http}.ts" is two paths. */
function expandBraces(text: string): string[] {
  const match = /\{([^{}]*)\}/.exec(text);
  if (!match) return [text];
  return (match[1] ?? "").split(",").flatMap((choice) => expandBraces(text.replace(match[0], choice)));
}

/** Paths of the repository in running text; not those inside an image (`/workshop/…`, `dist/`). */
const REPO_PATH =
  /(?<![\w/.@-])(?:(?:labs|shared|scripts|bench|docs)\/[\w./{},*-]*|docker-compose-[\w.*-]+\.yml)/g;

/** The repository paths a Markdown file names: its links, paths in its text, the service library's modules. */
function namedPaths(markdown: string, dir: string): { named: string; files: string[] }[] {
  const named: { named: string; files: string[] }[] = [];
  for (const [, target = ""] of markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    // A link from the repository's root (/shared/README.md), as GitHub reads it, or from the file's folder.
    named.push({
      named: target,
      files: [target.startsWith("/") ? path.join(ROOT, target) : path.resolve(dir, target)],
    });
  }
  const candidates: [string, string][] = [];
  for (const [module = ""] of markdown.matchAll(/@gps-workshop\/service\/(?:\{[\w,]+\}|\w+)/g)) {
    const names = expandBraces(module.replace("@gps-workshop/service/", ""));
    candidates.push(...names.map((name): [string, string] => [module, `shared/service/${name}.ts`]));
  }
  for (const [match = ""] of markdown.matchAll(REPO_PATH)) {
    const text = match.replace(/[.,]+$/, "");
    if (!text.includes("/dist/"))
      candidates.push(...expandBraces(text).map((file): [string, string] => [text, file]));
  }
  for (const [text, candidate] of candidates) {
    const files = candidate.includes("*") ? globSync(candidate, { cwd: ROOT }) : [candidate];
    named.push({
      named: text,
      files: (files.length ? files : [candidate]).map((file) => path.join(ROOT, file)),
    });
  }
  return named;
}

describe("docs/architecture.md", () => {
  it("names only files and folders that exist", () => {
    const named = namedPaths(read("docs/architecture.md"), path.join(ROOT, "docs"));
    expect(named.length).toBeGreaterThan(30);
    const missing = named.flatMap(({ named, files }) =>
      files.filter((file) => !existsSync(file)).map((file) => `${named}: ${path.relative(ROOT, file)}`),
    );
    expect(missing).toEqual([]);
  });
});
