/**
 * Where lab 02 keeps things in Redis, one place for the replayer and the API: `gps_state`, the last
 * record as JSON; `gps_history`, a stream of the recent ones (field `record`), written in the same
 * MULTI/EXEC; `task:<id>`, a background computation. `prefix` lets several copies share one Redis.
 */
export function redisKeys(prefix = "") {
  return {
    state: `${prefix}gps_state`,
    history: `${prefix}gps_history`,
    task: (id: string) => `${prefix}task:${id}`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
/** The field of a history entry that holds the record's JSON: the replayer writes `record <json>`. */
export const HISTORY_FIELD = "record";
