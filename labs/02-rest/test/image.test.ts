import { buildImage, containerLogs, REDIS_IMAGE } from "@gps-workshop/shared/testing";
import { RedisContainer, type StartedRedisContainer } from "@testcontainers/redis";
import { createClient } from "redis";
import {
  GenericContainer,
  getContainerRuntimeClient,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const IMAGE = "gps-workshop/lab02-node:test";

let network: StartedNetwork;
let redis: StartedRedisContainer;
const started: StartedTestContainer[] = [];

beforeAll(async () => {
  await buildImage({ dockerfile: "labs/02-rest/Dockerfile", tag: IMAGE });
  network = await new Network().start();
  redis = await new RedisContainer(REDIS_IMAGE).withNetwork(network).withNetworkAliases("redis").start();
}, 300_000);

afterAll(async () => {
  await Promise.all(started.map((container) => container.stop()));
  await redis?.stop();
  await network?.stop();
});

/** A replayer container on the network, started as compose would: the image, a command, the environment. */
async function startReplayer(): Promise<StartedTestContainer> {
  const container = await new GenericContainer(IMAGE)
    .withNetwork(network)
    .withCommand(["node", "labs/02-rest/dist/replayer/main.js"])
    .withEnvironment({ REDIS_URL: "redis://redis:6379", REPLAY_SPEED: "20" })
    .withWaitStrategy(Wait.forLogMessage("replayer: replaying"))
    .start();
  started.push(container);
  return container;
}

describe("the lab 02 image", () => {
  it("replays the bundled track into gps_state and gps_history from a replayer container", async () => {
    const replayer = await startReplayer();
    const client = createClient({ url: redis.getConnectionUrl() });
    client.on("error", () => {});
    await client.connect();
    try {
      await vi.waitFor(
        async () => {
          const state = JSON.parse((await client.get("gps_state")) ?? "null") as { timestamp: number } | null;
          // The bike loop's second row or later: it starts at 2026-03-14 16:00:00 UTC.
          expect(state?.timestamp).toBeGreaterThan(1_773_504_000);
          expect(await client.xLen("gps_history")).toBeGreaterThan(1);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      client.destroy();
    }
    expect(await containerLogs(replayer)).toContain(
      "replayer: replaying /workshop/shared/data/bike-campus.csv: 894 rows at 20× speed, looping",
    );
  });

  it("runs as the unprivileged node user, with production dependencies only", async () => {
    const replayer = await startReplayer();

    expect((await replayer.exec(["id", "-un"])).output.trim()).toBe("node");
    const installed = (await replayer.exec(["ls", "node_modules", "node_modules/.bin"])).output.split(/\s+/);
    expect(installed).toEqual(expect.arrayContaining(["express", "redis", "zod", "swagger-ui-dist"]));
    for (const dev of [
      "typescript",
      "tsc",
      "tsx",
      "vitest",
      "playwright-core",
      "testcontainers",
      "@biomejs",
    ]) {
      expect(installed).not.toContain(dev);
    }
  });

  it("exits 0 on docker stop without waiting to be killed, after its summary line", async () => {
    const replayer = await startReplayer();

    const stopping = performance.now();
    await replayer.stop({ remove: false, timeout: 10_000 });
    const stoppedIn = performance.now() - stopping;

    const client = await getContainerRuntimeClient();
    const { State } = await client.container.inspect(client.container.getById(replayer.getId()));
    expect(State.ExitCode).toBe(0);
    // docker stop waits 10 s before SIGKILL: far less means the replayer exited on SIGTERM.
    expect(stoppedIn).toBeLessThan(2_000);
    expect(await containerLogs(replayer)).toMatch(/replayer: stopped: \d+ records? in 1 pass/);
  });
});
