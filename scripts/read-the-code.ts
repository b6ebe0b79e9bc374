/**
 * The "Read the code" sections of the READMEs: a table of the files in reading order, each with
 * its number of lines, and size summaries such as "6 files, 585 lines (`wc -l labs/02-rest/src/api/*.ts`)".
 * A count is what `wc -l` prints: the number of newline characters in the file.
 * `npm run docs:counts` rewrites them (docs-counts.ts); a unit test checks them.
 */
import { globSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** A README that names a file that is not there: one line, for the command's output. */
export class DocsError extends Error {
  override name = "DocsError";
}

/** Every README.md of the repository, its dependencies and build outputs aside. */
export function readmes(root = ROOT): string[] {
  const skipped = new Set(["node_modules", "dist", "test-results"]);
  return globSync("**/README.md", { cwd: root, exclude: (name) => skipped.has(path.basename(name)) })
    .sort()
    .map((file) => path.join(root, file));
}

/** What `wc -l` prints for the file. */
export function lineCount(file: string): number {
  try {
    return readFileSync(file, "utf8").split("\n").length - 1;
  } catch (error) {
    throw new DocsError(
      `cannot count the lines of ${path.relative(ROOT, file)}: ${(error as Error).message}`,
    );
  }
}

/** One row of a "Read the code" table: the file it links to, the count it states, the true count. */
export interface CountedRow {
  file: string;
  stated: string;
  actual: number;
}

/** One size summary: "N files, M lines (`wc -l <globs>`)", as stated and as counted. */
export interface Summary {
  command: string;
  stated: { files: number; lines: number };
  actual: { files: number; lines: number };
}

const HEADING = /^(#{1,6}) /;
const LINK = /\[[^\]]*\]\(([^)\s]+)\)/;
/** "6 files, 585 lines (`wc -l …`)", "8 templates, 155 lines (`wc -l …`)": the numbers and the command. */
const SUMMARY = /(\d+) ([a-z][a-z ]*?), (\d+) lines(\s+)\(`wc -l ([^`]+)`\)/g;

/** The line ranges [start, end) of the "Read the code" sections, code blocks aside. */
function sections(lines: string[]): [number, number][] {
  const found: [number, number][] = [];
  let fenced = false;
  let open: { start: number; level: number } | undefined;
  lines.forEach((line, index) => {
    if (line.startsWith("```")) fenced = !fenced;
    const level = fenced ? undefined : HEADING.exec(line)?.[1]?.length;
    if (level === undefined) return;
    if (open && level <= open.level) {
      found.push([open.start, index]);
      open = undefined;
    }
    if (/^#+ Read the code\s*$/.test(line)) open = { start: index + 1, level };
  });
  if (open) found.push([open.start, lines.length]);
  return found;
}

/** The cells of a table row, without the outer pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** A table laid out as the Markdown formatters do: every column as wide as its widest cell. */
export function formatTable(rows: string[][]): string[] {
  const [header = [], delimiter = [], ...body] = rows;
  const right = delimiter.map((cell) => cell.endsWith(":") && !cell.startsWith(":"));
  const width = (column: number) =>
    Math.max(3, ...[header, ...body].map((row) => [...(row[column] ?? "")].length));
  const pad = (cell: string, column: number) => {
    const fill = " ".repeat(width(column) - [...cell].length);
    return right[column] ? fill + cell : cell + fill;
  };
  const line = (row: string[]) =>
    `| ${header.map((_, column) => pad(row[column] ?? "", column)).join(" | ")} |`;
  const rule = header.map((_, column) => {
    const dashes = "-".repeat(width(column));
    return right[column] ? `${dashes.slice(1)}:` : dashes;
  });
  return [line(header), `| ${rule.join(" | ")} |`, ...body.map(line)];
}

/**
 * The README's text with every count of its "Read the code" tables and every size summary set
 * to the files' true counts, and its tables laid out again. `dir` is the README's folder: the
 * tables' links are relative to it; a summary's `wc -l` runs from the repository root.
 */
export function updateCounts(
  text: string,
  dir: string,
): { text: string; rows: CountedRow[]; summaries: Summary[] } {
  const lines = text.split("\n");
  const rows: CountedRow[] = [];
  for (const [start, end] of sections(lines)) {
    let index = start;
    while (index < end) {
      if (!lines[index]?.startsWith("|")) {
        index++;
        continue;
      }
      const first = index;
      while (index < end && lines[index]?.startsWith("|")) index++;
      const table = lines.slice(first, index).map(cells);
      const column = table[0]?.indexOf("Lines") ?? -1;
      if (column < 0) continue;
      for (const row of table.slice(2)) {
        const target = LINK.exec(row[0] ?? "")?.[1];
        if (target === undefined)
          throw new DocsError(`a row of a Read the code table links to no file: ${row[0]}`);
        const file = path.resolve(dir, decodeURI(target));
        const actual = lineCount(file);
        rows.push({ file, stated: row[column] ?? "", actual });
        row[column] = String(actual);
      }
      lines.splice(first, table.length, ...formatTable(table));
    }
  }
  const summaries: Summary[] = [];
  const summarize = (
    _match: string,
    files: string,
    noun: string,
    count: string,
    space: string,
    command: string,
  ) => {
    const summary = {
      command,
      stated: { files: Number(files), lines: Number(count) },
      actual: wcLines(command),
    };
    summaries.push(summary);
    const { actual } = summary;
    const named = noun === "file" || noun === "files" ? (actual.files === 1 ? "file" : "files") : noun;
    return `${actual.files} ${named}, ${actual.lines} lines${space}(\`wc -l ${command}\`)`;
  };
  return { text: lines.join("\n").replace(SUMMARY, summarize), rows, summaries };
}

/** What `wc -l <patterns>` counts, run from the repository root: the files, and their lines in all. */
function wcLines(command: string): { files: number; lines: number } {
  const files = new Set(
    command
      .trim()
      .split(/\s+/)
      .flatMap((pattern) => globSync(pattern, { cwd: ROOT })),
  );
  if (files.size === 0) throw new DocsError(`\`wc -l ${command}\` names no file`);
  let lines = 0;
  for (const file of files) lines += lineCount(path.join(ROOT, file));
  return { files: files.size, lines };
}
