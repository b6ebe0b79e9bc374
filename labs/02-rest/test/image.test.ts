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
  lab = await startLabImage({ dockerfile: "labs/02-rest/Dockerfile", tag: "gps-workshop/lab02-rest:test" });
}, 300_000);

afterAll(() => lab?.close());

/** A replayer container on the network, started as compose would: the image, a command, the environment. */
const startReplayer = () =>
  lab.start("labs/02-rest/dist/replayer/main.js", "replayer: first record written to redis", {
    REPLAY_SPEED: "20",
  });

describe("the lab 02 image", () => {
  it("replays the bundled track into gps_state and gps_history from a replayer container", async () => {
    const replayer = await startReplayer();
    const client = await connectRedis(lab.redisUrl);
    await vi.waitFor(
      async () => {
        const state = JSON.parse((await client.get("gps_state")) ?? "null") as { timestamp: number } | null;
        // The bike loop's second row or later: it starts at 2026-03-14 16:00:00 UTC.
        expect(state?.timestamp).toBeGreaterThan(1_773_504_000);
        expect(await client.xLen("gps_history")).toBeGreaterThan(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await containerLogs(replayer)).toContain(
      "replayer: replaying /workshop/shared/data/bike-campus.csv: 894 rows at 20× speed, looping",
    );
  });

  it("runs as the unprivileged node user, with production dependencies only", async () => {
    const replayer = await startReplayer();

    await expectProductionImage(replayer, [
      "express",
      "redis",
      "zod",
      "swagger-ui-dist",
      "helmet",
      "close-with-grace",
    ]);
  });

  it("exits 0 on docker stop without waiting to be killed, after its summary line", async () => {
    const replayer = await startReplayer();

    const { exitCode } = await dockerStop(replayer);

    // Killed by docker stop's SIGKILL, 10 s later, it would exit 137: 0 means it handled the SIGTERM.
    expect(exitCode).toBe(0);
    expect(await containerLogs(replayer)).toMatch(/replayer: stopped: \d+ records? in 1 pass/);
  });
});
