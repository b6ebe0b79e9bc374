import type { GpsRecord } from "@gps-workshop/shared";
import type { RedisClientType } from "redis";
import type { RedisKeys } from "../../src/redis-keys.ts";

/** A valid record at `timestamp` (seconds), on a short walk north. */
export function gpsRecord(timestamp: number): GpsRecord {
  return {
    timestamp,
    latitude: 46.5 + (timestamp % 1000) * 1e-5,
    longitude: 6.6,
    elevation: 372.5,
    accuracy: 4,
    bearing: 0,
    speed_meters_per_second: 1.1,
    satellites: 9,
    hdop: 0.8,
    vdop: null,
    pdop: null,
    distance_meters: 1.1,
    elapsed_time_seconds: 1,
  };
}

/** Writes a record the way lab 03's replayer does: state, history and channel in one transaction. */
export async function replayRecord(
  client: RedisClientType,
  keys: RedisKeys,
  record: GpsRecord,
): Promise<void> {
  const json = JSON.stringify(record);
  await client
    .multi()
    .set(keys.state, json)
    .xAdd(
      keys.history,
      "*",
      { record: json },
      { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: 3600 } },
    )
    .publish(keys.channel, json)
    .exec();
}

/** The SSE id of a record: its timestamp in milliseconds. */
export function idOf(record: GpsRecord): string {
  return String(Math.round(record.timestamp * 1000));
}
