import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { getContainerRuntimeClient } from "testcontainers";

/**
 * The machine failed, not the code under test: Docker cannot be reached, or an image or a compose
 * stack cannot be built. The grader gives no points for a check that fails with it and names what
 * failed instead (`npm run grade` exits 3), so that a stopped Docker is never a grade of 0.
 */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
}

export const DOCKER_NOT_RUNNING = "Docker is not running, or cannot be reached: start Docker, then run again";

/** Testcontainers' Docker client; an EnvironmentError when no Docker answers. */
export async function reachDocker(): ReturnType<typeof getContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    throw new EnvironmentError(DOCKER_NOT_RUNNING, { cause: error });
  }
}

const run = promisify(execFile);

/**
 * Runs a `docker` build command (`build`, `compose build`) from `cwd`. A failed build is an
 * EnvironmentError naming `what`, with the build's last lines, which say why.
 */
export async function dockerBuild(
  args: string[],
  { cwd, what, env = {} }: { cwd: string; what: string; env?: Record<string, string> },
): Promise<void> {
  try {
    await run("docker", args, { cwd, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const lines = `${stdout}\n${stderr}`.split("\n").filter((line) => line.trim() !== "");
    const tail = lines.slice(-8).join("\n") || String(error);
    throw new EnvironmentError(`${what} could not be built:\n${tail}`, { cause: error });
  }
}
