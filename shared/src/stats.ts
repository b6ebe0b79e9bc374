import type { GpsRecord } from "./record.ts";

/**
 * The record's ground speed in m/s: the measured `speed_meters_per_second`, or, when the
 * recording has none, the average over the leg from the previous record (0 for a zero-length leg).
 */
export function recordSpeed(record: GpsRecord): number {
  if (record.speed_meters_per_second !== null) return record.speed_meters_per_second;
  if (record.elapsed_time_seconds === 0) return 0;
  return record.distance_meters / record.elapsed_time_seconds;
}

/**
 * The time-weighted mean of a value that changes in steps, kept up to date as changes stream in,
 * in constant memory. Each value holds from its change until the next one.
 */
export class TimeWeightedMean {
  readonly #start: number;
  #current: number | undefined;
  #lastChange = Number.NEGATIVE_INFINITY;
  // Over [start, #summedTo]: the sum of value × duration, and how long some value was in force.
  #summedTo: number;
  #area = 0;
  #covered = 0;

  /** `start`: the window's start, in any time unit; `initial`: the value in force at `start`, if known. */
  constructor(start: number, initial?: number) {
    checkFinite("start", start);
    if (initial !== undefined) checkFinite("initial value", initial);
    this.#start = start;
    this.#summedTo = start;
    this.#current = initial;
  }

  /**
   * The value becomes `value` at `time`. Times must not decrease; a change before the start sets
   * the value in force at the start.
   */
  add(time: number, value: number): void {
    checkFinite("time", time);
    checkFinite("value", value);
    if (time < this.#lastChange) {
      throw new RangeError(`a change at ${time} is earlier than the previous change at ${this.#lastChange}`);
    }
    this.#lastChange = time;
    if (this.#current !== undefined && time > this.#summedTo) {
      this.#area += this.#current * (time - this.#summedTo);
      this.#covered += time - this.#summedTo;
    }
    this.#summedTo = Math.max(this.#summedTo, time);
    this.#current = value;
  }

  /** The time-weighted mean over [start, end]; undefined when no value was in force for any of it. */
  mean(end: number): number | undefined {
    checkFinite("end", end);
    if (end < this.#start) throw new RangeError(`window end ${end} is before its start ${this.#start}`);
    if (end < this.#lastChange) {
      throw new RangeError(`window end ${end} is before the last change at ${this.#lastChange}`);
    }
    if (this.#current === undefined) return undefined;
    const tail = end - this.#summedTo;
    const covered = this.#covered + tail;
    return covered === 0 ? undefined : (this.#area + this.#current * tail) / covered;
  }
}

function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}
