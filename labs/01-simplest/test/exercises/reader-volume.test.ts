// Checks of the exercise lab01.reader-volume: docker-compose-shared-volume.yml, run. The lecture's
// socat images run the stack (the override file swaps the images; the reader's volume still comes
// from the main file), so these checks grade the compose file alone, whatever the state of the
// TypeScript exercises.
import { composeUp, containerLogs } from "@gps-workshop/shared/testing";
import type { StartedDockerComposeEnvironment } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

describe("the reader's volume in docker-compose-shared-volume.yml", () => {
  let stack: StartedDockerComposeEnvironment;

  beforeAll(async () => {
    stack = await composeUp({
      files: ["docker-compose-shared-volume.yml", "docker-compose-shared-volume.socat.yml"],
    });
  });

  afterAll(async () => {
    await stack?.down();
  });

  it("shows the reader the lines both publishers send, through the volume", async () => {
    await vi.waitFor(
      async () => {
        const logs = await containerLogs(stack.getContainer("reader-1"));
        expect(logs, "the reader's output").toContain("Hello from publisher1! ");
        expect(logs, "the reader's output").toContain("Hello from publisher2! ");
      },
      { timeout: 20_000, interval: 250 },
    );
  });

  it("makes a write from inside the reader fail with a read-only file system", async () => {
    const write = await stack.getContainer("reader-1").exec(["sh", "-c", "echo hi >> /data/messages.log"]);
    expect(write.output, "what `echo hi >> /data/messages.log` says in the reader").toContain(
      "Read-only file system",
    );
    expect(write.exitCode).not.toBe(0);
  });
});
