import type { GpsRecord } from "../record.ts";

/** The name each record field goes by in the source file, for rejection reasons. */
export type FieldLabels = Record<keyof GpsRecord, string>;

/**
 * Why a record breaks GpsRecordSchema, or undefined when it passes. GpsRecordSchema stays the
 * schema of record; this is the same verdict by hand, several times faster than a zod parse on
 * the ingestion hot path, with reasons that name the field as the file does. A test checks that
 * both always agree.
 */
export function checkRecord(record: GpsRecord, labels: FieldLabels): string | undefined {
  return (
    finite(record.timestamp, labels.timestamp) ??
    between(record.latitude, -90, 90, labels.latitude) ??
    between(record.longitude, -180, 180, labels.longitude) ??
    (record.elevation === null ? undefined : finite(record.elevation, labels.elevation)) ??
    notNegative(record.accuracy, labels.accuracy) ??
    (record.bearing === null ? undefined : between(record.bearing, 0, 360, labels.bearing)) ??
    notNegative(record.speed_meters_per_second, labels.speed_meters_per_second) ??
    wholeNotNegative(record.satellites, labels.satellites) ??
    notNegative(record.hdop, labels.hdop) ??
    notNegative(record.vdop, labels.vdop) ??
    notNegative(record.pdop, labels.pdop) ??
    notNegative(record.distance_meters, labels.distance_meters) ??
    notNegative(record.elapsed_time_seconds, labels.elapsed_time_seconds)
  );
}

function finite(value: number, label: string): string | undefined {
  return Number.isFinite(value) ? undefined : `${label} ${value} is not a finite number`;
}

function between(value: number, min: number, max: number, label: string): string | undefined {
  if (value >= min && value <= max) return undefined;
  return finite(value, label) ?? `${label} ${value} is out of range [${min}, ${max}]`;
}

function notNegative(value: number | null, label: string): string | undefined {
  if (value === null || (value >= 0 && value !== Number.POSITIVE_INFINITY)) return undefined;
  return finite(value, label) ?? `${label} ${value} is negative`;
}

// Like zod's .int(), which only takes safe integers (|n| < 2^53).
function wholeNotNegative(value: number | null, label: string): string | undefined {
  if (value === null || Number.isSafeInteger(value)) return notNegative(value, label);
  if (Number.isInteger(value)) return `${label} ${value} is too large`;
  return finite(value, label) ?? `${label} ${value} is not a whole number`;
}
