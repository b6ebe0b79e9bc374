import { type Clock, recordSpeed, TimeWeightedMean } from "@gps-workshop/shared";
import { z } from "zod";
import { HISTORY_FIELD, type RedisKeys } from "../redis-keys.ts";
import { NoGpsStateError } from "./errors.ts";
import { blockingConnection, type RedisClient, unavailable } from "./redis-client.ts";
import { parseStoredRecord } from "./stored-record.ts";

export interface AverageSpeedOptions {
  redis: RedisClient;
  keys: RedisKeys;
  /** Length of the window, in seconds, starting now. */
  seconds: number;
  clock: Clock;
  /** Aborting stops the computation at once; the promise then rejects with the signal's reason. */
  signal: AbortSignal;
}

// What XREAD returns: null when it timed out, else the new entries of the one stream it read.
const XReadReplySchema = z
  .array(
    z.object({ messages: z.array(z.object({ id: z.string(), message: z.record(z.string(), z.string()) })) }),
  )
  .nullable();

/**
 * The time-weighted mean speed (m/s) of the replayed GPS state over the next `seconds`: each
 * state counts for as long as it stayed the current one. Resolves when the window ends.
 *
 * It does not poll. It reads the state in force at the start once, then waits on the history
 * stream with `XREAD BLOCK`, so Redis sees one command per state change. Each new state is
 * weighted from the moment it reached the API, by the API's monotonic clock: the timestamps
 * inside replayed records are the recording's, not the replay's.
 */
export async function averageSpeedOverNext({
  redis,
  keys,
  seconds,
  clock,
  signal,
}: AverageSpeedOptions): Promise<number> {
  signal.throwIfAborted();
  const start = clock.now();
  const end = start + seconds * 1000;

  // One transaction, so that no change can slip in between reading the state and noting where
  // the history stream stood (the replayer writes both in one transaction too).
  const [state, newest] = await redis
    .multi()
    .get(keys.state)
    .xRevRange(keys.history, "+", "-", { COUNT: 1 })
    .exec()
    .catch(unavailable);
  signal.throwIfAborted();
  const initialSpeed =
    typeof state === "string" ? recordSpeed(parseStoredRecord(state, "gps_state")) : undefined;
  const mean = new TimeWeightedMean(start, initialSpeed);
  let lastId = Array.isArray(newest) && typeof newest[0]?.id === "string" ? newest[0].id : "0-0";

  const blocking = blockingConnection(redis);
  // Redis ends a block only to about 100 ms (its timer ticks 10 times a second), so a local
  // timer ends the window on time.
  const timer = new AbortController();
  const stop = () => {
    blocking.destroy();
    timer.abort();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    await blocking.connect().catch(unavailable);
    // Resolves to null, as an XREAD that timed out would, when the window is over or the computation stops.
    const windowEnd = clock.sleepUntil(end, timer.signal).then(
      () => null,
      () => null,
    );
    while (clock.now() < end) {
      const read = blocking.xRead({ key: keys.history, id: lastId }, { BLOCK: Math.ceil(end - clock.now()) });
      const reply = XReadReplySchema.parse(await Promise.race([read.catch(unavailable), windowEnd]));
      signal.throwIfAborted();
      const arrival = clock.now();
      if (arrival > end) break;
      for (const { id, message } of reply?.[0]?.messages ?? []) {
        const record = parseStoredRecord(message[HISTORY_FIELD] ?? "", `gps_history entry ${id}`);
        mean.add(arrival, recordSpeed(record));
        lastId = id;
      }
    }
  } catch (error) {
    // Once aborted, whatever failed (typically the destroyed connection) is only a consequence.
    signal.throwIfAborted();
    throw error;
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
  signal.throwIfAborted();
  const value = mean.mean(end);
  if (value === undefined) throw new NoGpsStateError("no GPS state was received during the window");
  return value;
}
