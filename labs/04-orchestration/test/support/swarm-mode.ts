/**
 * The global setup of lab 04's tests: swarm mode for the run. It turns it on only if it was off,
 * and off again at the end, after removing the test stacks, whether the tests passed, failed or
 * were interrupted. A run of unit test files only touches no Docker at all.
 */
import type { TestProject } from "vitest/node";
import { swarmModeForTheRun } from "./swarm.ts";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const needsSwarm = project.vitest.state
    .getPaths()
    .some((file) => file.startsWith(project.config.root) && !file.endsWith(".unit.test.ts"));
  if (!needsSwarm) return undefined;
  return swarmModeForTheRun((line) => console.error(`lab 04 tests: ${line}`));
}
