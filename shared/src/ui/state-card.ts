import type { GpsRecord } from "../record.ts";
import { formatDateTime, formatNumber, MISSING } from "./format.ts";

/** One line of the state card: "Speed 4.20 m/s", with the field's name in the wire format. */
export interface ReadingView {
  field: keyof GpsRecord;
  label: string;
  value: string;
  unit: string;
}

/**
 * The latest GPS record, every field formatted with its unit, in wire order. Before the first
 * record, every value reads "—": the card keeps its size, and the page does not jump.
 */
export interface StateCardView {
  readings: ReadingView[];
}

// Label, unit and decimals of each field, in wire order. Units follow the record's schema.
const READINGS: readonly { field: keyof GpsRecord; label: string; unit: string; digits: number }[] = [
  { field: "timestamp", label: "Time", unit: "UTC", digits: 0 },
  { field: "latitude", label: "Latitude", unit: "° N", digits: 6 },
  { field: "longitude", label: "Longitude", unit: "° E", digits: 6 },
  { field: "elevation", label: "Elevation", unit: "m", digits: 1 },
  { field: "accuracy", label: "Accuracy", unit: "m", digits: 1 },
  { field: "bearing", label: "Bearing", unit: "°", digits: 0 },
  { field: "speed_meters_per_second", label: "Speed", unit: "m/s", digits: 2 },
  { field: "satellites", label: "Satellites", unit: "in use", digits: 0 },
  { field: "hdop", label: "HDOP", unit: "(ratio)", digits: 1 },
  { field: "vdop", label: "VDOP", unit: "(ratio)", digits: 1 },
  { field: "pdop", label: "PDOP", unit: "(ratio)", digits: 1 },
  { field: "distance_meters", label: "Distance since previous record", unit: "m", digits: 1 },
  { field: "elapsed_time_seconds", label: "Time since previous record", unit: "s", digits: 1 },
];

export function stateCardView(record: GpsRecord | undefined): StateCardView {
  return {
    readings: READINGS.map(({ field, label, unit, digits }) => {
      const value = !record
        ? MISSING
        : field === "timestamp"
          ? formatDateTime(record.timestamp)
          : formatNumber(record[field], digits);
      // A missing reading has no unit: "—", not "— m".
      return { field, label, value, unit: value === MISSING ? "" : unit };
    }),
  };
}
