/**
 * The global setup of lab 04's tests: swarm mode for the run. The first test that needs it turns
 * it on if it is off (ensureSwarmMode), not this setup: the run's other projects come first, and
 * lab 04's README turns swarm mode on and off by itself. At the end, the test stacks are removed
 * and swarm mode is off again if it was, whether the tests passed, failed or were interrupted. A
 * run of unit test files only touches no Docker at all.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const needsSwarm = project.vitest.state
    .getPaths()
    .some((file) => file.startsWith(project.config.root) && !file.endsWith(".unit.test.ts"));
  if (!needsSwarm) return undefined;
  // This run's names, for this process and its test workers, which inherit the variable (see
  // swarm.ts): drawn afresh even when a run that started this one set it.
  process.env.LAB04_TEST_RUN = randomBytes(3).toString("hex");
  const { swarmModeForTheRun } = await import("./swarm.ts");
  return swarmModeForTheRun((line) => console.error(`lab 04 tests: ${line}`), { lazily: true });
}
