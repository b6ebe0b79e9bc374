/**
 * What lab 03's web reads from Redis, the messages on the `gps_state` channel,
 * `{"id":"1773504000000-0","record":{…}}`, and the entries of the `gps_history` stream,
 * `record <json>`; and what it sends on /events. The id is the record's place in the history.
 */
import { echo } from "@gps-workshop/service/config";
import { HttpProblem } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { GPS_RECORD_FIELDS, type GpsRecord, GpsRecordSchema } from "@gps-workshop/shared";
import type { Request } from "express";
import { z } from "zod";
import type { RedisKeys } from "../redis-keys.ts";
import { sseFrame } from "./sse.ts";

/** A history entry's id: milliseconds, a dash, a sequence number. */
const ENTRY_ID = /^\d{1,15}-\d{1,15}$/;
const Message = z.object({ id: z.string().regex(ENTRY_ID).optional(), record: GpsRecordSchema });

/** A record on its way to the browsers; no `id` when it was published by hand without one. */
export interface Relayed {
  id: string | undefined;
  record: GpsRecord;
  /** `Date.now()` when it reached this process. */
  receivedAt: number;
}

/** A message from the channel, or what is wrong with it in a few words. */
export function parseMessage(text: string): Relayed | string {
  const value = parseJson(text);
  if (typeof value !== "object" || value === null || !("record" in value)) {
    return value === undefined ? "not JSON" : 'expected {"record":{…}}';
  }
  const parsed = Message.safeParse(value);
  if (parsed.success) return { id: parsed.data.id, record: parsed.data.record, receivedAt: Date.now() };
  const issue = parsed.error.issues[0];
  return `${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}`;
}

/**
 * A message on `gps_alerts`, from a service of your own: a JSON object of 4 KB at most with a `type`,
 * such as `{"type":"speeding","speed_kmh":31.2,"limit_kmh":25}`. /events relays its text as it came.
 */
export interface Alert {
  type: string;
  fields: Record<string, unknown>;
  receivedAt: number;
}

const AlertMessage = z.looseObject({ type: z.string().min(1).max(60) });

/** An alert, or what is wrong with the message in a few words. */
export function parseAlert(text: string): Alert | string {
  const parsed = AlertMessage.safeParse(text.length > 4096 ? undefined : parseJson(text));
  if (!parsed.success) return 'expected a JSON object of 4 KB at most, with a "type" of 1 to 60 characters';
  const { type, ...fields } = parsed.data;
  return { type, fields, receivedAt: Date.now() };
}

/** `log`, but one line every 10 s at most, whatever someone publishes. */
export function throttled(log: (line: string) => void): (line: string) => void {
  let loggedAt = Number.NEGATIVE_INFINITY;
  return (line) => {
    if (Date.now() - loggedAt < 10_000) return;
    loggedAt = Date.now();
    log(line);
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The history's entries after the entry `after` (all of them when undefined), oldest first: the
 * newest `count` of them, if given. An entry that holds no valid record is left out; a failed read
 * is logged, and finds nothing.
 */
export async function readHistory(
  { redis, keys, log }: { redis: RedisClient; keys: RedisKeys; log(line: string): void },
  after: string | undefined,
  count?: number,
): Promise<Relayed[]> {
  try {
    // #region solution lab03.sse-resume
    // Newest first, from the end ("+") down to the entry after `after`: "(" leaves `after` out.
    const from = after === undefined ? "-" : `(${after}`;
    const newestFirst = await redis.xRevRange(keys.history, "+", from, count ? { COUNT: count } : undefined);
    return fromEntries(newestFirst ?? []).reverse();
    // #endregion
  } catch (error) {
    log(`web: could not read ${keys.history}: ${String(error)}`);
    return [];
  }
}

/** History entries as records, but those that hold no valid record. */
export function fromEntries(entries: { id: string; message: Record<string, string> }[]): Relayed[] {
  return entries.flatMap(({ id, message }) => {
    try {
      const parsed = GpsRecordSchema.safeParse(JSON.parse(message.record ?? ""));
      return parsed.success ? [{ id, record: parsed.data, receivedAt: Date.now() }] : [];
    } catch {
      return [];
    }
  });
}

/** `/events`'s frame: the record as JSON, its keys in the wire format's order, with the entry's id. */
export const gpsFrame = ({ id, record }: Relayed): string =>
  sseFrame({ event: "gps_state", id, data: JSON.stringify(record, GPS_RECORD_FIELDS) });

/** `Last-Event-ID` (sent by a reconnecting EventSource), or `?lastEventId=` for clients that cannot set it. */
export function lastEventId(req: Request): string | undefined {
  const header = req.get("Last-Event-ID");
  const [name, value] = header ? ["Last-Event-ID", header] : ["lastEventId", req.query.lastEventId];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string" && ENTRY_ID.test(value.trim())) return value.trim();
  const detail = `${name} must be a history entry id such as 1773504000000-0 (got ${echo(value)})`;
  throw new HttpProblem(400, detail, { extensions: { parameter: name } });
}
