import { GPS_RECORD_FIELDS, type GpsRecord } from "@gps-workshop/shared";
import { gpsRecord } from "@gps-workshop/shared/testing";
import type { RedisClientType } from "redis";
import type { RedisKeys } from "../../src/redis-keys.ts";

/** A valid record at `timestamp` (seconds), on a short walk north. */
export function recordAt(timestamp: number): GpsRecord {
  return gpsRecord({ timestamp, latitude: 45.1885 + (timestamp % 1000) * 1e-5 });
}

/** Writes a record as the web reads it: state, history and the bare record on the channel, in one transaction. */
export async function replayRecord(
  client: RedisClientType,
  keys: RedisKeys,
  record: GpsRecord,
): Promise<void> {
  const json = JSON.stringify(record, GPS_RECORD_FIELDS);
  await client
    .multi()
    .set(keys.state, json)
    .xAdd(keys.history, "*", { record: json })
    .publish(keys.channel, json)
    .exec();
}

/** The SSE id of a record: its timestamp in milliseconds. */
export function idOf(record: GpsRecord): string {
  return String(Math.round(record.timestamp * 1000));
}
