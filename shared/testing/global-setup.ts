import { getContainerRuntimeClient } from "testcontainers";
import type { TestProject } from "vitest/node";
import { EnvironmentError } from "./environment.ts";
import { DOCKER_NEEDED } from "./redis.ts";

/** Test files that need neither Docker nor a browser: `npm run test:unit` runs these alone. */
const UNIT_TEST_FILE = /\.unit\.test\.ts$/;

/**
 * Runs once before the tests. When the run holds a test file that needs Docker and Docker cannot
 * be reached, it stops the run at once with one message, instead of one failure per test. A run
 * of unit test files only never asks for Docker, so `npm run test:unit` works with Docker stopped.
 */
export default async function setup(project: TestProject): Promise<void> {
  // The files queued for this run: vitest records them before it calls the global setup (its state
  // API is marked experimental; a vitest upgrade that moves it fails the typecheck here).
  await requireDockerFor(project.vitest.state.getPaths());
}

/**
 * Resolves when `files` need no Docker, when REDIS_URL names a Redis to use instead, or when
 * `connect` reaches Docker; otherwise rejects with an EnvironmentError saying DOCKER_NEEDED.
 */
export async function requireDockerFor(
  files: string[],
  connect: () => Promise<unknown> = getContainerRuntimeClient,
): Promise<void> {
  if (process.env.REDIS_URL || files.every((file) => UNIT_TEST_FILE.test(file))) return;
  try {
    await connect();
  } catch (error) {
    throw new EnvironmentError(DOCKER_NEEDED, { cause: error });
  }
}
