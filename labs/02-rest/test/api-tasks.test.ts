import { randomUUID } from "node:crypto";
import { gpsRecord, ManualClock, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { eventually } from "./support/api-eventually.ts";
import { expectProblem } from "./support/api-problem.ts";
import { writeRecord } from "./support/api-records.ts";
import { clientAddress, type RedisWatch, watchRedis } from "./support/api-redis-watch.ts";
import { type RunningApi, startApi } from "./support/api-server.ts";

const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function requestTask(api: RunningApi, seconds: string): Promise<Response> {
  return fetch(`${api.url}/request_to_compute_avg_speed?time_window_seconds=${seconds}`, { method: "POST" });
}

async function taskStatus(api: RunningApi, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${api.url}/get_avg_speed_task_status?task_id=${id}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return (await response.json()) as Record<string, unknown>;
}

async function startTask(api: RunningApi, seconds: string): Promise<string> {
  const response = await requestTask(api, seconds);
  expect(response.status).toBe(202);
  const { task_id } = (await response.json()) as { task_id: string };
  return task_id;
}

/** Resolves once the API's computations have sent `count` XREADs on its history stream in all. */
async function historyReads(api: RunningApi, redisWatch: RedisWatch, count: number): Promise<void> {
  const writer = await clientAddress(api.writer);
  await eventually(() =>
    expect(
      redisWatch.commandsOn(api.keys.history, writer).filter(({ args }) => args[0] === "XREAD"),
    ).toHaveLength(count),
  );
}

describe("POST /request_to_compute_avg_speed", () => {
  test("answers 202 with the task id, its status and its Location, before the window is over", async ({
    redis,
  }) => {
    // A clock that never moves: the window never ends, so only an answer that does not wait comes.
    const running = await startApi(redis, { clock: new ManualClock() });

    const response = await requestTask(running, "30");

    expect(response.status).toBe(202);
    const body = (await response.json()) as { task_id: string };
    expect(body).toEqual({ task_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "REQUESTED" });
    expect(response.headers.get("location")).toBe(`/get_avg_speed_task_status?task_id=${body.task_id}`);
    const location = await fetch(new URL(response.headers.get("location") ?? "", running.url));
    expect(location.status).toBe(200);
  });

  test.for(["0.05", "5e-324", "0x10", "301"])(
    "rejects time_window_seconds=%s with 400 problem JSON naming it",
    async (value, { redis }) => {
      const running = await startApi(redis);

      await expectProblem(await requestTask(running, value), 400, "time_window_seconds");
    },
  );

  test("rejects a missing time_window_seconds with 400 problem JSON naming it", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/request_to_compute_avg_speed`, { method: "POST" });

    await expectProblem(response, 400, "time_window_seconds");
  });

  test("answers 405 problem JSON to a GET, which would not start anything", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/request_to_compute_avg_speed?time_window_seconds=1`);

    await expectProblem(response, 405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await running.writer.keys(running.keys.task("*"))).toEqual([]);
  });

  test("answers 429 problem JSON with Retry-After beyond the limit of concurrent tasks", async ({
    redis,
  }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock, maxConcurrentTasks: 2 });
    await writeRecord(running.writer, running.keys, gpsRecord());
    const first = await startTask(running, "30");
    await startTask(running, "30");

    const refused = await requestTask(running, "5");

    const problem = await expectProblem(refused, 429);
    expect(problem.detail).toMatch(/too many tasks/);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(await running.writer.keys(running.keys.task("*"))).toHaveLength(2); // the refused one is not kept
    clock.set(30_000);
    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, first)).toMatchObject({ status: "DONE" }),
    );
    await eventually(async () => expect((await requestTask(running as RunningApi, "5")).status).toBe(202));
  });
});

describe("GET /get_avg_speed_task_status", () => {
  test("follows a task from REQUESTED through RUNNING to DONE with its result", async ({ redis }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock });
    const watch = await watchRedis(redis.url);
    await writeRecord(running.writer, running.keys, gpsRecord({ speed_meters_per_second: 3 }));

    const id = await startTask(running, "10");
    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "RUNNING" }),
    );
    await historyReads(running, watch, 1);
    clock.set(5000);
    await writeRecord(running.writer, running.keys, gpsRecord({ speed_meters_per_second: 5 }));
    await historyReads(running, watch, 2);
    expect(await taskStatus(running, id)).toMatchObject({ status: "RUNNING" });
    clock.set(10_000);

    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "DONE" }),
    );
    const done = await taskStatus(running, id);
    expect(done).toEqual({
      task_id: id,
      status: "DONE",
      time_window_seconds: 10,
      result: expect.closeTo(4, 10),
      requested_at: expect.stringMatching(ISO_8601),
      finished_at: expect.stringMatching(ISO_8601),
    });
    expect(Date.parse(String(done.finished_at))).toBeGreaterThanOrEqual(
      Date.parse(String(done.requested_at)),
    );
  });

  test("reports FAILED with the reason when no state was received during the window", async ({ redis }) => {
    const running = await startApi(redis, { clock: new ManualClock({ automatic: true }) });

    const id = await startTask(running, "10");

    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "FAILED" }),
    );
    const failed = await taskStatus(running, id);
    expect(failed).toMatchObject({ error: "no GPS state was received during the window" });
    expect(failed.finished_at).toMatch(ISO_8601);
    expect(failed).not.toHaveProperty("result");
  });

  test("reports FAILED at once when a history entry is not a GPS record", async ({ redis }) => {
    const running = await startApi(redis);
    const watch = await watchRedis(redis.url);
    await writeRecord(running.writer, running.keys, gpsRecord());
    const id = await startTask(running, "60");
    await historyReads(running, watch, 1);

    const entry = await writeRecord(running.writer, running.keys, { json: "not json" });

    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "FAILED" }),
    );
    expect(await taskStatus(running, id)).toMatchObject({
      error: `gps_history entry ${entry} is not JSON: "not json"`,
    });
  });

  test('reports FAILED "interrupted" for a task that was running when the API shut down', async ({
    redis,
  }) => {
    const running = await startApi(redis);
    await writeRecord(running.writer, running.keys, gpsRecord());
    const id = await startTask(running, "60");
    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "RUNNING" }),
    );

    await running.api.close();

    expect(await taskStatus(running, id)).toMatchObject({
      status: "FAILED",
      error: "interrupted",
      finished_at: expect.stringMatching(ISO_8601),
    });
  });

  test("keeps task records in Redis with the configured TTL", async ({ redis }) => {
    const running = await startApi(redis, { taskTtlSeconds: 120 });
    await writeRecord(running.writer, running.keys, gpsRecord());

    const id = await startTask(running, "0.1");

    const ttl = () => running.writer.ttl(running.keys.task(id));
    expect(await ttl()).toBeGreaterThan(100);
    expect(await ttl()).toBeLessThanOrEqual(120);
    await eventually(async () =>
      expect(await taskStatus(running as RunningApi, id)).toMatchObject({ status: "DONE" }),
    );
    expect(await ttl()).toBeGreaterThan(100);
    expect(await ttl()).toBeLessThanOrEqual(120);
  });

  test("finds a task whatever the case of its id", async ({ redis }) => {
    const running = await startApi(redis);
    const id = await startTask(running, "30");

    expect(await taskStatus(running, id.toUpperCase())).toMatchObject({ task_id: id });
  });

  test("answers 404 problem JSON for an unknown task id", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/get_avg_speed_task_status?task_id=${randomUUID()}`);

    await expectProblem(response, 404);
  });

  test.for(["abc", "123", "not-a-uuid-at-all-but-36-chars-long!"])(
    "answers 400 problem JSON naming task_id for the malformed id %s",
    async (id, { redis }) => {
      const running = await startApi(redis);

      const response = await fetch(`${running.url}/get_avg_speed_task_status?task_id=${id}`);

      await expectProblem(response, 400, "task_id");
    },
  );

  test("answers 400 problem JSON naming task_id when it is missing", async ({ redis }) => {
    const running = await startApi(redis);

    await expectProblem(await fetch(`${running.url}/get_avg_speed_task_status`), 400, "task_id");
  });

  test("answers 500 problem JSON when the task record in Redis is garbage", async ({ redis }) => {
    const running = await startApi(redis);
    const id = randomUUID();
    await running.writer.set(running.keys.task(id), "[1, 2]");

    const problem = await expectProblem(
      await fetch(`${running.url}/get_avg_speed_task_status?task_id=${id}`),
      500,
    );

    expect(problem.detail).toMatch(new RegExp(`^task ${id} is not valid: `));
  });
});
