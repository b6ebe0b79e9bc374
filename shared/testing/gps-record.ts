import type { GpsRecord } from "../src/record.ts";

/**
 * A valid record with every reading present, for tests and benches; `overrides` sets the fields
 * that matter to the caller. Its keys are in wire order, so its JSON is what a replayer writes.
 */
export function gpsRecord(overrides: Partial<GpsRecord> = {}): GpsRecord {
  return {
    timestamp: 1_700_000_000,
    latitude: 45.1885,
    longitude: 5.7245,
    elevation: 212.5,
    accuracy: 4,
    bearing: 90,
    speed_meters_per_second: 1.5,
    satellites: 9,
    hdop: 0.9,
    vdop: 1.2,
    pdop: 1.5,
    distance_meters: 1.5,
    elapsed_time_seconds: 1,
    ...overrides,
  };
}
