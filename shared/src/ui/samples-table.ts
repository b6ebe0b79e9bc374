import type { GpsRecord } from "../record.ts";
import { formatNumber, formatTimeOfDay } from "./format.ts";

export interface SampleRowView {
  /** The record's timestamp, unique within the table. */
  key: string;
  time: string;
  latitude: string;
  longitude: string;
  elevation: string;
  speed: string;
  bearing: string;
  satellites: string;
}

/** The newest samples, newest first, and how many there are in all. */
export interface SamplesTableView {
  rows: SampleRowView[];
  /** Samples received in all; the table shows at most `rows.length` of them. */
  total: number;
  /** "Newest first: the 50 newest of 120." */
  caption: string;
}

/** The table of samples; `samples` oldest first, as received. Shows the newest `limit` rows. */
export function samplesTableView(samples: readonly GpsRecord[], limit = 50): SamplesTableView {
  const rows = samples
    .slice(-limit)
    .reverse()
    .map((record) => ({
      key: String(record.timestamp),
      time: formatTimeOfDay(record.timestamp),
      latitude: formatNumber(record.latitude, 6),
      longitude: formatNumber(record.longitude, 6),
      elevation: formatNumber(record.elevation, 1),
      speed: formatNumber(record.speed_meters_per_second, 2),
      bearing: formatNumber(record.bearing, 0),
      satellites: formatNumber(record.satellites, 0),
    }));
  const total = samples.length;
  return { rows, total, caption: samplesCaption(rows.length, total) };
}

/** The table's caption, when it shows the newest `shown` of `total` samples. */
export function samplesCaption(shown: number, total: number): string {
  return shown < total ? `Newest first: the ${shown} newest of ${total}.` : "Newest first.";
}
