import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { parseRegions, replaceRegions, starterRegion } from "./regions.ts";
import type { Exercise } from "./types.ts";

/**
 * `npm run exercises -- reset <id> [--yes]`: shows what the exercise's regions hold and the
 * starter's version that will replace them, asks (unless --yes), then writes the starter's version.
 */
export async function reset(root: string, exercise: Exercise, yes: boolean): Promise<number> {
  const changes = exercise.files
    .filter((file) => existsSync(path.join(root, file)))
    .flatMap((file) => {
      const before = readFileSync(path.join(root, file), "utf8");
      const regions = parseRegions(before, file).filter((region) => region.id === exercise.id);
      const after = replaceRegions(before, file, (region) =>
        region.id === exercise.id ? starterRegion(region, exercise, file) : undefined,
      );
      return regions.length > 0 ? [{ file, regions, after }] : [];
    });
  if (changes.length === 0) {
    console.error(
      `reset: no region ${exercise.id} in ${exercise.files.join(", ")} (git restore brings its markers back)`,
    );
    return 1;
  }
  for (const { file, regions } of changes) {
    for (const region of regions) {
      console.log(`${file}:${region.start}-${region.end}, now:`);
      for (const line of region.body) console.log(`- ${line}`);
      console.log("becomes:");
      for (const line of starterRegion(region, exercise, file).slice(1, -1)) console.log(`+ ${line}`);
    }
  }
  if (!yes && !(await confirm(`Put the starter's version of ${exercise.id} back? (y/N) `))) {
    console.log("Nothing changed.");
    return 0;
  }
  for (const { file, after } of changes) writeFileSync(path.join(root, file), after);
  console.log(
    `${exercise.id} is back to the starter's version in ${changes.map(({ file }) => file).join(", ")}.`,
  );
  return 0;
}

/** Asks a yes/no question on the terminal; anything but y or yes (or no answer at all) is no. */
async function confirm(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await Promise.race([
    terminal.question(question),
    new Promise<string>((resolve) => terminal.once("close", () => resolve(""))),
  ]);
  terminal.close();
  return /^y(es)?$/i.test(answer.trim());
}
