import { type Clock, systemClock } from "./clock.ts";
import type { GpsRecord } from "./record.ts";

export interface ReplayOptions {
  /** Playback rate: 1 is the recorded pace, 10 is ten times faster. Finite and > 0; default 1. */
  speed?: number;
  /** `false` (default): one pass; `true`: forever; a whole number n >= 1: n passes. */
  loop?: boolean | number;
  /** 0-based row at which the first pass starts (later passes start at row 0); default 0. */
  from?: number;
  /** Aborting ends the iteration cleanly: the `for await` loop just ends. */
  signal?: AbortSignal;
  /** Default `systemClock`; tests pass a clock they control. */
  clock?: Clock;
}

export interface ReplayedRecord {
  /** The record, its `timestamp` moved forward by whole passes so timestamps keep increasing. */
  record: GpsRecord;
  /** 0-based row within the track. */
  row: number;
  /** 0-based pass. */
  pass: number;
  /** Clock milliseconds at which the record was due. */
  scheduledAt: number;
  /** Clock milliseconds at which it was handed out; `emittedAt - scheduledAt` is its lateness. */
  emittedAt: number;
}

export interface Replay extends AsyncIterable<ReplayedRecord> {
  /** Stop handing out records; the schedule resumes where it stopped, without catching up. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
}

/**
 * Replays a GPS track at its recorded pace (or `speed` times faster), as an async iterable.
 *
 * Drift-free: each record is due at an absolute time on the clock,
 * `start + (timestamp - first timestamp) * 1000 / speed + time spent paused`, and the replayer
 * sleeps until that time. Sleeping for each row's interval instead would add every wake-up's
 * lateness to all the rows after it; here a late record does not delay the next one.
 *
 * `source` is called once per pass, so looping re-reads the track instead of keeping it in memory.
 *
 * - Passes are laid end to end. Pass k is shifted by k * period, where the period is the track's
 *   span (highest timestamp - first) plus a gap equal to its first interval (second timestamp -
 *   first; 1 s when the track has one row or that interval is not positive). So the first row of a
 *   new pass comes one gap after the last row of the previous one, and gets
 *   `elapsed_time_seconds` = the gap and `distance_meters` = 0: the jump back to the start is
 *   not distance travelled.
 * - `from` skips rows in the first pass only, and the schedule starts at row `from` without waiting
 *   for the skipped time. The track's length is not known before it is read, so a `from` past the
 *   end just leaves the first pass empty; looping continues with the next pass.
 * - A record whose timestamp does not increase is due together with the one before it: at once.
 * - An empty track ends the replay, even when looping forever.
 * - Aborting ends a wait at once, and the source's iterator is closed so its file is released.
 *   An error thrown by the source comes out of the `for await`.
 *
 * A replay can be iterated once.
 */
export function replay(source: () => AsyncIterable<GpsRecord>, options: ReplayOptions = {}): Replay {
  const speed = checkSpeed(options.speed ?? 1);
  const passes = checkLoop(options.loop ?? false);
  const from = checkFrom(options.from ?? 0);
  const timetable = new Timetable(options.clock ?? systemClock, speed, options.signal);
  let started = false;
  return {
    get paused() {
      return timetable.paused;
    },
    pause: () => timetable.pause(),
    resume: () => timetable.resume(),
    [Symbol.asyncIterator]() {
      if (started) throw new TypeError("a replay can be iterated only once: call replay() again");
      started = true;
      return replayPasses(source, passes, from, timetable);
    },
  };
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`replay speed must be a finite number greater than 0, got ${speed}`);
  }
  return speed;
}

function checkLoop(loop: boolean | number): number {
  if (loop === true) return Number.POSITIVE_INFINITY;
  if (loop === false) return 1;
  if (!Number.isInteger(loop) || loop < 1) {
    throw new RangeError(`replay loop must be true, false or a whole number of passes >= 1, got ${loop}`);
  }
  return loop;
}

function checkFrom(from: number): number {
  if (!Number.isInteger(from) || from < 0) {
    throw new RangeError(`replay from must be a whole row number >= 0, got ${from}`);
  }
  return from;
}

async function* replayPasses(
  source: () => AsyncIterable<GpsRecord>,
  passes: number,
  from: number,
  timetable: Timetable,
): AsyncGenerator<ReplayedRecord> {
  // Learned while reading the first pass, to lay the later passes end to end.
  let first = 0;
  let gap = 1;
  let highest = Number.NEGATIVE_INFINITY;
  let period = 0;
  timetable.open();
  try {
    for (let pass = 0; pass < passes && !timetable.aborted; pass++) {
      let row = 0;
      // Leaving this loop early (abort, or the consumer's `break`) closes the source's iterator.
      for await (const original of source()) {
        if (pass === 0) {
          if (row === 0) first = original.timestamp;
          if (row === 1 && original.timestamp > first) gap = original.timestamp - first;
          highest = Math.max(highest, original.timestamp);
        }
        if (pass > 0 || row >= from) {
          const record = pass === 0 ? original : shiftToPass(original, row, pass * period, gap);
          const scheduledAt = await timetable.waitUntilDue(record.timestamp);
          if (scheduledAt === undefined) return;
          yield { record, row, pass, scheduledAt, emittedAt: timetable.now() };
        }
        row++;
      }
      if (pass === 0) {
        if (row === 0) return;
        period = highest - first + gap;
      }
    }
  } finally {
    timetable.close();
  }
}

function shiftToPass(record: GpsRecord, row: number, shift: number, gap: number): GpsRecord {
  const shifted = { ...record, timestamp: record.timestamp + shift };
  if (row > 0) return shifted;
  return { ...shifted, elapsed_time_seconds: gap, distance_meters: 0 };
}

/**
 * When each record is due, and the waiting for it: absolute deadlines on the clock, shifted by
 * the time spent paused. Pausing or aborting interrupts the current wait, which then re-targets.
 */
class Timetable {
  readonly #clock: Clock;
  readonly #msPerTimestampSecond: number;
  readonly #signal: AbortSignal | undefined;
  #origin: { at: number; timestamp: number } | undefined;
  #lastDue = Number.NEGATIVE_INFINITY;
  #pausedTotal = 0;
  #pausedSince: number | undefined;
  #resumed = Promise.withResolvers<void>();
  // Aborted to cut the current wait short; replaced by a fresh one for the waits after a pause.
  #interrupt = new AbortController();
  // Aborting ends a wait and a pause alike.
  readonly #onAbort = (): void => {
    this.#interrupt.abort();
    this.#resumed.resolve();
  };

  constructor(clock: Clock, speed: number, signal: AbortSignal | undefined) {
    this.#clock = clock;
    this.#msPerTimestampSecond = 1000 / speed;
    this.#signal = signal;
  }

  get paused(): boolean {
    return this.#pausedSince !== undefined;
  }

  get aborted(): boolean {
    return this.#signal?.aborted ?? false;
  }

  now(): number {
    return this.#clock.now();
  }

  pause(): void {
    if (this.paused) return;
    this.#pausedSince = this.#clock.now();
    this.#resumed = Promise.withResolvers<void>();
    this.#interrupt.abort();
    this.#interrupt = new AbortController();
  }

  resume(): void {
    if (this.#pausedSince === undefined) return;
    this.#pausedTotal += this.#clock.now() - this.#pausedSince;
    this.#pausedSince = undefined;
    this.#resumed.resolve();
  }

  /** Waits until a record with this timestamp is due; its due time, or undefined once aborted. */
  async waitUntilDue(timestamp: number): Promise<number | undefined> {
    while (!this.aborted) {
      if (this.paused) {
        await this.#resumed.promise;
        continue;
      }
      // The first record is due now, however long the replay was paused before it.
      this.#origin ??= { at: this.#clock.now() - this.#pausedTotal, timestamp };
      const offset = (timestamp - this.#origin.timestamp) * this.#msPerTimestampSecond;
      const due = Math.max(this.#lastDue, this.#origin.at + this.#pausedTotal + offset);
      const interrupt = this.#interrupt;
      try {
        await this.#clock.sleepUntil(due, interrupt.signal);
      } catch (error) {
        if (!interrupt.signal.aborted) throw error;
        continue;
      }
      // Paused or aborted after the clock woke us but before we got here: look again.
      if (this.paused || this.aborted) continue;
      this.#lastDue = due;
      return due;
    }
    return undefined;
  }

  /** Listens for the abort signal while the replay runs. */
  open(): void {
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  close(): void {
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}
