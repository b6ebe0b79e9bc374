import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Exercise } from "./types.ts";

const START = "<!-- exercises:start -->";
const END = "<!-- exercises:end -->";

/** A lab's README: labs/<lab>-<name>/README.md. */
function readmeOf(root: string, lab: string): string | undefined {
  const folder = readdirSync(path.join(root, "labs")).find((name) => name.startsWith(`${lab}-`));
  return folder && path.join("labs", folder, "README.md");
}

/** The table of a lab's exercises, with the line under it, as it goes between the markers. */
export function exerciseTable(list: readonly Exercise[]): string {
  const rows = [
    ["Exercise", "Points", "What you write"],
    ...list.map((exercise) => [
      `\`${exercise.id}\``,
      String(exercise.points),
      exercise.title.replaceAll("|", "\\|"),
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const total = list.reduce((sum, exercise) => sum + exercise.points, 0);
  return [
    line(rows[0] ?? []),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.slice(1).map(line),
    "",
    `${total} points in this lab. \`npm run exercises\` shows your progress and the next exercise to write.`,
  ].join("\n");
}

export interface ReadmeTable {
  readme: string;
  /** The README with its table as the list says; undefined when it has no markers. */
  expected: string | undefined;
  actual: string;
}

/** Each lab README that has exercises or markers, with its table as the list says it should be. */
export function readmeTables(root: string, list: readonly Exercise[]): ReadmeTable[] {
  const labs = readdirSync(path.join(root, "labs")).map((folder) => folder.slice(0, 2));
  return labs.flatMap((lab): ReadmeTable[] => {
    const readme = readmeOf(root, lab);
    if (!readme || !existsSync(path.join(root, readme))) return [];
    const actual = readFileSync(path.join(root, readme), "utf8");
    const mine = list.filter((exercise) => exercise.lab === lab);
    const start = actual.indexOf(START);
    const end = actual.indexOf(END);
    if (start === -1 || end < start) return mine.length > 0 ? [{ readme, expected: undefined, actual }] : [];
    const table = `${START}\n\n${mine.length > 0 ? exerciseTable(mine) : "No graded exercises in this lab yet."}\n\n`;
    return [{ readme, expected: actual.slice(0, start) + table + actual.slice(end), actual }];
  });
}

/** Rewrites the tables that differ from the list; the READMEs that have exercises but no markers. */
export function writeReadmeTables(
  root: string,
  list: readonly Exercise[],
): { written: string[]; unmarked: string[] } {
  const written: string[] = [];
  const unmarked: string[] = [];
  for (const { readme, expected, actual } of readmeTables(root, list)) {
    if (expected === undefined) unmarked.push(readme);
    else if (expected !== actual) {
      writeFileSync(path.join(root, readme), expected);
      written.push(readme);
    }
  }
  return { written, unmarked };
}
