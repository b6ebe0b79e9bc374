import { randomUUID } from "node:crypto";
import path from "node:path";
import { createRedisClient } from "@gps-workshop/service/redis";
import { freePort, gpsRecord, startNodeProcess, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import { eventually } from "./support/api-eventually.ts";
import { expectProblem } from "./support/api-problem.ts";
import { writeRecord } from "./support/api-records.ts";
import { clientAddress, watchRedis } from "./support/api-redis-watch.ts";
import { startApi } from "./support/api-server.ts";

const API = path.resolve(import.meta.dirname, "../src/api/main.ts");

/** Runs the API as students and containers do: `node src/api/main.ts`, configured by `env`. */
const spawnApi = (env: Record<string, string>) => startNodeProcess(API, { env });

/** Starts `node src/api/main.ts` against the test Redis, under a prefix of its own; resolves once it answers. */
async function startProcess(redis: { url: string; prefix: string }) {
  const port = await freePort();
  const prefix = `${redis.prefix}${randomUUID()}:`;
  const api = spawnApi({ PORT: String(port), REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), {
    timeout: 15_000,
    interval: 100,
  });
  return { url, prefix, process: api };
}

async function taskStatus(url: string, id: string): Promise<unknown> {
  return (await fetch(`${url}/get_avg_speed_task_status?task_id=${id}`)).json();
}

describe("the API process", () => {
  test("on SIGTERM, answers the blocking request 503, marks the task FAILED, and exits 0", async ({
    redis,
  }) => {
    const { url, prefix, process } = await startProcess(redis);
    const writer = createRedisClient({ url: redis.url, service: "test", log: () => {} });
    await writer.connect();
    const keys = redisKeys(prefix);
    await writeRecord(writer, keys, gpsRecord());
    const watch = await watchRedis(redis.url);
    const writerAddress = await clientAddress(writer);

    const blocking = fetch(`${url}/compute_avg_speed?time_window_seconds=60`);
    const posted = await fetch(`${url}/request_to_compute_avg_speed?time_window_seconds=60`, {
      method: "POST",
    });
    const { task_id } = (await posted.json()) as { task_id: string };
    // Both computations are waiting on Redis.
    await eventually(() =>
      expect(
        watch.commandsOn(keys.history, writerAddress).filter(({ args }) => args[0] === "XREAD"),
      ).toHaveLength(2),
    );
    expect(await taskStatus(url, task_id)).toMatchObject({ status: "RUNNING" });

    process.child.kill("SIGTERM");
    const exit = await process.exited;

    // Exit 0 (not 1): the shutdown finished before close-with-grace's 900-ms deadline.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(process.stderr()).toContain("api: SIGTERM received, shutting down");
    const problem = await expectProblem(await blocking, 503);
    expect(problem.detail).toMatch(/shutting down/);
    const reader = await startApi(redis, { keyPrefix: prefix });
    expect(await taskStatus(reader.url, task_id)).toMatchObject({ status: "FAILED", error: "interrupted" });
    writer.destroy();
  });

  test('a task left RUNNING by a killed API reads FAILED "interrupted" once past its deadline', async ({
    redis,
  }) => {
    const { url, prefix, process } = await startProcess(redis);
    const posted = await fetch(`${url}/request_to_compute_avg_speed?time_window_seconds=0.5`, {
      method: "POST",
    });
    const { task_id } = (await posted.json()) as { task_id: string };

    process.child.kill("SIGKILL");
    await process.exited;

    const reader = await startApi(redis, { keyPrefix: prefix, taskGraceSeconds: 0 });
    await eventually(
      async () =>
        expect(await taskStatus(reader.url, task_id)).toMatchObject({
          status: "FAILED",
          error: "interrupted",
        }),
      { timeout: 5000, interval: 100 },
    );
  });

  test("starts without Redis, answers 503 meanwhile, and stays up", async () => {
    const port = await freePort();
    const nowhere = await freePort();
    const api = spawnApi({ PORT: String(port), REDIS_URL: `redis://127.0.0.1:${nowhere}` });
    const url = `http://127.0.0.1:${port}`;

    await eventually(async () => expect((await fetch(`${url}/healthz`)).status).toBe(200), {
      timeout: 15_000,
      interval: 100,
    });

    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/gps_state`)).status).toBe(503);
    expect(api.child.exitCode).toBeNull();
  });

  const badValues = [
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["REDIS_URL", "http://localhost:6379"],
    ["MAX_WINDOW_SECONDS", "0"],
    ["MAX_WINDOW_SECONDS", "0x10"],
    ["MAX_CONCURRENT_TASKS", "1.5"],
    ["MAX_BLOCKING_REQUESTS", "none"],
    ["TASK_TTL_SECONDS", "-5"],
  ];
  test.for(badValues)("exits 2 with one line naming %s when it is %s", async ([name, value]) => {
    const api = spawnApi({ [name as string]: value as string });

    const exit = await api.exited;

    expect(exit.code).toBe(2);
    const lines = api.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^api: bad configuration: ${name}: `));
  });
});
