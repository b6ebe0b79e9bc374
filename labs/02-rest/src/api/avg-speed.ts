import { echo } from "@gps-workshop/service/config";
import { HttpProblem } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { type Clock, GpsRecordSchema, recordSpeed, TimeWeightedMean } from "@gps-workshop/shared";
import { ErrorReply } from "redis";
import { z } from "zod";
import { HISTORY_FIELD, type RedisKeys } from "../redis-keys.ts";

export type RedisContext = { redis: RedisClient; keys: RedisKeys; clock: Clock };

// Every 503 says when to try again: Redis reconnects, and the replayer writes, within a second or so.
const soon = (type: string, detail: string, headers = {}) =>
  new HttpProblem(503, detail, { type: `/problems/${type}`, headers: { "Retry-After": "1", ...headers } });
const invalid = (detail: string) => new HttpProblem(500, detail, { type: "/problems/invalid-data" });

/** Why the computations in progress stop when the API shuts down. */
export const shuttingDown = soon("shutting-down", "the API is shutting down", { Connection: "close" });

/** For `.catch()` after a Redis command: Redis out of reach is a 503; an error reply (WRONGTYPE) a 500. */
export function redisFailed(error: unknown): never {
  const why = error instanceof Error ? error.message : String(error);
  throw error instanceof ErrorReply
    ? invalid(`Redis answered: ${why}`)
    : soon("redis-unavailable", `Redis is unavailable: ${why}`);
}

/** For /readyz: Redis answers PING within a second (a frozen Redis keeps the connection open). */
export async function ping(redis: RedisClient): Promise<void> {
  await redis.withCommandOptions({ timeout: 1000, rejectInFlight: true }).ping().catch(redisFailed);
}

/** Reads what another process wrote to Redis, checked like any input; `where` names it in the 500. */
export function parseStored<Schema extends z.ZodType>(schema: Schema, raw: string, where: string) {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(`${where} is not JSON: ${echo(raw)}`);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data as z.output<Schema>;
  const issue = result.error.issues[0];
  throw invalid(`${where} is not valid: ${issue?.path.join(".") || "value"}: ${issue?.message}`);
}

/**
 * GET gps_state, checked, as the body to send. It changes once a second and is read thousands of
 * times a second (npm run bench:rest-api), so the body of an unchanged value is kept.
 */
export function stateReader({ redis, keys }: RedisContext): () => Promise<string> {
  let last: { raw?: string; body: string } = { body: "" };
  return async () => {
    const raw = await redis.get(keys.state).catch(redisFailed);
    if (raw === null) throw soon("no-gps-state", "no GPS state yet: is the replayer running?");
    if (raw !== last.raw)
      last = { raw, body: JSON.stringify(parseStored(GpsRecordSchema, raw, "gps_state")) };
    return last.body;
  };
}

/** The computations of one kind in progress: at most `limit`, beyond which a 429 says when to retry. */
export function computations(limit: number, what: string, clock: Clock) {
  const ends = new Map<Promise<void>, number>(); // each one, and the clock time at which it is due to end
  return {
    ensureRoom(): void {
      if (ends.size < limit) return;
      const wait = Math.max(1, Math.ceil((Math.min(...ends.values()) - clock.now()) / 1000));
      const headers = { "Retry-After": `${wait}` };
      throw new HttpProblem(429, `too many ${what} in progress: try again in ${wait} s`, { headers });
    },
    track(seconds: number, work: Promise<unknown>): void {
      const forget = () => void ends.delete(settled);
      const settled = work.then(forget, forget);
      ends.set(settled, clock.now() + seconds * 1000);
    },
    settled: () => Promise.all(ends.keys()),
  };
}

// What XREAD answers: null when it timed out, else the new entries of the one stream it read.
const Entries = z.array(z.object({ id: z.string(), message: z.record(z.string(), z.string()) }));
const XReadReply = z.array(z.object({ messages: Entries })).nullable();

/**
 * The time-weighted mean speed (m/s) over the next `seconds`: each state counts for as long as it
 * was the current one, from the moment it reached the API, by the API's clock (the timestamps in
 * replayed records are the recording's). No polling: it reads the state in force once, then waits
 * with `XREAD BLOCK` on the history stream, so Redis sees one command per state change.
 * Aborting `signal` stops it at once; it then rejects with the signal's reason.
 */
export async function averageSpeedOverNext(context: RedisContext, seconds: number, signal: AbortSignal) {
  const { redis, keys, clock } = context;
  const start = clock.now();
  const end = start + seconds * 1000;
  const speed = (json: unknown, where: string) =>
    recordSpeed(parseStored(GpsRecordSchema, String(json), where));
  // In one transaction, as the replayer writes them: no change can slip in between the two reads.
  const [state, newest] = await redis
    .multi()
    .get(keys.state)
    .xRevRange(keys.history, "+", "-", { COUNT: 1 })
    .exec()
    .catch(redisFailed);
  const mean = new TimeWeightedMean(start, state === null ? undefined : speed(state, "gps_state"));
  let lastId = Array.isArray(newest) && typeof newest[0]?.id === "string" ? newest[0].id : "0-0";

  // XREAD BLOCK holds its connection until it answers: one of its own, that does not reconnect.
  const blocking = redis.duplicate({ socket: { ...redis.options.socket, reconnectStrategy: false } });
  blocking.on("error", () => {}); // its errors reject the pending command too, handled there
  // Redis times a block out only to about 100 ms, so the clock ends the window (with null, as a
  // timed-out XREAD), or rejects with the reason of an abort.
  const over = new AbortController();
  const windowEnd = clock.sleepUntil(end, AbortSignal.any([signal, over.signal])).then(() => null);
  try {
    await Promise.race([blocking.connect().catch(redisFailed), windowEnd]);
    while (clock.now() < end) {
      const read = blocking.xRead({ key: keys.history, id: lastId }, { BLOCK: Math.ceil(end - clock.now()) });
      const reply = XReadReply.parse(await Promise.race([read.catch(redisFailed), windowEnd]));
      const arrival = clock.now();
      if (arrival > end) break;
      for (const { id, message } of reply?.[0]?.messages ?? []) {
        mean.add(arrival, speed(message[HISTORY_FIELD], `gps_history entry ${id}`));
        lastId = id;
      }
    }
  } finally {
    over.abort();
    blocking.destroy();
  }
  const value = mean.mean(end);
  if (value === undefined) throw soon("no-gps-state", "no GPS state was received during the window");
  return value;
}
