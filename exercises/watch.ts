import { type FSWatcher, watch as watchFolder } from "node:fs";
import path from "node:path";
import type { RedisServer } from "@gps-workshop/shared/testing/redis";
import { type Checker, type Outcome, openChecker } from "./checks.ts";
import { describe, publicChecks } from "./progress.ts";
import { trackedFiles } from "./repo.ts";
import { filesHash, type State, statusOf, writeState } from "./state.ts";
import type { Exercise } from "./types.ts";

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
  let current: Exercise | undefined =
    from ?? list.find((exercise) => statusOf(root, state, exercise) !== "done");
  let redis: RedisServer | undefined;
  let checker: Checker | undefined;
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const stop = async () => {
    for (const watcher of watchers) watcher.close();
    clearTimeout(timer);
    await running;
    await checker?.close();
    await redis?.close();
  };
  const introduce = (exercise: Exercise) =>
    console.log(`\nWatching ${describe(root, exercise)}\nSave a file to check again; Ctrl-C stops.`);

  /** The checker for this exercise: reopened once, with REDIS_URL, when a first one needs Redis. */
  const checkerFor = async (exercise: Exercise): Promise<Checker> => {
    if (exercise.needs === "redis" && !redis) {
      console.log("Starting a Redis container for the checks (once for the whole watch)…");
      // Loaded only now: Testcontainers takes a moment to load, and most runs need no Redis.
      const { startRedisServer } = await import("@gps-workshop/shared/testing/redis");
      redis = await startRedisServer();
      await checker?.close();
      checker = undefined;
    }
    checker ??= await openChecker(root, redis ? { REDIS_URL: redis.url } : {});
    return checker;
  };

  const check = async (): Promise<void> => {
    while (current) {
      const exercise = current;
      let outcomes: Map<unknown, Outcome>;
      try {
        const active = await checkerFor(exercise);
        for (const file of changed) active.changed(file);
        changed.clear();
        outcomes = await active.run(publicChecks(exercise));
      } catch (error) {
        console.log(`${stamp()} environment error: ${(error as Error).message}`);
        return;
      }
      const verdict = verdictOf(exercise, outcomes);
      console.log(`${stamp()} ${verdict.text}`);
      if (verdict.environment) return;
      state.verdicts[exercise.id] = { hash: filesHash(root, exercise), passed: verdict.passed };
      writeState(root, state);
      if (!verdict.passed) return;
      current = list.find((candidate) => statusOf(root, state, candidate) !== "done");
      if (current) introduce(current);
    }
    console.log("\nEvery exercise passes its checks: `npm run grade` gives the grade Classroom will give.");
    await stop();
    process.exit(0);
  };

  const schedule = (file: string) => {
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(async () => {
      await running;
      running = check();
      await running;
    }, DEBOUNCE_MS);
  };

  // One watcher per folder of tracked files: node_modules and the like are never read.
  const ignored = new Set([".exercises-state.json", "grade.json"]);
  const folders = new Set(trackedFiles(root).map((file) => path.dirname(file)));
  const watchers: FSWatcher[] = [...folders].map((folder) =>
    watchFolder(path.join(root, folder), (_event, name) => {
      const file = path.join(folder, String(name));
      if (name && !ignored.has(file)) schedule(file);
    }),
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
  if (!current) return check().then(() => 0);
  introduce(current);
  running = check();
  await running;
  return new Promise<number>(() => {});
}

function stamp(): string {
  return `[${new Date().toLocaleTimeString("en-GB")}]`;
}

/** One line, or a few: passed, or which check fails first and why. */
function verdictOf(
  exercise: Exercise,
  outcomes: Map<unknown, Outcome>,
): { passed: boolean; environment: boolean; text: string } {
  const checks = publicChecks(exercise);
  const failing = checks.filter((check) => !outcomes.get(check)?.passed);
  const environment = failing.map((check) => outcomes.get(check)?.environment).find(Boolean);
  if (environment) return { passed: false, environment: true, text: `environment error: ${environment}` };
  if (failing.length === 0) {
    return {
      passed: true,
      environment: false,
      text: `✓ ${exercise.id} passes its checks (${exercise.points} points).`,
    };
  }
  const [first] = failing;
  const message = (outcomes.get(first)?.message ?? "failed")
    .split("\n")
    .slice(0, 8)
    .map((line) => `    ${line}`);
  const text = `✗ ${failing.length} of ${checks.length} checks fail. First: "${first?.name}"\n${message.join("\n")}`;
  return { passed: false, environment: false, text };
}
