/**
 * Where lab 02 keeps things in Redis: one place, so the replayer that writes and the API that
 * reads cannot disagree on a name.
 *
 * - `state`: a string, the latest GPS record as JSON (`SET gps_state <json>`).
 * - `history`: a stream, the bounded recent history (`XADD gps_history MAXLEN ~ n * record <json>`),
 *   written in the same MULTI/EXEC as `state`.
 * - `task(id)`: a string, one background computation's record as JSON, with a TTL.
 *
 * `prefix` goes before every key, so several copies of the lab (or of its tests) can share one Redis.
 */
export interface RedisKeys {
  state: string;
  history: string;
  task(id: string): string;
}

/** The field of a history entry that holds the record's JSON. */
export const HISTORY_FIELD = "record";

export function redisKeys(prefix = ""): RedisKeys {
  return {
    state: `${prefix}gps_state`,
    history: `${prefix}gps_history`,
    task: (id) => `${prefix}task:${id}`,
  };
}
