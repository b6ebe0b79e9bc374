import { haversineMeters } from "../geo.ts";
import type { GpsRecord } from "../record.ts";
import { RowRejection } from "./row-rejection.ts";

/**
 * The last accepted record of a track, from which a record that lacks them gets its
 * `distance_meters` (haversine) and `elapsed_time_seconds`; both are 0 for the first record.
 */
export class PreviousPoint {
  #record: GpsRecord | undefined;

  accept(record: GpsRecord): void {
    this.#record = record;
  }

  distanceTo(latitude: number, longitude: number): number {
    return this.#record ? haversineMeters(this.#record, { latitude, longitude }) : 0;
  }

  /** Throws RowRejection when time runs backwards: a replay cannot wait a negative time. */
  secondsUntil(timestamp: number, timeLabel: string): number {
    if (!this.#record) return 0;
    const seconds = timestamp - this.#record.timestamp;
    if (seconds < 0) {
      throw new RowRejection(
        `${timeLabel} is ${Number((-seconds).toFixed(3))} s earlier than the previous record's`,
      );
    }
    return seconds;
  }
}
