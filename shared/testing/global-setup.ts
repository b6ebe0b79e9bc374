import { getContainerRuntimeClient } from "testcontainers";
import { DOCKER_NEEDED } from "./redis.ts";

/**
 * Runs once before any test: without Docker and without REDIS_URL the integration tests cannot
 * run, so stop at once with one message instead of one timeout per test.
 */
export default async function checkDocker(): Promise<void> {
  if (process.env.REDIS_URL) return;
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(DOCKER_NEEDED);
  }
}
