import type { GpsRecord } from "@gps-workshop/shared";
import { gpsRecord } from "@gps-workshop/shared/testing";
import type { RedisClientType } from "redis";
import type { RedisKeys } from "../../src/redis-keys.ts";
import { publishRecord } from "../../src/replayer/publish-record.ts";

/** A valid record at `timestamp` (seconds), on a short walk north. */
export function recordAt(timestamp: number): GpsRecord {
  return gpsRecord({ timestamp, latitude: 45.1885 + (timestamp % 1000) * 1e-5 });
}

/** Writes a record with lab 03's replayer's own code: state, history and channel in one transaction. */
export function replayRecord(client: RedisClientType, keys: RedisKeys, record: GpsRecord): Promise<void> {
  return publishRecord({ redis: client, keys, historyLength: 3600 }, record);
}

/** The SSE id of a record: its timestamp in milliseconds. */
export function idOf(record: GpsRecord): string {
  return String(Math.round(record.timestamp * 1000));
}
