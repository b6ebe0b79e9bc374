/**
 * The Redis names lab 03 uses, in one place. `prefix` lets tests share one Redis without
 * colliding; services run with the default "".
 */
export interface RedisKeys {
  /** String: the latest record as JSON. */
  state: string;
  /**
   * Stream: the recent records, each entry `record <json>`, oldest first. Redis gives each entry an
   * id, "<milliseconds>-<sequence>", that only ever grows: the record's place in the history.
   */
  history: string;
  /** Pub/sub channel: every new record, as `{"id":"<its history entry's id>","record":{…}}`. */
  channel: string;
  /**
   * Pub/sub channel: what services of their own derive from the records (the speed alerts), each
   * message a JSON object with a `type`. The web relays them as they come; nothing keeps them.
   */
  alerts: string;
}

export function redisKeys(prefix = ""): RedisKeys {
  return {
    state: `${prefix}gps_state`,
    history: `${prefix}gps_history`,
    channel: `${prefix}gps_state`,
    alerts: `${prefix}gps_alerts`,
  };
}
