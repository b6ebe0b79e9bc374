import { composeUp, containerLogs } from "@gps-workshop/shared/testing";
import type { StartedDockerComposeEnvironment } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Every stack comes in two flavours: the Node images, or the lecture's socat images on top.
const flavours = [
  { flavour: "node", overlay: [] },
  { flavour: "socat", overlay: [".socat"] },
] as const;

const UNTIL = { timeout: 20_000, interval: 250 };

/** How many lines from each publisher a log holds. */
function count(logs: string): { publisher1: number; publisher2: number } {
  return {
    publisher1: logs.split("Hello from publisher1! ").length - 1,
    publisher2: logs.split("Hello from publisher2! ").length - 1,
  };
}

describe.each(flavours)("docker-compose-simplest.yml, $flavour flavour", ({ overlay }) => {
  let stack: StartedDockerComposeEnvironment;

  beforeAll(async () => {
    stack = await composeUp({
      files: [
        "docker-compose-simplest.yml",
        ...overlay.map((suffix) => `docker-compose-simplest${suffix}.yml`),
      ],
    });
  });

  afterAll(async () => {
    await stack?.down();
  });

  it("shows the lines of both publishers in the listener's logs", async () => {
    const listener = stack.getContainer("listener-1");
    await vi.waitFor(async () => {
      const logs = await containerLogs(listener);
      expect(logs).toContain("Hello from publisher1! ");
      expect(logs).toContain("Hello from publisher2! ");
    }, UNTIL);
  });

  it("gets lines from both publishers again after the listener restarts", async () => {
    const listener = stack.getContainer("listener-1");
    await listener.restart();
    // Taken once the new listener runs: any line logged from now on reached it after the restart.
    const before = count(await containerLogs(listener));
    await vi.waitFor(async () => {
      const after = count(await containerLogs(listener));
      expect(after.publisher1).toBeGreaterThan(before.publisher1);
      expect(after.publisher2).toBeGreaterThan(before.publisher2);
    }, UNTIL);
  });
});

describe.each(flavours)("docker-compose-shared-volume.yml, $flavour flavour", ({ overlay }) => {
  let stack: StartedDockerComposeEnvironment;

  beforeAll(async () => {
    stack = await composeUp({
      files: [
        "docker-compose-shared-volume.yml",
        ...overlay.map((suffix) => `docker-compose-shared-volume${suffix}.yml`),
      ],
    });
  });

  afterAll(async () => {
    await stack?.down();
  });

  it("shows the reader the lines both publishers sent, through the volume", async () => {
    await vi.waitFor(async () => {
      const logs = await containerLogs(stack.getContainer("reader-1"));
      expect(logs).toContain("Hello from publisher1! ");
      expect(logs).toContain("Hello from publisher2! ");
    }, UNTIL);
    // The listener wrote them to the file, not to its own output.
    expect(await containerLogs(stack.getContainer("listener-1"))).not.toContain("Hello from");
  });
});
