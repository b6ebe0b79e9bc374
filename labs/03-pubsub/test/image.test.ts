import {
  connectRedis,
  containerLogs,
  dockerStop,
  expectProductionImage,
  type LabImage,
  startLabImage,
} from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

let lab: LabImage;

beforeAll(async () => {
  lab = await startLabImage({
    dockerfile: "labs/03-pubsub/Dockerfile",
    tag: "gps-workshop/lab03-pubsub:test",
  });
}, 300_000);

afterAll(() => lab?.close());

/** One of the image's services on the network, started as compose would: a command and the environment. */
const startService = (entry: string, readyLine: string) =>
  lab.start(entry, readyLine, { REPLAY_SPEED: "20" });

const startReplayer = () =>
  startService("labs/03-pubsub/dist/replayer/main.js", "replayer: first record written to redis");

describe("the lab 03 image", () => {
  it("publishes the bundled track from a replayer container to a subscriber container, and stores gps_state", async () => {
    const subscriber = await startService("labs/03-pubsub/dist/subscriber/main.js", "subscriber: listening");
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
    const client = await connectRedis(lab.redisUrl);
    const state = JSON.parse((await client.get("gps_state")) ?? "null") as { timestamp: number } | null;
    expect(state?.timestamp).toBeGreaterThan(1_773_504_000);
  });

  it("runs as the unprivileged node user, with production dependencies only", async () => {
    const replayer = await startReplayer();

    await expectProductionImage(replayer, ["express", "redis", "zod", "eta"]);
  });

  it("exits 0 on docker stop without waiting to be killed, after its summary line", async () => {
    const replayer = await startReplayer();

    const { exitCode, ms } = await dockerStop(replayer);

    expect(exitCode).toBe(0);
    // docker stop waits 10 s before SIGKILL: far less means the replayer exited on SIGTERM.
    expect(ms).toBeLessThan(2_000);
    expect(await containerLogs(replayer)).toMatch(/replayer: stopped: \d+ records? in 1 pass/);
  });
});
