import { describe, expect, it, vi } from "vitest";
import { loadLoop, openEventStream } from "../support/clients.ts";
import {
  checksStack,
  docker,
  historyIds,
  settledUpdate,
  TEST_TAG,
  updateStatus,
  watchHealthy,
} from "../support/swarm.ts";

// The check of lab04.rolling-update: the web's update_config in docker-compose-swarm.yml, tried
// as a student would, with `docker service update --image` to a new tag while requests come in
// and a page's stream is open.

describe("lab04.rolling-update: the web's rolling update", () => {
  it("updates the web to a new tag with three healthy tasks at every moment, no failed request and no record missed", async () => {
    const stack = await checksStack();
    const web = `${stack.name}_web`;
    // A new tag of the same image: a new version as far as Swarm is concerned.
    const { image } = await updateStatus(web);
    const next = `gps-workshop/lab03-pubsub:${TEST_TAG}-${Date.now().toString(36)}`;
    await docker(["tag", image, next]);
    const stream = openEventStream(`${stack.url}/events`);
    await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(0), { timeout: 30_000 });
    const load = loadLoop(`${stack.url}/healthz`, 10);
    const healthy = watchHealthy(web);

    const since = Date.now();
    await docker(["service", "update", "--detach", "--no-resolve-image", "--image", next, web]);
    const update = await settledUpdate(web, since);
    // A few more records, through whichever task the stream is on now.
    const received = stream.ids.length;
    await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(received + 10), { timeout: 30_000 });

    const fewest = await healthy.stop();
    const { ok, failed } = await load.stop();
    stream.close();
    expect(update.state, update.message).toBe("completed");
    expect(update.image).toBe(next);
    expect(fewest, "healthy web tasks at the worst moment of the update").toBeGreaterThanOrEqual(3);
    expect(failed, `failed requests (${ok} succeeded)`).toEqual([]);
    const ids = [...stream.ids];
    expect(await historyIds(stack.name, ids[0] ?? "-", ids.at(-1) ?? "+")).toEqual(ids);
  });
});
