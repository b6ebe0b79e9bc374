import { GPS_RECORD_FIELDS, type GpsRecord } from "@gps-workshop/shared";
import type { RedisKeys } from "../redis-keys.ts";
import type { RedisClient } from "./redis-client.ts";

export interface RecordChannel {
  redis: RedisClient;
  keys: RedisKeys;
  /** gps_history is trimmed to about this many entries. */
  historyLength: number;
}

/**
 * Publishes one record to the subscribers of the `gps_state` channel, and stores it for those
 * that connect later: as the latest state, and at the end of the history. All three in one
 * MULTI/EXEC transaction, so a subscriber that reads the history when a message arrives finds
 * that record in it. Pub/sub alone keeps nothing: a message reaches whoever listens right then.
 * MAXLEN ~ lets Redis trim whole blocks of entries at once (the history may hold ~100 more).
 */
export async function publishRecord(
  { redis, keys, historyLength }: RecordChannel,
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
      { record: json },
      { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: historyLength } },
    )
    .publish(keys.channel, json)
    .exec();
}
