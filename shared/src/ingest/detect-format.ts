import { COURSE_CSV_COLUMNS, type CsvColumns, columnName, GPSLOGGER_CSV_COLUMNS } from "./csv-columns.ts";

export type TrackFormat = "course-csv" | "gpslogger-csv" | "gpx";

// The root element comes after an optional XML declaration, comments and a DOCTYPE.
const GPX_ROOT = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<gpx[\s>/]/;

/**
 * Recognises a track format from the first bytes of a file (a few KiB is plenty), by content
 * only: GPX by its `<gpx>` root element, each CSV by the columns its header names, in any order.
 */
export function detectFormat(head: string): TrackFormat | undefined {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("<")) return GPX_ROOT.test(text) ? "gpx" : undefined;
  const header = new Set(text.split(/\r|\n/, 1)[0]?.split(",").map(columnName));
  if (hasRequiredColumns(header, COURSE_CSV_COLUMNS)) return "course-csv";
  if (hasRequiredColumns(header, GPSLOGGER_CSV_COLUMNS)) return "gpslogger-csv";
  return undefined;
}

function hasRequiredColumns(header: Set<string>, columns: CsvColumns): boolean {
  const { timestamp, latitude, longitude } = columns;
  return [timestamp, latitude, longitude].every((name) => name !== undefined && header.has(name));
}
