import { type FSWatcher, watch as watchFolder } from "node:fs";
import path from "node:path";
import type { RedisServer } from "@gps-workshop/shared/testing/redis";
import { type Checker, type Outcome, openChecker } from "./checks.ts";
import { describe, publicChecks } from "./progress.ts";
import { trackedFiles } from "./repo.ts";
import { filesHash, type State, statusOf, writeState } from "./state.ts";
import type { Check, Exercise } from "./types.ts";

/** Written by the tools, vitest and npm, never by the student. */
const IGNORED = new Set([
  ".exercises-state.json",
  "grade.json",
  "node_modules",
  ".git",
  "test-results",
  "dist",
]);

/** How long saves settle before a run: an editor writes a file in several steps. */
const DEBOUNCE_MS = 150;

/**
 * `npm run exercises -- --watch [<id>]`: checks the current exercise (the first not done, or <id>)
 * with its public checks, then again on every save of a file git tracks, printing a verdict and
 * the first failure's message. When it passes, the verdict is kept and the next exercise starts.
 * Redis-backed checks share one Redis container for the whole watch (REDIS_URL: the harness gives
 * each check file a key prefix of its own). Ctrl-C stops it all and exits 0.
 */
export async function watch(
  root: string,
  list: readonly Exercise[],
  state: State,
  from?: Exercise,
): Promise<number> {
  const next = () => list.find((exercise) => statusOf(root, state, exercise) !== "done");
  let current = from ?? next();
  let redis: RedisServer | undefined;
  let checker: Checker | undefined;
  const changed = new Set<string>();

  /** The checker for this exercise: reopened once, with REDIS_URL, when a first one needs Redis. */
  const checkerFor = async (exercise: Exercise): Promise<Checker> => {
    if (exercise.needs === "redis" && !redis) {
      // Loaded only now: Testcontainers takes a moment to load, and most runs need no Redis.
      const { startRedisServer } = await import("@gps-workshop/shared/testing/redis");
      redis = await startRedisServer();
      console.log(`Redis for the checks: ${redis.url}`);
      await checker?.close();
      checker = undefined;
    }
    checker ??= await openChecker(root, redis ? { REDIS_URL: redis.url } : {});
    return checker;
  };

  /** Checks the current exercise, and the next ones while they pass; true once all are done. */
  const check = async (): Promise<boolean> => {
    while (current) {
      const exercise = current;
      let outcomes: Map<Check, Outcome>;
      try {
        const active = await checkerFor(exercise);
        for (const file of changed) active.changed(file);
        changed.clear();
        outcomes = await active.run(publicChecks(exercise));
      } catch (error) {
        console.log(`${stamp()} environment error: ${(error as Error).message}`);
        return false;
      }
      const verdict = verdictOf(exercise, outcomes);
      console.log(`${stamp()} ${verdict.text}`);
      if (verdict.passed === undefined) return false;
      state.verdicts[exercise.id] = { hash: filesHash(root, exercise), passed: verdict.passed };
      writeState(root, state);
      if (!verdict.passed) return false;
      current = next();
      if (current)
        console.log(`\nWatching ${describe(root, current)}\nSave a file to check again; Ctrl-C stops.`);
    }
    console.log("\nEvery exercise passes its checks: `npm run grade` gives the grade Classroom will give.");
    return true;
  };

  // One watcher per folder of tracked files, so that node_modules and the like are never walked;
  // what the tools and the tests write there themselves is no save of the student's.
  const folders = new Set(trackedFiles(root).map((file) => path.dirname(file)));
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const watcher of watchers) watcher.close();
    clearTimeout(timer);
    await checker?.close();
    await redis?.close();
    process.exit(0);
  };
  /** Runs the checks after the runs already queued; stops the watch once every exercise is done. */
  const enqueue = () => {
    queue = queue.then(check).then((done) => (done ? stop() : undefined));
  };
  const watchers: FSWatcher[] = [...folders].map((folder) =>
    watchFolder(path.join(root, folder), (_event, name) => {
      const file = path.join(folder, String(name));
      if (!name || file.split(path.sep).some((part) => IGNORED.has(part))) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(enqueue, DEBOUNCE_MS);
    }),
  );
  // `on`, not `once`: a library's signal-exit handler kills the process again when it finds itself
  // the last listener, which a `once` listener is no longer while it runs.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop());

  if (current)
    console.log(`\nWatching ${describe(root, current)}\nSave a file to check again; Ctrl-C stops.`);
  enqueue();
  // The watch ends in stop(), on Ctrl-C or when every exercise is done.
  return new Promise<number>(() => {});
}

function stamp(): string {
  return `[${new Date().toLocaleTimeString("en-GB")}]`;
}

/** Passed, or which check fails first and why; passed is undefined when the machine failed. */
function verdictOf(exercise: Exercise, outcomes: Map<Check, Outcome>): { passed?: boolean; text: string } {
  const checks = publicChecks(exercise);
  const failing = checks.filter((check) => !outcomes.get(check)?.passed);
  const environment = failing.map((check) => outcomes.get(check)?.environment).find(Boolean);
  if (environment) return { text: `environment error: ${environment}` };
  if (failing.length === 0)
    return { passed: true, text: `✓ ${exercise.id} passes its checks (${exercise.points} points).` };
  const [first] = failing;
  const message = (first && outcomes.get(first)?.message) ?? "failed";
  const lines = message
    .split("\n")
    .slice(0, 8)
    .map((line) => `    ${line}`);
  return {
    passed: false,
    text: `✗ ${failing.length} of ${checks.length} checks fail. First: "${first?.name}"\n${lines.join("\n")}`,
  };
}
