import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "csv-stringify/sync";
import { parseCommandLine, runTool, UsageError } from "./cli.ts";
import { GRADE_FILE, gradeSchema } from "./grade-file.ts";
import { exercises } from "./list.ts";
import { ROOT, trackedFiles } from "./repo.ts";
import { isInstructorOnly } from "./starter.ts";

/**
 * `npm run collect-grades -- <list-file> [--out grades.csv] [--work <dir>]`: grades students'
 * repositories without GitHub Classroom. <list-file> holds one clone URL or folder per line (# starts
 * a comment). Each is cloned (shallow) or copied into a work folder, installed with `npm ci`, given
 * back this copy's checks (the hidden ones too) and grading tools, and graded with `npm run grade`.
 * One CSV row per repository: its points per exercise, the total, and an error column for a
 * failed clone or install, or an environment error.
 */
const run = promisify(execFile);
const USAGE = "usage: npm run collect-grades -- <list-file> [--out grades.csv] [--work <folder>]";

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    allowPositionals: true,
    options: { out: { type: "string" }, work: { type: "string" } },
  });
  const [listFile, ...extra] = positionals;
  if (listFile === undefined || extra.length > 0) throw new UsageError(USAGE);
  // npm runs scripts from the repository's root; paths on the command line are the caller's.
  const here = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  if (!existsSync(here(listFile))) throw new UsageError(`cannot read ${listFile}: no such file`);
  const sources = readFileSync(here(listFile), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (sources.length === 0) throw new UsageError(`${listFile} names no repository`);
  const work = values.work ? here(values.work) : mkdtempSync(path.join(tmpdir(), "collect-grades-"));

  const max = exercises.reduce((sum, exercise) => sum + exercise.points, 0);
  const rows: string[][] = [];
  for (const [index, source] of sources.entries()) {
    console.log(`[${index + 1}/${sources.length}] ${source}`);
    const { points, error } = await gradeCopy(
      source,
      here(source),
      path.join(work, String(index + 1).padStart(3, "0")),
    );
    const total = exercises.reduce((sum, { id }) => sum + (points.get(id) ?? 0), 0);
    rows.push([source, ...exercises.map(({ id }) => String(points.get(id) ?? 0)), String(total), error]);
    console.log(`  ${total} of ${max} points${error ? `; ${error}` : ""}`);
  }
  const out = here(values.out ?? "grades.csv");
  writeFileSync(out, stringify([["source", ...exercises.map(({ id }) => id), "total", "error"], ...rows]));
  if (!values.work) rmSync(work, { recursive: true, force: true });
  console.log(`Wrote ${path.relative(process.cwd(), out) || out}: ${rows.length} repositories.`);
  return 0;
}

interface Graded {
  points: Map<string, number>;
  /** Why there is no grade, or not a whole one: a failed clone or install, an environment error. */
  error: string;
}

/** Clones or copies one student's repository into `dir`, installs it, and grades it. */
async function gradeCopy(source: string, local: string, dir: string): Promise<Graded> {
  const none = (error: string): Graded => ({ points: new Map(), error });
  const isFolder = existsSync(local) && statSync(local).isDirectory();
  try {
    if (isFolder)
      cpSync(local, dir, { recursive: true, filter: (file) => path.basename(file) !== "node_modules" });
    // No terminal prompt: a private repository without credentials fails at once instead of waiting.
    else
      await run("git", ["clone", "--quiet", "--depth", "1", source, dir], {
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      });
  } catch (error) {
    return none(`${isFolder ? "copy" : "clone"} failed: ${lastLine(error)}`);
  }
  try {
    await run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir });
  } catch (error) {
    return none(`npm ci failed: ${lastLine(error)}`);
  }
  // The checks and the grader are this copy's, not the student's: edited ones would not count.
  const checkFiles = exercises.flatMap((exercise) => exercise.checks.map((check) => check.file));
  const tools = trackedFiles(ROOT).filter((file) => file.startsWith("exercises/") && !isInstructorOnly(file));
  for (const file of new Set([...checkFiles, ...tools])) cpSync(path.join(ROOT, file), path.join(dir, file));
  rmSync(path.join(dir, GRADE_FILE), { force: true });
  // Exit codes 1 (some check failed) and 3 (environment error) write grade.json too.
  await run("npm", ["run", "grade"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch(() => {});
  const file = path.join(dir, GRADE_FILE);
  if (!existsSync(file)) return none("npm run grade wrote no grade.json");
  const grade = gradeSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const errors = grade.exercises.flatMap((exercise) =>
    exercise.error ? [`${exercise.id}: ${exercise.error}`] : [],
  );
  return {
    points: new Map(grade.exercises.map((exercise) => [exercise.id, exercise.points])),
    error: errors.length > 0 ? `environment error: ${errors.join("; ")}` : "",
  };
}

function lastLine(error: unknown): string {
  const { stderr = "", message = String(error) } = error as { stderr?: string; message?: string };
  const lines = `${stderr}`.split("\n").filter((line) => line.trim() !== "");
  return lines.at(-1) ?? message.split("\n")[0] ?? "";
}

runTool("collect-grades", main);
