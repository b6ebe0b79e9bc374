import type { GpsRecord } from "@gps-workshop/shared";

/**
 * The samples one page has received, oldest first, at most one per timestamp: polling faster
 * than the replayer writes brings the same record twice, and it is one sample. Bounded: past
 * `max`, the oldest go.
 */
export class SampleLog {
  readonly #max: number;
  readonly #records: GpsRecord[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  /** Adds the record; false when a sample with its timestamp is already there. */
  add(record: GpsRecord): boolean {
    const records = this.#records;
    const newest = records[records.length - 1];
    if (!newest || record.timestamp > newest.timestamp) {
      records.push(record);
    } else {
      // Out of order (rare: the replayer was restarted): insert it in its place.
      const at = records.findIndex((existing) => existing.timestamp >= record.timestamp);
      if (records[at]?.timestamp === record.timestamp) return false;
      records.splice(at, 0, record);
    }
    if (records.length > this.#max) records.shift();
    return true;
  }

  /** Oldest first. */
  get records(): readonly GpsRecord[] {
    return this.#records;
  }
}
