// Hidden check of the exercise lab01.reader-volume: read-only means no new file and no removal
// either. The stack runs with the socat images, as in the public checks.
import { composeUp } from "@gps-workshop/shared/testing";
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

  it("lets the reader read the listener's file, but neither remove it nor create another", async () => {
    const reader = stack.getContainer("reader-1");
    await vi.waitFor(
      async () => {
        const read = await reader.exec(["cat", "/data/messages.log"]);
        expect(read.output, "what `cat /data/messages.log` says in the reader").toContain(
          "Hello from publisher",
        );
      },
      { timeout: 20_000, interval: 250 },
    );
    for (const command of ["rm /data/messages.log", "touch /data/other.log"]) {
      const attempt = await reader.exec(["sh", "-c", command]);
      expect(attempt.output, `what \`${command}\` says in the reader`).toContain("Read-only file system");
    }
  });
});
