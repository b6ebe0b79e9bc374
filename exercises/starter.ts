import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { CLASSROOM_WORKFLOW, classroomWorkflow } from "./classroom.ts";
import { isMain, parseCommandLine, runTool, UsageError } from "./cli.ts";
import { INSTRUCTOR_ONLY, INSTRUCTOR_SCRIPTS } from "./instructor-only.ts";
import { exercises } from "./list.ts";
import { parseRegions, RegionError, replaceRegions, starterRegion } from "./regions.ts";
import { ROOT, trackedFiles } from "./repo.ts";
import type { Exercise } from "./types.ts";

/**
 * `npm run starter -- <dir>`: writes the students' repository from the files git tracks here. It
 * is this repository but for the solution regions (each now an exercise region around a stub),
 * the hidden checks and the other instructor-only files (instructor-only.ts), plus the Classroom
 * workflow; a new git repository, every file staged, ready to commit and publish as a template.
 */
export function writeStarter(root: string, list: readonly Exercise[], out: string): void {
  if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`${out} is not empty`);
  const byId = new Map(list.map((exercise) => [exercise.id, exercise]));
  const tracked = trackedFiles(root);
  const needed = list.flatMap((exercise) => [
    ...exercise.files,
    ...exercise.checks.filter((check) => !check.hidden).map((check) => check.file),
  ]);
  const untracked = [...new Set(needed.filter((file) => !tracked.includes(file)))];
  if (untracked.length > 0) {
    throw new UsageError(
      `the list needs files git does not track (git add them first): ${untracked.join(", ")}`,
    );
  }
  // Every file is made before one is written: a region the list does not know leaves no half starter.
  const files = tracked
    .filter((file) => !isInstructorOnly(file))
    .map((file) => ({ file, content: starterContent(file, readFileSync(path.join(root, file)), byId) }));
  for (const { file, content } of files) {
    const target = path.join(out, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, statSync(path.join(root, file)).mode);
  }
  const workflow = path.join(out, CLASSROOM_WORKFLOW);
  mkdirSync(path.dirname(workflow), { recursive: true });
  writeFileSync(workflow, classroomWorkflow(list));
  execFileSync("git", ["init", "--quiet", "--initial-branch", "main"], { cwd: out });
  execFileSync("git", ["add", "--all"], { cwd: out });
}

/** A file as the starter has it: its regions replaced, the instructor's scripts out of package.json. */
function starterContent(file: string, content: Buffer, byId: Map<string, Exercise>): string | Buffer {
  if (file === "package.json") return withoutInstructorScripts(content.toString("utf8"));
  if (!holdsRegions(file, content)) return content;
  return replaceRegions(content.toString("utf8"), file, (region) => {
    const exercise = byId.get(region.id);
    if (!exercise?.files.includes(file)) {
      throw new RegionError(
        `${file}:${region.start}: region ${region.id} is not an exercise that lists ${file}`,
      );
    }
    return starterRegion(region, exercise, file);
  });
}

export function isInstructorOnly(file: string): boolean {
  return INSTRUCTOR_ONLY.some((pattern) => path.matchesGlob(file, pattern));
}

/**
 * Whether a file may hold regions: any but Markdown (whose examples of markers are not regions)
 * and a file with no marker at all (the sample data, the pictures), which is copied as it is.
 */
export function holdsRegions(file: string, content: Buffer): boolean {
  return !file.endsWith(".md") && content.includes("#region");
}

/** The regions of every file git tracks in `root` that may hold them, by file. */
export function regionsByFile(root: string): Map<string, ReturnType<typeof parseRegions>> {
  const found = new Map<string, ReturnType<typeof parseRegions>>();
  for (const file of trackedFiles(root)) {
    const content = readFileSync(path.join(root, file));
    if (holdsRegions(file, content)) found.set(file, parseRegions(content.toString("utf8"), file));
  }
  return found;
}

function withoutInstructorScripts(text: string): string {
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  for (const script of INSTRUCTOR_SCRIPTS) delete manifest.scripts?.[script];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (isMain(import.meta)) {
  runTool("starter", async () => {
    const { positionals } = parseCommandLine({ allowPositionals: true, options: {} });
    const [dir, ...extra] = positionals;
    if (dir === undefined || extra.length > 0)
      throw new UsageError("usage: npm run starter -- <empty or new folder>");
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), dir);
    writeStarter(ROOT, exercises, out);
    console.log(`Wrote the starter repository to ${out}, ${exercises.length} exercises, every file staged.`);
    console.log(
      `Next: cd ${dir} && git commit -m "Starter" — then publish it (docs/instructor-guide.md, "Grading").`,
    );
    return 0;
  });
}
