import { haversineMeters } from "../geo.ts";
import { GPS_RECORD_FIELDS, type GpsRecord, GpsRecordSchema } from "../record.ts";

/**
 * The track file as a whole cannot be read: missing, unreadable, empty, not a GPS track,
 * malformed beyond one row, or without a valid record. The message is one line naming the file.
 */
export class TrackFileError extends Error {
  override name = "TrackFileError";
}

/** One row or track point cannot become a record: the reader reports why and reads on. */
export class RowRejection extends Error {}

/** The name each record field goes by in the source file, for rejection reasons. */
export type FieldLabels = Record<keyof GpsRecord, string>;

/** A cell or element text as a number; empty (or only spaces) is null: a missing reading, not 0. */
export function parseNumber(text: string | undefined, label: string): number | null {
  if (text === undefined || text.length === 0) return null;
  const value = Number(text);
  // Number() reads "  " as 0: that is an empty cell, not a reading of 0.
  if (value === 0 && text.trim() === "") return null;
  if (!Number.isFinite(value)) throw new RowRejection(`${label} ${quote(text)} is not a number`);
  return value;
}

/** A value the record cannot do without: the row is rejected when it is missing. */
export function required(value: number | null, label: string): number {
  if (value === null) throw new RowRejection(`${label} is empty`);
  return value;
}

// 2019-12-24T20:21:27.999Z: an optional fraction, then Z, ±hh:mm or nothing (UTC, as GPX says).
const ISO_DATE_TIME =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|([+-])(\d\d):?(\d\d))?$/i;

/**
 * An ISO 8601 date-time as epoch seconds; empty is null. By hand rather than with Date.parse,
 * which takes February 30th and reads a time without a zone as local time.
 */
export function parseTime(text: string | undefined, label: string): number | null {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") return null;
  const match = ISO_DATE_TIME.exec(trimmed);
  const part = (index: number): number => Number(match?.[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // 60 is a leap second.
  if (
    !match ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > lastDay ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    throw new RowRejection(
      `${label} ${quote(trimmed)} is not an ISO 8601 date-time (e.g. 2019-12-24T20:21:27Z)`,
    );
  }
  const offsetMinutes = (match[8] === "-" ? -1 : 1) * (part(9) * 60 + part(10));
  // The fraction as milliseconds read from its digits ("007" is 7, where 0.007 * 1000 is
  // 7.000000000000001): whole milliseconds / 1000 then equal the decimal text "….007".
  const digits = match[7] ?? "";
  const fractionMs = Number(`${digits.slice(0, 3).padEnd(3, "0")}.${digits.slice(3)}`);
  return (Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMinutes * 60_000) / 1000;
}

/**
 * The limits GpsRecordSchema sets on each field, read from the schema. A row is checked against
 * them by hand: a zod parse per row would cost more than reading the CSV (npm run bench:ingest).
 */
const LIMITS = GPS_RECORD_FIELDS.map((field) => {
  const schema = GpsRecordSchema.shape[field];
  const number = "unwrap" in schema ? schema.unwrap() : schema;
  return { field, min: number.minValue ?? -Infinity, max: number.maxValue ?? Infinity, whole: number.isInt };
});

/** Throws RowRejection, naming the field as the file does, when the record breaks the schema. */
export function checkRecord(record: GpsRecord, labels: FieldLabels): GpsRecord {
  for (let i = 0; i < LIMITS.length; i++) {
    const { field, min, max, whole } = LIMITS[i] as (typeof LIMITS)[number];
    const value = record[field];
    if (value === null || (value >= min && value <= max && (!whole || Number.isInteger(value)))) continue;
    const reason =
      value < min ? `less than ${min}` : value > max ? `greater than ${max}` : "not a whole number";
    throw new RowRejection(`${labels[field]} ${value} is ${reason}`);
  }
  return record;
}

/**
 * The last accepted record of a track, from which a record that lacks them gets its
 * `distance_meters` (haversine) and `elapsed_time_seconds`; both are 0 for the first record.
 */
export class PreviousPoint {
  record: GpsRecord | undefined;

  distanceTo(latitude: number, longitude: number): number {
    return this.record ? haversineMeters(this.record, { latitude, longitude }) : 0;
  }

  /** A replay cannot wait a negative time: a point whose time runs backwards is rejected. */
  secondsUntil(timestamp: number, label: string): number {
    const seconds = this.record ? timestamp - this.record.timestamp : 0;
    if (seconds < 0) {
      throw new RowRejection(
        `${label} is ${Number((-seconds).toFixed(3))} s earlier than the previous record's`,
      );
    }
    return seconds;
  }
}

/** The text in quotes, shortened: a reason stays one readable line. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
