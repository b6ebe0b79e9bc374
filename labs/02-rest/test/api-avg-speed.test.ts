import { gpsRecord, ManualClock, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { eventually } from "./support/api-eventually.ts";
import { expectProblem } from "./support/api-problem.ts";
import { writeRecord } from "./support/api-records.ts";
import { clientAddress, type RedisWatch, watchRedis } from "./support/api-redis-watch.ts";
import { type RunningApi, startApi } from "./support/api-server.ts";

const window = (seconds: string) => `/compute_avg_speed?time_window_seconds=${seconds}`;

/** The XREADs the API has sent on its history stream (the writer's commands left out). */
async function apiHistoryReads(api: RunningApi, redisWatch: RedisWatch) {
  const writer = await clientAddress(api.writer);
  return () => redisWatch.commandsOn(api.keys.history, writer).filter(({ args }) => args[0] === "XREAD");
}

type HistoryReads = Awaited<ReturnType<typeof apiHistoryReads>>;

/**
 * A state change at `time` on the API's clock: moves the clock there, writes a record at `speed`
 * m/s, and waits until the API's blocking read has returned it.
 */
async function changeStateAt(
  { api, clock, reads }: { api: RunningApi; clock: ManualClock; reads: HistoryReads },
  time: number,
  speed: number,
): Promise<void> {
  clock.set(time);
  const id = await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: speed }));
  await eventually(() => expect(reads().at(-1)?.args.at(-1)).toBe(id));
}

describe("GET /compute_avg_speed: validation", () => {
  const invalid = [
    ["-1", "expected a number from 0.1 to 300, written with digits only"],
    ["0", "expected a number >= 0.1"],
    ["0.05", "expected a number >= 0.1"],
    ["5e-324", "written with digits only"],
    ["0x10", "written with digits only"],
    ["%205%20", "written with digits only"],
    ["+5", "written with digits only"],
    ["NaN", "written with digits only"],
    ["Infinity", "written with digits only"],
    ["", "written with digits only"],
    ["%E0%A4%A", "written with digits only"],
    ["301", "expected a number <= 300"],
  ];

  test.for(invalid)(
    "rejects time_window_seconds=%s with 400 problem JSON naming it and saying why",
    async ([value, why], { redis }) => {
      const running = await startApi(redis);

      const problem = await expectProblem(
        await fetch(`${running.url}${window(value as string)}`),
        400,
        "time_window_seconds",
      );

      expect(problem.detail).toContain(why);
    },
  );

  test("rejects a missing time_window_seconds, or one given twice, with 400 problem JSON", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    const missing = await expectProblem(
      await fetch(`${running.url}/compute_avg_speed`),
      400,
      "time_window_seconds",
    );
    const twice = await expectProblem(
      await fetch(`${running.url}${window("1")}&time_window_seconds=2`),
      400,
      "time_window_seconds",
    );

    expect(missing.detail).toBe("time_window_seconds: is required");
    expect(twice.detail).toBe('time_window_seconds: must be given once (got ["1","2"])');
  });

  test("takes its upper limit from the configuration", async ({ redis }) => {
    const running = await startApi(redis, { maxWindowSeconds: 60 });

    const problem = await expectProblem(
      await fetch(`${running.url}${window("61")}`),
      400,
      "time_window_seconds",
    );

    expect(problem.detail).toContain("<= 60");
  });
});

describe("GET /compute_avg_speed: the computation", () => {
  test("answers the mean of the states of the window, each weighted by how long it was in force", async ({
    redis,
  }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock });
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord({ speed_meters_per_second: 2 }));

    const response = fetch(`${running.url}${window("60")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    // 2 m/s for 24 s, 6 m/s for 18 s, 10 m/s for 18 s: (48 + 108 + 180) / 60 = 5.6
    await changeStateAt({ api: running, clock, reads }, 24_000, 6);
    await changeStateAt({ api: running, clock, reads }, 42_000, 10);
    clock.set(60_000);

    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.json()).toBeCloseTo(5.6, 10);
  });

  test("sends Redis one command per state change, without polling", async ({ redis }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock });
    const watch = await watchRedis(redis.url);
    const writer = await clientAddress(running.writer);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    const response = fetch(`${running.url}${window("10")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    const changes = 5;
    for (let change = 1; change <= changes; change++) {
      await changeStateAt({ api: running, clock, reads }, change * 1000, change);
    }
    clock.set(10_000);
    expect((await response).status).toBe(200);
    await watch.caughtUp(running.writer);

    const apiCommands = [running.keys.state, running.keys.history].flatMap((key) =>
      watch.commandsOn(key, writer).map(({ args }) => args[0]),
    );
    // The state read once at the start, where the stream stood, then one XREAD per change.
    expect(apiCommands.sort()).toEqual(["GET", "XREVRANGE", ...Array(changes + 1).fill("XREAD")].sort());
  });

  test("answers at the end of the window by the real clock, the shortest window being 0.1 s", async ({
    redis,
  }) => {
    const running = await startApi(redis);
    const record = gpsRecord({ speed_meters_per_second: null, distance_meters: 10, elapsed_time_seconds: 4 });
    await writeRecord(running.writer, running.keys, record);

    const started = performance.now();
    const response = await fetch(`${running.url}${window("0.1")}`);

    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(response.status).toBe(200);
    // The record has no speed: it is derived from distance and time.
    expect(await response.json()).toBeCloseTo(2.5, 10);
  });

  test("averages over the part of the window that had a state when the first one comes mid-window", async ({
    redis,
  }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock });
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);

    const response = fetch(`${running.url}${window("10")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    await changeStateAt({ api: running, clock, reads }, 5000, 4);
    clock.set(10_000);

    expect(await (await response).json()).toBeCloseTo(4, 10);
  });

  test("answers 503 problem JSON with Retry-After when no state was received during the window", async ({
    redis,
  }) => {
    const running = await startApi(redis, { clock: new ManualClock({ automatic: true }) });

    const response = await fetch(`${running.url}${window("10")}`);

    const problem = await expectProblem(response, 503);
    expect(problem.detail).toBe("no GPS state was received during the window");
    expect(response.headers.get("retry-after")).toBe("1");
  });

  test("answers 500 problem JSON at once when a history entry is not a GPS record", async ({ redis }) => {
    const running = await startApi(redis);
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    const response = fetch(`${running.url}${window("30")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    const id = await writeRecord(running.writer, running.keys, { json: '{"latitude": "north"}' });

    const problem = await expectProblem(await response, 500);
    expect(problem.detail).toMatch(new RegExp(`^gps_history entry ${id} is not valid: `));
  });

  test("stops computing and closes its blocking connection when the client hangs up", async ({ redis }) => {
    const running = await startApi(redis);
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    const hangUp = new AbortController();
    const response = fetch(`${running.url}${window("60")}`, { signal: hangUp.signal });
    await eventually(() => expect(reads()).toHaveLength(1));
    const blocking = reads()[0]?.client;
    hangUp.abort();
    await expect(response).rejects.toThrow();

    const clients = async () => String(await running.writer.sendCommand(["CLIENT", "LIST"]));
    await eventually(async () => expect(await clients()).not.toContain(`addr=${blocking} `), {
      timeout: 2000,
    });
    await writeRecord(running.writer, running.keys, gpsRecord());
    await watch.caughtUp(running.writer);
    expect(reads()).toHaveLength(1);
    expect(running.logs.filter((line) => line.includes("failed"))).toEqual([]);
  });

  test("closes its blocking connection when the window is over", async ({ redis }) => {
    const running = await startApi(redis);
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    expect((await fetch(`${running.url}${window("0.2")}`)).status).toBe(200);

    const blocking = reads()[0]?.client;
    const clients = async () => String(await running.writer.sendCommand(["CLIENT", "LIST"]));
    await eventually(async () => expect(await clients()).not.toContain(`addr=${blocking} `), {
      timeout: 2000,
    });
  });

  test("answers 429 problem JSON with Retry-After beyond the limit of blocking requests", async ({
    redis,
  }) => {
    const clock = new ManualClock();
    const running = await startApi(redis, { clock, maxBlockingRequests: 1 });
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    const first = fetch(`${running.url}${window("30")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    const refused = await fetch(`${running.url}${window("5")}`);

    await expectProblem(refused, 429);
    expect(refused.headers.get("retry-after")).toBe("30");
    clock.set(30_000);
    expect((await first).status).toBe(200);
    const second = fetch(`${running.url}${window("1")}`);
    await eventually(() => expect(reads()).toHaveLength(2));
    clock.set(31_000);
    expect((await second).status).toBe(200);
  });

  test("answers 503 problem JSON when the API shuts down during the window", async ({ redis }) => {
    const running = await startApi(redis);
    const watch = await watchRedis(redis.url);
    const reads = await apiHistoryReads(running, watch);
    await writeRecord(running.writer, running.keys, gpsRecord());

    const response = fetch(`${running.url}${window("60")}`);
    await eventually(() => expect(reads()).toHaveLength(1));
    const closing = running.api.close();

    const answer = await response;
    const problem = await expectProblem(answer, 503);
    expect(problem.detail).toMatch(/shutting down/);
    expect(answer.headers.get("retry-after")).toBe("1");
    await closing;
  });
});
