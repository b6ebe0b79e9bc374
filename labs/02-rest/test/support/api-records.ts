import type { RedisClient } from "@gps-workshop/service/redis";
import type { GpsRecord } from "@gps-workshop/shared";
import { HISTORY_FIELD, type RedisKeys } from "../../src/redis-keys.ts";

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
