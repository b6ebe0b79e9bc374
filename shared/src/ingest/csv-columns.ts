import type { GpsRecord } from "../record.ts";

/** Which CSV column feeds each record field; a field without a column is null or derived. */
export type CsvColumns = Partial<Record<keyof GpsRecord, string>>;

/** The course's CSV: the record's own field names (its text columns are ignored). */
export const COURSE_CSV_COLUMNS: CsvColumns = {
  timestamp: "timestamp",
  latitude: "latitude",
  longitude: "longitude",
  elevation: "elevation",
  accuracy: "accuracy",
  bearing: "bearing",
  speed_meters_per_second: "speed_meters_per_second",
  satellites: "satellites",
  hdop: "hdop",
  vdop: "vdop",
  pdop: "pdop",
  distance_meters: "distance_meters",
  elapsed_time_seconds: "elapsed_time_seconds",
};

/**
 * GPSLogger for Android's CSV (18 columns, or 24 in newer versions). Its `speed` is Android's
 * Location speed, already in m/s. Its `distance` column (newer versions) is not used: GPSLogger
 * writes the session's running total there (metres travelled since logging started), not the
 * step from the previous point, and it runs on through points this reader rejects, so
 * `distance_meters` is derived with haversine as for GPX.
 */
export const GPSLOGGER_CSV_COLUMNS: CsvColumns = {
  timestamp: "time",
  latitude: "lat",
  longitude: "lon",
  elevation: "elevation",
  accuracy: "accuracy",
  bearing: "bearing",
  speed_meters_per_second: "speed",
  satellites: "satellites",
  hdop: "hdop",
  vdop: "vdop",
  pdop: "pdop",
};

/** A header cell as a column name: matching ignores case, surrounding spaces and quotes. */
export function columnName(headerCell: string): string {
  return headerCell
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .toLowerCase();
}
