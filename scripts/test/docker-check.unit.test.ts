import { DOCKER_NEEDED } from "@gps-workshop/shared/testing";
import { requireDockerFor } from "@gps-workshop/shared/testing/global-setup";
import { afterEach, describe, expect, it, vi } from "vitest";

// What Testcontainers throws when no Docker answers, on any of the sockets and hosts it tries.
const unreachable = vi.fn(() =>
  Promise.reject(new Error("Could not find a working container runtime strategy")),
);

describe("the Docker check before the tests", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    unreachable.mockClear();
  });

  it("lets a run of unit test files go ahead without asking for Docker", async () => {
    const files = ["/repo/scripts/test/start.unit.test.ts", "/repo/shared/test/geo.unit.test.ts"];
    await expect(requireDockerFor(files, unreachable)).resolves.toBeUndefined();
    expect(unreachable).not.toHaveBeenCalled();
  });

  it("stops a run that holds a Docker test with the one clear message when Docker cannot be reached", async () => {
    vi.stubEnv("REDIS_URL", "");
    const files = ["/repo/scripts/test/start.unit.test.ts", "/repo/labs/02-rest/test/api-tasks.test.ts"];
    const failure = await requireDockerFor(files, unreachable).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(DOCKER_NEEDED);
    expect(DOCKER_NEEDED).toBe(
      "Docker is needed for the integration tests: start Docker, or set REDIS_URL to an existing Redis (npm run test:unit runs the tests that need no Docker)",
    );
  });

  it("lets a run with Docker tests go ahead when REDIS_URL names a Redis to use instead", async () => {
    vi.stubEnv("REDIS_URL", "redis://localhost:6379");
    await expect(
      requireDockerFor(["/repo/labs/02-rest/test/api-tasks.test.ts"], unreachable),
    ).resolves.toBeUndefined();
    expect(unreachable).not.toHaveBeenCalled();
  });
});
