import type { GpsRecord } from "@gps-workshop/shared";
import type { RedisClient } from "../../src/api/redis-client.ts";
import { HISTORY_FIELD, type RedisKeys } from "../../src/redis-keys.ts";

/** A valid record; `overrides` sets the fields a test cares about. */
export function gpsRecord(overrides: Partial<GpsRecord> = {}): GpsRecord {
  return {
    timestamp: 1_700_000_000,
    latitude: 45.1885,
    longitude: 5.7245,
    elevation: 212.5,
    accuracy: 4,
    bearing: 90,
    speed_meters_per_second: 1.5,
    satellites: 9,
    hdop: 0.9,
    vdop: 1.2,
    pdop: 1.5,
    distance_meters: 1.5,
    elapsed_time_seconds: 1,
    ...overrides,
  };
}

/**
 * Writes a record the way the replayer does: SET gps_state and XADD gps_history in one
 * transaction. `json` replaces the record's JSON, to write garbage. Resolves to the history id.
 */
export async function writeRecord(
  redis: RedisClient,
  keys: RedisKeys,
  record: GpsRecord | { json: string },
): Promise<string> {
  const json = "json" in record ? record.json : JSON.stringify(record);
  const [, id] = await redis
    .multi()
    .set(keys.state, json)
    .xAdd(
      keys.history,
      "*",
      { [HISTORY_FIELD]: json },
      { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: 3600 } },
    )
    .exec();
  return String(id);
}
