import { describe, expect, it } from "vitest";
import { loadLoop } from "../support/clients.ts";
import {
  buildBrokenImage,
  checksStack,
  docker,
  healthyContainers,
  settledUpdate,
  updateStatus,
} from "../support/swarm.ts";

// The check of lab04.rollback: failure_action and rollback_config in docker-compose-swarm.yml,
// tried with an image whose tasks never get healthy (labs/04-orchestration/broken.Dockerfile).

describe("lab04.rollback: automatic rollback", () => {
  it("rolls the web back by itself when the new image never gets healthy, with no failed request", async () => {
    const stack = await checksStack();
    const web = `${stack.name}_web`;
    const before = await updateStatus(web);
    const broken = await buildBrokenImage();
    const load = loadLoop(`${stack.url}/healthz`, 5);

    const since = Date.now();
    await docker(["service", "update", "--detach", "--no-resolve-image", "--image", broken, web]);
    const update = await settledUpdate(web, since);
    try {
      const { ok, failed } = await load.stop();
      expect(update.state, `Swarm says: ${update.message}`).toBe("rollback_completed");
      expect(update.image).toBe(before.image);
      expect(await healthyContainers(web)).toHaveLength(3);
      expect(failed, `failed requests (${ok} succeeded)`).toEqual([]);
    } finally {
      // Without failure_action: rollback, Swarm pauses halfway: go back by hand, so that the
      // next check finds the web as it was.
      if (update.state === "paused") {
        const rollback = Date.now();
        await docker(["service", "rollback", "--detach", web]);
        await settledUpdate(web, rollback);
      }
    }
  });
});
