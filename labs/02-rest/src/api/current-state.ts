import { NoGpsStateError } from "./errors.ts";
import { type RedisClient, unavailable } from "./redis-client.ts";
import { parseStoredRecord } from "./stored-record.ts";

/**
 * Reads the current GPS state from Redis and returns it as the response body: the record,
 * checked, as JSON in wire order.
 *
 * The state changes about once a second and is read thousands of times a second, so the body
 * made from the last value read is kept: an unchanged value is neither parsed nor checked again.
 */
export function currentStateReader(redis: RedisClient, key: string): () => Promise<string> {
  let last: { raw: string; body: string } | undefined;
  return async () => {
    const raw = await redis.get(key).catch(unavailable);
    if (raw === null) throw new NoGpsStateError("no GPS state yet: is the replayer running?");
    if (raw !== last?.raw) last = { raw, body: JSON.stringify(parseStoredRecord(raw, "gps_state")) };
    return last.body;
  };
}
