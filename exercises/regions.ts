import path from "node:path";
import type { Exercise } from "./types.ts";

/**
 * The code a student writes sits between markers: `// #region solution <id>` and `// #endregion`
 * in TypeScript and JavaScript, `# #region solution <id>` and `# #endregion` in YAML, Dockerfiles,
 * nginx and shell. The starter turns each into `#region exercise <id>` around a stub.
 */
export interface Region {
  id: string;
  kind: "solution" | "exercise";
  comment: "//" | "#";
  /** The opening marker's indentation, which the stub keeps. */
  indent: string;
  /** 1-based line numbers of the opening and the closing marker. */
  start: number;
  end: number;
  /** The lines between the markers. */
  body: string[];
}

export class RegionError extends Error {
  override name = "RegionError";
}

const MARKER = /^\s*(\/\/|#)\s*#(end)?region\b/;
const OPEN = /^(\s*)(\/\/|#) #region (solution|exercise) (lab0\d\.[a-z0-9-]+)$/;
const CLOSE = /^\s*(\/\/|#) #endregion$/;

/** The regions of a file, in order; a RegionError for nested, unclosed or malformed markers. */
export function parseRegions(text: string, file: string): Region[] {
  const lines = text.split("\n");
  const regions: Region[] = [];
  let open: Omit<Region, "end" | "body"> | undefined;
  for (const [index, line] of lines.entries()) {
    if (!MARKER.test(line)) continue;
    const at = `${file}:${index + 1}`;
    const opening = OPEN.exec(line.trimEnd());
    if (opening) {
      const [, indent = "", comment, kind, id = ""] = opening;
      if (open) {
        throw new RegionError(
          `${at}: region ${id} opens inside region ${open.id} (line ${open.start}); regions cannot nest`,
        );
      }
      open = {
        id,
        kind: kind === "solution" ? "solution" : "exercise",
        comment: comment === "#" ? "#" : "//",
        indent,
        start: index + 1,
      };
    } else if (CLOSE.test(line.trimEnd())) {
      if (!open) throw new RegionError(`${at}: #endregion with no #region open before it`);
      regions.push({ ...open, end: index + 1, body: lines.slice(open.start, index) });
      open = undefined;
    } else {
      throw new RegionError(
        `${at}: "${line.trim()}" is not a region marker: write "// #region solution <id>" and "// #endregion" ("#" instead of "//" outside TypeScript and JavaScript)`,
      );
    }
  }
  if (open) throw new RegionError(`${file}:${open.start}: region ${open.id} is never closed with #endregion`);
  return regions;
}

/**
 * `text` with each region, markers included, replaced by the lines `replace` gives for it, or
 * kept when it gives none.
 */
export function replaceRegions(
  text: string,
  file: string,
  replace: (region: Region) => string[] | undefined,
): string {
  const lines = text.split("\n");
  const regions = parseRegions(text, file);
  const replacements = regions.map(replace);
  // From the last region up, so that the line numbers of the ones above stay right.
  for (const [index, region] of [...regions.entries()].reverse()) {
    const replacement = replacements[index];
    if (replacement) lines.splice(region.start - 1, region.end - region.start + 1, ...replacement);
  }
  return lines.join("\n");
}

const CODE = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);
/** biome.json's lineWidth: the stub is laid out as the formatter would, so the starter lints. */
const LINE_WIDTH = 110;

/** A region as the starter has it: exercise markers around the first hint (and a throw, in code). */
export function starterRegion(
  region: Region,
  exercise: Pick<Exercise, "id" | "title" | "hints">,
  file: string,
): string[] {
  const { indent, comment, id } = region;
  const hint = `${indent}${comment} Hint: ${(exercise.hints[0] ?? "").replaceAll("\n", " ")}`;
  const stub = [hint];
  if (CODE.has(path.extname(file))) {
    const message = quote(`TODO(${id}): ${exercise.title} — see npm run exercises -- hint ${id}`);
    const throwLine = `${indent}throw new Error(${message});`;
    if (throwLine.length <= LINE_WIDTH) stub.push(throwLine);
    else stub.push(`${indent}throw new Error(`, `${indent}  ${message},`, `${indent});`);
  }
  return [`${indent}${comment} #region exercise ${id}`, ...stub, `${indent}${comment} #endregion`];
}

/** A string literal as Biome writes it: double quotes, unless the text holds more of them than single ones. */
function quote(text: string): string {
  const count = (mark: string) => text.split(mark).length - 1;
  const mark = count('"') > count("'") ? "'" : '"';
  return `${mark}${text.replaceAll("\\", "\\\\").replaceAll(mark, `\\${mark}`)}${mark}`;
}

/**
 * `text` (a student's file) with the regions of `id` holding what they hold in `solution` (the
 * instructor's file), in order, under the solution's markers.
 */
export function withSolution(text: string, solution: string, file: string, id: string): string {
  const solved = parseRegions(solution, file).filter((region) => region.id === id);
  return replaceRegions(text, file, (region) => {
    if (region.id !== id) return undefined;
    const from = solved.shift();
    if (!from) throw new RegionError(`${file}: more regions ${id} than in the solution`);
    return [
      `${from.indent}${from.comment} #region solution ${id}`,
      ...from.body,
      `${from.indent}${from.comment} #endregion`,
    ];
  });
}
