// Hidden checks of the exercise lab02.avg-speed: in the instructor's copy only.
import { gpsRecord, ManualClock, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { whilePending, why } from "../support/api-answer.ts";
import { expectProblem } from "../support/api-problem.ts";
import { writeRecord } from "../support/api-records.ts";
import { clientAddress, watchRedis } from "../support/api-redis-watch.ts";
import { startApi } from "../support/api-server.ts";

const window = (seconds: number) => `/compute_avg_speed?time_window_seconds=${seconds}`;

describe("GET /compute_avg_speed", () => {
  test("averages over the part of the window that had a state when the first one comes mid-window", async ({
    redis,
  }) => {
    const clock = new ManualClock();
    const api = await startApi(redis, { clock });
    const watch = await watchRedis(redis.url);
    const writer = await clientAddress(api.writer);
    const reads = () => watch.commandsOn(api.keys.history, writer).filter(({ args }) => args[0] === "XREAD");

    const pending = fetch(`${api.url}${window(10)}`);
    await whilePending(pending, api, () => expect(reads()).toHaveLength(1));
    clock.set(5000);
    const id = await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 4 }));
    await whilePending(pending, api, () => expect(reads().at(-1)?.args.at(-1)).toBe(id));
    clock.set(10_000);

    const response = await pending;
    expect(response.status, await why(response, api)).toBe(200);
    expect(await response.json()).toBeCloseTo(4, 10);
  });

  test("answers 500 problem JSON naming the entry, at once, when a history entry is not a GPS record", async ({
    redis,
  }) => {
    // A clock that never moves: only an answer that does not wait for the window's end comes.
    const api = await startApi(redis, { clock: new ManualClock() });
    const watch = await watchRedis(redis.url);
    const writer = await clientAddress(api.writer);
    const reads = () => watch.commandsOn(api.keys.history, writer).filter(({ args }) => args[0] === "XREAD");
    await writeRecord(api.writer, api.keys, gpsRecord());

    const pending = fetch(`${api.url}${window(30)}`);
    await whilePending(pending, api, () => expect(reads()).toHaveLength(1));
    const id = await writeRecord(api.writer, api.keys, { json: '{"latitude": "north"}' });

    const response = await pending;
    expect(response.status, await why(response, api)).toBe(500);
    const problem = await expectProblem(response, 500);
    expect(problem.detail).toContain(id);
  });
});
