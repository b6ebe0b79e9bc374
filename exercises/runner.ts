import { exerciseById, parseCommandLine, runTool, UsageError } from "./cli.ts";
import { exercises } from "./list.ts";
import { printProgress, statuses } from "./progress.ts";
import { writeReadmeTables } from "./readme.ts";
import { ROOT } from "./repo.ts";
import { reset } from "./reset.ts";
import { readState, type State, writeState } from "./state.ts";
import type { Exercise } from "./types.ts";
import { watch } from "./watch.ts";

/**
 * `npm run exercises`: the student's guide through the graded exercises, after Rustlings. With no
 * command, the progress table and the next exercise; `--watch` checks it on every save; `hint`,
 * `reset` and `readme` below.
 */
const USAGE = "usage: npm run exercises [-- --watch [<id>] | hint <id> | reset <id> [--yes] | readme]";

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    allowPositionals: true,
    options: { watch: { type: "boolean" }, yes: { type: "boolean" } },
  });
  const [command, argument, ...extra] = positionals;
  const state = readState(ROOT);
  if (values.watch) {
    if (argument !== undefined) throw new UsageError(USAGE);
    return watch(
      ROOT,
      exercises,
      state,
      command === undefined ? undefined : exerciseById(exercises, command),
    );
  }
  if (extra.length > 0 || (values.yes && command !== "reset")) throw new UsageError(USAGE);
  switch (command) {
    case undefined: {
      const status = await statuses(ROOT, exercises, state);
      writeState(ROOT, state);
      printProgress(ROOT, exercises, status);
      return 0;
    }
    case "hint":
      return hint(state, exerciseById(exercises, need(argument)));
    case "reset":
      return reset(ROOT, exerciseById(exercises, need(argument)), values.yes ?? false);
    case "readme":
      if (argument !== undefined) throw new UsageError(USAGE);
      return readme();
    default:
      throw new UsageError(`unknown command "${command}"; ${USAGE}`);
  }
}

function need(id: string | undefined): string {
  if (id === undefined) throw new UsageError(`which exercise? ${USAGE}`);
  return id;
}

/** `hint <id>`: the next hint of the exercise, from gentle to nearly the answer. */
function hint(state: State, exercise: Exercise): number {
  const seen = state.hints[exercise.id] ?? 0;
  const count = exercise.hints.length;
  if (seen >= count) {
    console.log(`No more hints for ${exercise.id}: you have seen all ${count}. The last one again:`);
    console.log(`  ${exercise.hints[count - 1]}`);
    return 0;
  }
  console.log(`Hint ${seen + 1} of ${count} for ${exercise.id}:\n  ${exercise.hints[seen]}`);
  if (seen + 1 === count) console.log("That was the last one.");
  state.hints[exercise.id] = seen + 1;
  writeState(ROOT, state);
  return 0;
}

/** `readme`: rewrites each lab README's exercise table from the list. */
function readme(): number {
  const { written, unmarked } = writeReadmeTables(ROOT, exercises);
  for (const file of written) console.log(`${file}: exercise table rewritten`);
  if (written.length === 0) console.log("Every exercise table already agrees with the list.");
  for (const file of unmarked) {
    console.error(`${file} has exercises but no <!-- exercises:start --> and <!-- exercises:end --> markers`);
  }
  return unmarked.length > 0 ? 1 : 0;
}

runTool("exercises", main);
