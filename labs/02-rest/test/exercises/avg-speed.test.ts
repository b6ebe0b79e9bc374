// Checks of the exercise lab02.avg-speed (npm run exercises -- hint lab02.avg-speed).
import { gpsRecord, ManualClock, type TestRedis, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { whilePending, why } from "../support/api-answer.ts";
import { expectProblem } from "../support/api-problem.ts";
import { writeRecord } from "../support/api-records.ts";
import { clientAddress, watchRedis } from "../support/api-redis-watch.ts";
import { type RunningApi, startApi } from "../support/api-server.ts";

const window = (seconds: number) => `/compute_avg_speed?time_window_seconds=${seconds}`;

/**
 * The API on a clock that the check moves by hand, with MONITOR on its Redis: `reads()` lists the
 * XREADs it sent on its history, `changeAt(time, speed)` moves the clock, writes a new state, and
 * waits until a blocking read of the API's has returned it.
 */
async function timedApi(redis: TestRedis) {
  const clock = new ManualClock();
  const api = await startApi(redis, { clock });
  const watch = await watchRedis(redis.url);
  const writer = await clientAddress(api.writer);
  const commands = () =>
    watch.commandsOn(api.keys.history, writer).concat(watch.commandsOn(api.keys.state, writer));
  const reads = () => watch.commandsOn(api.keys.history, writer).filter(({ args }) => args[0] === "XREAD");
  const changeAt = async (pending: Promise<Response>, time: number, speed: number) => {
    clock.set(time);
    const id = await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: speed }));
    await whilePending(pending, api, () => expect(reads().at(-1)?.args.at(-1)).toBe(id));
  };
  return { api, clock, watch, commands, reads, changeAt };
}

/** The answer to a window, once the clock has reached its end. */
async function answerAt(pending: Promise<Response>, api: RunningApi): Promise<Response> {
  const response = await pending;
  expect(response.status, await why(response, api)).toBe(200);
  return response;
}

describe("GET /compute_avg_speed", () => {
  test("answers the mean of the states of the window, each weighted by how long it was in force", async ({
    redis,
  }) => {
    const { api, clock, reads, changeAt } = await timedApi(redis);
    await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 2 }));

    const pending = fetch(`${api.url}${window(60)}`);
    await whilePending(pending, api, () => expect(reads()).toHaveLength(1));
    // 2 m/s for 24 s, 6 m/s for 18 s, 10 m/s for 18 s: (48 + 108 + 180) / 60 = 5.6
    await changeAt(pending, 24_000, 6);
    await changeAt(pending, 42_000, 10);
    clock.set(60_000);

    expect(await (await answerAt(pending, api)).json()).toBeCloseTo(5.6, 10);
  });

  test("waits on the history with XREAD BLOCK: Redis sees one command per state change, no polling", async ({
    redis,
  }) => {
    const { api, clock, watch, commands, reads, changeAt } = await timedApi(redis);
    await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 0 }));

    const pending = fetch(`${api.url}${window(10)}`);
    await whilePending(pending, api, () => expect(reads()).toHaveLength(1));
    const changes = 5;
    for (let change = 1; change <= changes; change++) await changeAt(pending, change * 1000, change);
    clock.set(10_000);
    // 0 m/s for 1 s, then 1, 2, 3 and 4 m/s for 1 s each, and 5 m/s for the last 5 s.
    expect(await (await answerAt(pending, api)).json()).toBeCloseTo(3.5, 10);
    await watch.caughtUp(api.writer);

    // The state in force read once at the start, then one blocking read per change and one more.
    expect(reads()).toHaveLength(changes + 1);
    for (const { args } of reads()) expect(args.map((arg) => arg.toUpperCase())).toContain("BLOCK");
    expect(commands().length - reads().length).toBeGreaterThanOrEqual(1);
    expect(commands().length - reads().length).toBeLessThanOrEqual(2);
  });

  test("answers 503 problem JSON with Retry-After when no state was received during the window", async ({
    redis,
  }) => {
    const api = await startApi(redis, { clock: new ManualClock({ automatic: true }) });

    const response = await fetch(`${api.url}${window(10)}`);

    expect(response.status, await why(response, api)).toBe(503);
    await expectProblem(response, 503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
