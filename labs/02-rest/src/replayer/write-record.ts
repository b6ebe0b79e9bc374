import { GPS_RECORD_FIELDS, type GpsRecord } from "@gps-workshop/shared";
import { HISTORY_FIELD, type RedisKeys } from "../redis-keys.ts";
import type { RedisClient } from "./redis-client.ts";

export interface RecordStore {
  redis: RedisClient;
  keys: RedisKeys;
  /** gps_history is trimmed to about this many entries. */
  historyLength: number;
}

/**
 * Stores one record: the latest state, and an entry at the end of the history. In one MULTI/EXEC
 * transaction, so a reader never sees a state that the history does not have yet (or the reverse).
 * MAXLEN ~ lets Redis trim whole blocks of entries at once, which is much cheaper than trimming
 * to the exact length on every write: the history may hold up to ~100 entries more.
 */
export async function writeRecord(
  { redis, keys, historyLength }: RecordStore,
  record: GpsRecord,
): Promise<void> {
  // The field list fixes the order of the keys: the wire format's.
  const json = JSON.stringify(record, GPS_RECORD_FIELDS);
  await redis
    .multi()
    .set(keys.state, json)
    .xAdd(
      keys.history,
      "*",
      { [HISTORY_FIELD]: json },
      { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: historyLength } },
    )
    .exec();
}
