import { type GpsRecord, GpsRecordSchema } from "@gps-workshop/shared";

/** One validated record on its way to the browsers. */
export interface GpsEvent {
  /**
   * The SSE event id: the record's timestamp in whole milliseconds. It is derived from the
   * record alone, so every web instance gives the same record the same id, and a browser can
   * resume on any instance behind a load balancer.
   */
  id: number;
  record: GpsRecord;
  /** `Date.now()` when the record reached this process. */
  receivedAt: number;
}

export function eventId(record: GpsRecord): number {
  return Math.round(record.timestamp * 1000);
}

/** Parses and validates a record's JSON; the error says what is wrong, in one line. */
export function parseGpsEvent(
  json: string,
  receivedAt: number,
): { ok: true; event: GpsEvent } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const result = GpsRecordSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, event: { id: eventId(result.data), record: result.data, receivedAt } };
}

/** Reads an event id sent back by a browser (`Last-Event-ID`); undefined when it is not one. */
export function parseEventId(text: string): number | undefined {
  if (!/^-?\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}
