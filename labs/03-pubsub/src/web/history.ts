import type { RedisClientType } from "redis";
import type { RedisKeys } from "../redis-keys.ts";
import { type GpsEvent, parseGpsEvent } from "./gps-event.ts";

/** The recent records, and what identifies this read of them. */
export interface Recent {
  /** Equal for two reads that returned the same records. */
  version: string;
  /** Oldest first. */
  events: GpsEvent[];
}

/**
 * The recent records, oldest first: the last `length` entries of the history, ending with the
 * current state (unless the history already ends with it). Entries that are not valid records
 * are left out: they never reach a browser.
 *
 * Given the `previous` read, it first asks Redis only for the newest entry and the state: when
 * neither changed, nothing was written since, and the previous read is returned as it is. A web
 * process that restarts sees all its browsers reconnect at once; most of them then cost a few
 * hundred bytes from Redis instead of the whole window.
 */
export async function readRecent(
  redis: RedisClientType,
  keys: RedisKeys,
  length: number,
  previous?: Recent,
): Promise<Recent> {
  if (previous !== undefined) {
    const [newest, state] = await readNewest(redis, keys, 1);
    if (versionOf(newest, state) === previous.version) return previous;
  }
  const [newestFirst, state] = await readNewest(redis, keys, length);
  const receivedAt = Date.now();
  const events: GpsEvent[] = [];
  for (const entry of newestFirst.toReversed()) {
    const json = entry.message.record;
    const parsed = json === undefined ? undefined : parseGpsEvent(json, receivedAt);
    if (parsed?.ok) events.push(parsed.event);
  }
  const current = state === null ? undefined : parseGpsEvent(state, receivedAt);
  if (current?.ok && current.event.id !== events.at(-1)?.id) events.push(current.event);
  return { version: versionOf(newestFirst, state), events };
}

/** The newest `count` history entries, newest first, and the state, read at the same instant. */
async function readNewest(redis: RedisClientType, keys: RedisKeys, count: number) {
  // One transaction: the replayer writes the state and the history in one, so the state is
  // never older than the history's newest entry.
  const [newestFirst, state] = await redis
    .multi()
    .xRevRange(keys.history, "+", "-", { COUNT: count })
    .get(keys.state)
    .execTyped();
  return [newestFirst ?? [], state] as const;
}

/**
 * History entries are only ever appended (the trimming of old ones happens as one is added),
 * and their ids only grow: the newest entry's id and the state tell whether anything was written.
 */
function versionOf(newestFirst: readonly { id: string }[], state: string | null): string {
  return `${newestFirst[0]?.id ?? "-"} ${state}`;
}
