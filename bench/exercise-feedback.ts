/**
 * How long does a student wait, in `npm run exercises -- --watch`, from saving a file to the
 * verdict, for an exercise whose checks need Redis? Warm: the watch already runs, with its Redis.
 *
 *   npm run bench:exercise-feedback (about 15 s)
 *
 * It writes a starter into a temporary folder (node_modules found in the folder above it), starts
 * the watch on the first Redis-backed exercise of the list (the tools' own fixture exercise while
 * the list has none), waits for the first verdict (cold: Redis and vitest start), then saves the
 * exercise's file five times with a change that still fails and once with its solution, timing
 * each save to the verdict it brings. Goal: ≤ 5 s a verdict, warm, on 2 cores.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { exercises } from "../exercises/list.ts";
import { withSolution } from "../exercises/regions.ts";
import { writeStarter } from "../exercises/starter.ts";
import { FIXTURE_EXERCISES, makeFixtureRepo, REPO } from "../exercises/test/support/fixture-repo.ts";

const GOAL_SECONDS = 5;
const SAVES = 5;
const VERDICT = /^\[\d\d:\d\d:\d\d\] (✓|✗|environment error)/gm;

const real = exercises.find((exercise) => exercise.needs === "redis");
const fixture = real ? undefined : makeFixtureRepo();
const source = fixture?.root ?? REPO;
const list = fixture ? FIXTURE_EXERCISES : exercises;
const exercise = real ?? FIXTURE_EXERCISES.find((each) => each.needs === "redis");
if (!exercise) throw new Error("the fixture has no Redis-backed exercise");

const home = mkdtempSync(path.join(tmpdir(), "bench-exercise-feedback-"));
symlinkSync(path.join(REPO, "node_modules"), path.join(home, "node_modules"));
const starter = path.join(home, "starter");
writeStarter(source, list, starter);

const watch: ChildProcess = spawn(
  process.execPath,
  [
    "--import",
    import.meta.resolve("tsx"),
    "--conditions=development",
    "exercises/runner.ts",
    "--watch",
    exercise.id,
  ],
  { cwd: starter, stdio: ["ignore", "pipe", "inherit"] },
);
let output = "";
watch.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
  output += chunk;
});
const verdicts = () => output.match(VERDICT)?.length ?? 0;

/** Seconds from now until the watch prints one more verdict than it had; its first character. */
async function timeToVerdict(save: () => void): Promise<{ seconds: number; mark: string }> {
  const before = verdicts();
  const start = performance.now();
  save();
  const deadline = start + 120_000;
  while (verdicts() === before) {
    if (performance.now() > deadline)
      throw new Error(`no verdict within 120 s; the watch printed:\n${output}`);
    await sleep(10);
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, mark: [...output.matchAll(VERDICT)].at(-1)?.[1] ?? "?" };
}

try {
  const [file = ""] = exercise.files;
  const full = path.join(starter, file);
  const comment = file.endsWith(".ts") || file.endsWith(".js") ? "//" : "#";
  console.log(`Exercise ${exercise.id} (${exercise.needs}), ${file}, in a starter at ${starter}`);
  const cold = await timeToVerdict(() => {});
  console.log(
    `cold, to the first verdict: ${cold.seconds.toFixed(1)} s ${cold.mark} (Redis and vitest start)`,
  );

  const failing: number[] = [];
  for (let save = 1; save <= SAVES; save++) {
    const { seconds, mark } = await timeToVerdict(() => appendFileSync(full, `${comment} save ${save}\n`));
    failing.push(seconds);
    console.log(`  save ${save}: ${seconds.toFixed(2)} s ${mark}`);
  }
  const solution = readFileSync(path.join(source, file), "utf8");
  const passing = await timeToVerdict(() =>
    writeFileSync(full, withSolution(readFileSync(full, "utf8"), solution, file, exercise.id)),
  );
  console.log(`  the solution: ${passing.seconds.toFixed(2)} s ${passing.mark}`);

  const sorted = [...failing].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const worst = Math.max(...failing, passing.seconds);
  const verdict = (ok: boolean) => (ok ? "✓" : "✗");
  console.log(
    `save → verdict, warm: median ${median.toFixed(2)} s, max ${worst.toFixed(2)} s over ${SAVES + 1} saves ` +
      `(goal ≤ ${GOAL_SECONDS} s ${verdict(worst <= GOAL_SECONDS)}; ${availableParallelism()} cores, ` +
      `load ${loadavg()[0]?.toFixed(1)})`,
  );
} finally {
  watch.kill("SIGINT");
  await new Promise((resolve) => watch.once("exit", resolve));
  rmSync(home, { recursive: true, force: true });
  fixture?.remove();
}
