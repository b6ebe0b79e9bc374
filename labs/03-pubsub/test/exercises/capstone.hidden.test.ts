import { randomUUID } from "node:crypto";
import path from "node:path";
import { connectRedis, startNodeProcess, test } from "@gps-workshop/shared/testing";
import { describe, expect, vi } from "vitest";
import { redisKeys } from "../../src/redis-keys.ts";
import { publishRecord, recordAt } from "../support/records.ts";
import { logTail } from "./support.ts";

// The alerts service as `npm run dev:alerts` runs it, against the test's Redis, with a limit of
// its own; records published as the replayer publishes them, and other messages in between.

const ALERTS = path.resolve(import.meta.dirname, "../../src/alerts/main.ts");
const T0 = 1_773_504_000;

describe("lab03.capstone", () => {
  test("keeps going through messages that are no records and records without a speed, at SPEED_LIMIT_KMH", async ({
    redis,
  }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const keys = redisKeys(prefix);
    const publisher = await connectRedis(redis.url);
    const alerts: string[] = [];
    await (await connectRedis(redis.url)).subscribe(keys.alerts, (message) => alerts.push(message));
    const service = startNodeProcess(ALERTS, {
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, SPEED_LIMIT_KMH: "50" },
    });
    const log = () => logTail("alerts service", service.stderr());
    const subscribed = vi.waitFor(
      async () => expect((await publisher.pubSubNumSub(keys.channel))[keys.channel], log()).toBe(1),
      { timeout: 15_000, interval: 100 },
    );
    const exit = await Promise.race([subscribed.then(() => undefined), service.exited]);
    expect(exit, `the alerts service exited. ${log()}`).toBeUndefined();
    const at = (i: number, kmh: number | null) => ({
      ...recordAt(T0 + i),
      speed_meters_per_second: kmh === null ? null : kmh / 3.6,
    });

    await publishRecord(publisher, keys, at(0, 40));
    await publisher.publish(keys.channel, "not JSON");
    await publisher.publish(keys.channel, JSON.stringify({ hello: "world" }));
    const above = await publishRecord(publisher, keys, at(1, 60));
    await publishRecord(publisher, keys, at(2, null));
    await publishRecord(publisher, keys, at(3, 55));
    const under = await publishRecord(publisher, keys, at(4, 45));

    await vi.waitFor(
      () =>
        expect(
          alerts.some((alert) => alert.includes(under)),
          log(),
        ).toBe(true),
      {
        timeout: 5000,
      },
    );
    expect(alerts.map((alert) => JSON.parse(alert))).toMatchObject([
      { type: "speeding", record_id: above, limit_kmh: 50 },
      { type: "back-under-limit", record_id: under, limit_kmh: 50 },
    ]);
    expect(service.child.exitCode, log()).toBeNull();
  });
});
