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

const IMAGE = "gps-workshop/lab03-node:test";

let network: StartedNetwork;
let redis: StartedRedisContainer;
const started: StartedTestContainer[] = [];

beforeAll(async () => {
  await buildImage({ dockerfile: "labs/03-pubsub/Dockerfile", tag: IMAGE });
  network = await new Network().start();
  redis = await new RedisContainer(REDIS_IMAGE).withNetwork(network).withNetworkAliases("redis").start();
}, 300_000);

afterAll(async () => {
  await Promise.all(started.map((container) => container.stop()));
  await redis?.stop();
  await network?.stop();
});

/** One of the image's services on the network, started as compose would: a command and the environment. */
async function startService(command: string[], readyLine: string): Promise<StartedTestContainer> {
  const container = await new GenericContainer(IMAGE)
    .withNetwork(network)
    .withCommand(["node", ...command])
    .withEnvironment({ REDIS_URL: "redis://redis:6379", REPLAY_SPEED: "20" })
    .withWaitStrategy(Wait.forLogMessage(readyLine))
    .start();
  started.push(container);
  return container;
}

const startReplayer = () => startService(["labs/03-pubsub/dist/replayer/main.js"], "replayer: replaying");

describe("the lab 03 image", () => {
  it("publishes the bundled track from a replayer container to a subscriber container, and stores gps_state", async () => {
    const subscriber = await startService(
      ["labs/03-pubsub/dist/subscriber/main.js"],
      "subscriber: listening",
    );
    await startReplayer();

    await vi.waitFor(
      async () => {
        const printed = (await containerLogs(subscriber)).split("\n").filter((line) => line.startsWith("{"));
        expect(printed.length).toBeGreaterThan(2);
        expect(JSON.parse(printed[0] ?? "")).toMatchObject({
          timestamp: 1_773_504_000,
          latitude: 37.8700764,
        });
      },
      { timeout: 10_000, interval: 100 },
    );
    const client = createClient({ url: redis.getConnectionUrl() });
    client.on("error", () => {});
    await client.connect();
    try {
      const state = JSON.parse((await client.get("gps_state")) ?? "null") as { timestamp: number } | null;
      expect(state?.timestamp).toBeGreaterThan(1_773_504_000);
    } finally {
      client.destroy();
    }
  });

  it("runs as the unprivileged node user, with production dependencies only", async () => {
    const replayer = await startReplayer();

    expect((await replayer.exec(["id", "-un"])).output.trim()).toBe("node");
    const installed = (await replayer.exec(["ls", "node_modules", "node_modules/.bin"])).output.split(/\s+/);
    expect(installed).toEqual(expect.arrayContaining(["express", "redis", "zod", "eta"]));
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
