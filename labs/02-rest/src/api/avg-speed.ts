import { echo } from "@gps-workshop/service/config";
import { HttpProblem } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { type Clock, GpsRecordSchema, recordSpeed, TimeWeightedMean } from "@gps-workshop/shared";
import { ErrorReply } from "redis";
import { z } from "zod";
import { HISTORY_FIELD, type RedisKeys } from "../redis-keys.ts";

// Every 503 says when to try again: Redis reconnects, and the replayer writes, within a second or so.
const RETRY_SOON = { "Retry-After": "1" };
const noGpsState = (detail: string) =>
  new HttpProblem(503, detail, { type: "/problems/no-gps-state", headers: RETRY_SOON });

/** For `.catch()` after a Redis command: Redis out of reach is a 503; an error reply (WRONGTYPE) is a 500. */
export function unavailable(error: unknown): never {
  if (error instanceof ErrorReply) throw error;
  const detail = `Redis is unavailable: ${error instanceof Error ? error.message : error}`;
  throw new HttpProblem(503, detail, { type: "/problems/redis-unavailable", headers: RETRY_SOON });
}

/** For problemHandler: an error reply means that Redis holds something it should not. */
export const redisError = (error: unknown) =>
  error instanceof ErrorReply
    ? new HttpProblem(500, `Redis answered: ${error.message}`, { type: "/problems/invalid-data" })
    : undefined;

/** Why the computations in progress stop when the API shuts down. */
export const shuttingDown = new HttpProblem(503, "the API is shutting down: try again in a moment", {
  type: "/problems/shutting-down",
  headers: { ...RETRY_SOON, Connection: "close" },
});

/** Reads what another process wrote to Redis, checked like any input; `where` names it in the 500. */
export function parseStored<Schema extends z.ZodType>(schema: Schema, raw: string, where: string) {
  const invalid = (why: string) =>
    new HttpProblem(500, `${where} ${why}`, { type: "/problems/invalid-data" });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(`is not JSON: ${echo(raw)}`);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data as z.output<Schema>;
  const issue = result.error.issues[0];
  throw invalid(`is not valid: ${issue?.path.join(".") || "value"}: ${issue?.message}`);
}

/**
 * GET gps_state, checked, as the body to send. It changes once a second and is read thousands of
 * times a second (npm run bench:rest-api), so the body of an unchanged value is kept.
 */
export function stateReader(redis: RedisClient, key: string): () => Promise<string> {
  let last: { raw: string; body: string } | undefined;
  return async () => {
    const raw = await redis.get(key).catch(unavailable);
    if (raw === null) throw noGpsState("no GPS state yet: is the replayer running?");
    if (raw !== last?.raw)
      last = { raw, body: JSON.stringify(parseStored(GpsRecordSchema, raw, "gps_state")) };
    return last.body;
  };
}

/**
 * The computations of one kind in progress (blocking requests, or tasks): at most `limit` at once,
 * beyond which a 429 says when the first one is due to end. Shutdown waits until they have settled.
 */
export function computations(limit: number, what: string, clock: Clock) {
  const ends = new Map<Promise<void>, number>(); // each one, with the clock time at which it is due to end
  return {
    /** Throws a 429 if `limit` are in progress already. */
    ensureRoom(): void {
      if (ends.size < limit) return;
      const wait = Math.max(1, Math.ceil((Math.min(...ends.values()) - clock.now()) / 1000));
      throw new HttpProblem(429, `too many ${what} in progress: try again in ${wait} s`, {
        type: "/problems/too-many-requests",
        headers: { "Retry-After": `${wait}` },
      });
    },
    /** Counts `work`, due to take `seconds`, until it settles. */
    track(seconds: number, work: Promise<unknown>): void {
      const forget = () => void ends.delete(settled);
      const settled = work.then(forget, forget);
      ends.set(settled, clock.now() + seconds * 1000);
    },
    settled: () => Promise.all(ends.keys()),
  };
}

export type Computations = ReturnType<typeof computations>;

// What XREAD answers: null when it timed out, else the new entries of the one stream it read.
const XReadReply = z
  .array(
    z.object({ messages: z.array(z.object({ id: z.string(), message: z.record(z.string(), z.string()) })) }),
  )
  .nullable();

/**
 * The time-weighted mean speed (m/s) over the next `seconds`: each state counts for as long as it
 * was the current one, from the moment it reached the API, by the API's clock (the timestamps in
 * replayed records are the recording's). No polling: it reads the state in force once, then waits
 * with `XREAD BLOCK` on the history stream, so Redis sees one command per state change.
 * Aborting `signal` stops it at once; it then rejects with the signal's reason.
 */
export async function averageSpeedOverNext(
  { redis, keys, clock }: { redis: RedisClient; keys: RedisKeys; clock: Clock },
  seconds: number,
  signal: AbortSignal,
): Promise<number> {
  const start = clock.now();
  const end = start + seconds * 1000;
  // In one transaction, as the replayer writes them: no change can slip in between the two reads.
  const [state, newest] = await redis
    .multi()
    .get(keys.state)
    .xRevRange(keys.history, "+", "-", { COUNT: 1 })
    .exec()
    .catch(unavailable);
  const record = (json: unknown, where: string) => parseStored(GpsRecordSchema, String(json), where);
  const mean = new TimeWeightedMean(
    start,
    state === null ? undefined : recordSpeed(record(state, "gps_state")),
  );
  let lastId = Array.isArray(newest) && typeof newest[0]?.id === "string" ? newest[0].id : "0-0";

  // XREAD BLOCK holds its connection until it answers: a connection of its own, which does not
  // reconnect (losing Redis fails the computation) and is closed at the end.
  const blocking = redis.duplicate({ socket: { ...redis.options.socket, reconnectStrategy: false } });
  blocking.on("error", () => {}); // its errors reject the pending command too, handled there
  // Redis ends a block only to about 100 ms, so the clock ends the window (with null, as a
  // timed-out XREAD), or rejects with the reason of an abort.
  const over = new AbortController();
  const windowEnd = clock.sleepUntil(end, AbortSignal.any([signal, over.signal])).then(() => null);
  try {
    await Promise.race([blocking.connect().catch(unavailable), windowEnd]);
    while (clock.now() < end) {
      const read = blocking.xRead({ key: keys.history, id: lastId }, { BLOCK: Math.ceil(end - clock.now()) });
      const reply = XReadReply.parse(await Promise.race([read.catch(unavailable), windowEnd]));
      const arrival = clock.now();
      if (arrival > end) break;
      for (const { id, message } of reply?.[0]?.messages ?? []) {
        mean.add(arrival, recordSpeed(record(message[HISTORY_FIELD], `gps_history entry ${id}`)));
        lastId = id;
      }
    }
  } finally {
    over.abort();
    blocking.destroy();
  }
  const value = mean.mean(end);
  if (value === undefined) throw noGpsState("no GPS state was received during the window");
  return value;
}
