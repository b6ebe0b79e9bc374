import { getContainerRuntimeClient, type StartedTestContainer } from "testcontainers";
import { expect } from "vitest";

/** What a production image must not hold: the compiler, the test tools, the linter. */
const DEVELOPMENT_ONLY = [
  "typescript",
  "tsc",
  "tsx",
  "vitest",
  "playwright-core",
  "testcontainers",
  "@biomejs",
];

/**
 * Checks from inside a running container that its image runs as the unprivileged `node` user
 * and that its node_modules holds `dependencies` and none of the development tools.
 */
export async function expectProductionImage(
  container: StartedTestContainer,
  dependencies: string[],
): Promise<void> {
  expect((await container.exec(["id", "-un"])).output.trim()).toBe("node");
  const installed = (await container.exec(["ls", "node_modules", "node_modules/.bin"])).output.split(/\s+/);
  expect(installed).toEqual(expect.arrayContaining(dependencies));
  for (const tool of DEVELOPMENT_ONLY) expect(installed).not.toContain(tool);
}

/**
 * Stops a container as `docker stop` does (SIGTERM, then SIGKILL after 10 s) and keeps it, so
 * its logs can still be read: resolves with its exit code and how long the stop took.
 */
export async function dockerStop(container: StartedTestContainer): Promise<{ exitCode: number; ms: number }> {
  const client = await getContainerRuntimeClient();
  const handle = client.container.getById(container.getId());
  const start = performance.now();
  await client.container.stop(handle, { timeout: 10_000 });
  const ms = performance.now() - start;
  const { State } = await client.container.inspect(handle);
  return { exitCode: State.ExitCode, ms };
}
