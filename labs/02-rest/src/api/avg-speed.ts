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

/** What GET /gps_state answers for what `GET gps_state` gave (null: nothing there): the record as JSON,
 * checked, in wire order; or a problem: a 503 that says when to try again, a 500 that names gps_state. */
function stateBody(raw: string | null): string {
  // #region solution lab02.gps-state
  if (raw === null) throw soon("no-gps-state", "no GPS state yet: is the replayer running?");
  return JSON.stringify(parseStored(GpsRecordSchema, raw, "gps_state"));
  // #endregion
}

/** GET gps_state, as the body to send. It changes once a second and is read thousands of times a second
 * (npm run bench:rest-api), so the body of an unchanged value is kept. */
export function stateReader({ redis, keys }: RedisContext): () => Promise<string> {
  let last: { raw?: string | null; body: string } = { body: "" };
  return async () => {
    const raw = await redis.get(keys.state).catch(redisFailed);
    if (raw !== last.raw) last = { raw, body: stateBody(raw) };
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
const Entry = z.object({ id: z.string(), message: z.object({ [HISTORY_FIELD]: z.string().optional() }) });
const XReadReply = z.array(z.object({ messages: z.array(Entry) })).nullable();
/** The speed (m/s) in a record's JSON that the replayer wrote, checked: a 500 names `where` if invalid. */
const speedOf = (json: string | undefined, where: string) =>
  recordSpeed(parseStored(GpsRecordSchema, String(json), where));

/**
 * The time-weighted mean speed (m/s) over the next `seconds`: each state counts for as long as it
 * was the current one, from the moment it reached the API, by the API's clock (the timestamps in
 * replayed records are the recording's). No polling: it reads the state in force once, then waits
 * with `XREAD BLOCK` on the history stream, so Redis sees one command per state change.
 * Aborting `signal` stops it at once; it then rejects with the signal's reason.
 */
export async function averageSpeedOverNext(
  { redis, keys, clock }: RedisContext,
  seconds: number,
  signal: AbortSignal,
): Promise<number> {
  const start = clock.now();
  const end = start + seconds * 1000;
  const mean = new TimeWeightedMean(start); // mean.add(time, speed): from `time` on, the speed is `speed`
  // XREAD BLOCK holds its connection until it answers: one of its own, that does not reconnect.
  const blocking = redis.duplicate({ socket: { ...redis.options.socket, reconnectStrategy: false } });
  blocking.on("error", () => {}); // its errors reject the pending command too, handled there
  // Redis times a block out only to about 100 ms, so the clock ends the window: untilEnd(command)
  // is the command's answer (a Redis failure as a problem), or null once the window is over.
  const over = new AbortController();
  const windowEnd = clock.sleepUntil(end, AbortSignal.any([signal, over.signal])).then(() => null);
  const untilEnd = <T>(command: Promise<T>) => Promise.race([command.catch(redisFailed), windowEnd]);
  try {
    await untilEnd(blocking.connect());
    // #region solution lab02.avg-speed
    // In one transaction, as the replayer writes them: no change can slip in between the two reads.
    const [state, newest] = await redis
      .multi()
      .get(keys.state)
      .xRevRange(keys.history, "+", "-", { COUNT: 1 })
      .execTyped()
      .catch(redisFailed);
    if (state !== null) mean.add(start, speedOf(state, "gps_state"));
    let lastId = newest?.[0]?.id ?? "0-0";
    while (clock.now() < end) {
      const block = { BLOCK: Math.ceil(end - clock.now()) };
      const reply = await untilEnd(blocking.xRead({ key: keys.history, id: lastId }, block));
      const arrival = clock.now();
      if (arrival > end) break;
      for (const { id, message } of XReadReply.parse(reply)?.[0]?.messages ?? []) {
        mean.add(arrival, speedOf(message.record, `gps_history entry ${id}`));
        lastId = id;
      }
    }
    const value = mean.mean(end);
    if (value === undefined) throw soon("no-gps-state", "no GPS state was received during the window");
    return value;
    // #endregion
  } finally {
    over.abort();
    blocking.destroy();
  }
}
