import { GPS_RECORD_FIELDS, type GpsRecord } from "@gps-workshop/shared";
import { gpsRecord } from "@gps-workshop/shared/testing";
import type { RedisClientType } from "redis";
import type { RedisKeys } from "../../src/redis-keys.ts";

/** A valid record at `timestamp` (seconds), on a short walk north. */
export function recordAt(timestamp: number): GpsRecord {
  return gpsRecord({ timestamp, latitude: 45.1885 + (timestamp % 1000) * 1e-5 });
}

/** Anything that runs Redis commands: a plain client, or a lab service's. */
type Redis = Pick<RedisClientType, "multi" | "publish">;

/**
 * Writes a record as lab 03's replayer does: the state and the history in one transaction, then
 * the message `{"id","record"}` with the history entry's id. Resolves with that id.
 */
export async function publishRecord(redis: Redis, keys: RedisKeys, record: GpsRecord): Promise<string> {
  const json = JSON.stringify(record, GPS_RECORD_FIELDS);
  const [, id] = await redis
    .multi()
    .set(keys.state, json)
    .xAdd(
      keys.history,
      "*",
      { record: json },
      { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: 3600 } },
    )
    .exec();
  await redis.publish(keys.channel, JSON.stringify({ id, record }));
  return String(id);
}

/** The ids of the history's entries, oldest first. */
export async function historyIds(redis: RedisClientType, keys: RedisKeys): Promise<string[]> {
  return ((await redis.xRange(keys.history, "-", "+")) ?? []).map(({ id }) => id);
}
