import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "@gps-workshop/service/config";
import { RegionError } from "./regions.ts";

export { UsageError };

/** True in the file that node was asked to run; false where the file is imported. */
export function isMain(meta: ImportMeta): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === meta.filename;
}

/** node:util's parseArgs, strict, its errors made one-line UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // Its messages are clear but can run over several lines: keep the first sentence.
    throw new UsageError(String((error as Error).message).split(/\.\s/)[0]);
  }
}

/**
 * Runs a tool to its exit code. A UsageError is one line on stderr and exit code 2; markers the
 * tools cannot read (RegionError) are one line and exit code 1.
 */
export function runTool(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (!(error instanceof UsageError || error instanceof RegionError)) throw error;
      console.error(`${name}: ${error.message}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

/** The exercise with this id, or a UsageError that lists the ids there are. */
export function exerciseById<T extends { id: string }>(exercises: readonly T[], id: string): T {
  const found = exercises.find((exercise) => exercise.id === id);
  if (found) return found;
  const known =
    exercises.length > 0
      ? `the exercises are ${exercises.map((each) => each.id).join(", ")}`
      : "there are no exercises yet";
  throw new UsageError(`unknown exercise "${id}": ${known}`);
}
