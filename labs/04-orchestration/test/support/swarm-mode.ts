/**
 * The global setup of lab 04's tests: swarm mode for the run. It turns it on only if it was off,
 * on this machine's loopback address alone, and off again at the end, after removing the test
 * stacks, whether the tests passed, failed or were interrupted. A run of unit test files only
 * touches no Docker at all.
 */
import type { TestProject } from "vitest/node";
import { docker, removeTestStacks } from "./swarm.ts";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const needsSwarm = project.vitest.state
    .getPaths()
    .some((file) => file.startsWith(project.config.root) && !file.endsWith(".unit.test.ts"));
  if (!needsSwarm) return undefined;
  const state = (await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim();
  const turnedOn = state === "inactive";
  if (turnedOn) {
    await docker(["swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377"]);
    console.error("lab 04 tests: swarm mode turned on (docker swarm init), until the end of the run");
  }
  return async () => {
    try {
      await removeTestStacks();
    } finally {
      if (turnedOn) {
        await docker(["swarm", "leave", "--force"]);
        console.error("lab 04 tests: swarm mode turned off again (docker swarm leave --force)");
      }
    }
  };
}
