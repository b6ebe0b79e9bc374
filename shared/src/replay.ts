import { type Clock, systemClock } from "./clock.ts";
import type { GpsRecord } from "./record.ts";

export interface ReplayOptions {
  /** Playback rate: 1 is the recorded pace, 10 is ten times faster. Finite and > 0; default 1. */
  speed?: number;
  /** `false` (default): one pass; `true`: forever; a whole number n >= 1: n passes. */
  loop?: boolean | number;
  /** 0-based row at which the first pass starts (later passes start at row 0); default 0. */
  from?: number;
  /** Aborting ends the replay cleanly: the `for await` loop just ends. */
  signal?: AbortSignal;
  /** Default `systemClock`; tests pass a clock they move by hand. */
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

export interface Replay extends AsyncGenerator<ReplayedRecord> {
  /** Stop handing out records; after `resume()` the schedule goes on where it stopped, without catching up. */
  pause(): void;
  resume(): void;
}

/**
 * Replays a GPS track at its recorded pace (or `speed` times faster):
 *
 *   for await (const { record, row, pass } of replay(() => readTrack(file), { speed, loop })) …
 *
 * Drift-free: each record is due at an absolute time, start + (timestamp - first timestamp) / speed
 * (+ the time spent paused), and the replay sleeps until then. Sleeping each row's interval instead
 * would add every wake-up's lateness to all the rows after it.
 *
 * - `source` is called once per pass, so looping re-reads the track instead of keeping it in memory.
 * - Passes are laid end to end: pass k is shifted by k periods, a period being the track's span plus
 *   its first interval (1 s if it has none). The first row of a later pass comes that interval after
 *   the last row, with `elapsed_time_seconds` = the interval and `distance_meters` = 0: the jump
 *   back to the start is not distance travelled.
 * - `from` skips rows of the first pass without waiting for their time; past the end, it leaves the
 *   first pass empty.
 * - A record whose timestamp goes back is due at once. An empty track ends the replay, even looping.
 * - Aborting ends a wait at once and closes the source (its file is released). An error thrown by
 *   the source comes out of the `for await`.
 */
export function replay(source: () => AsyncIterable<GpsRecord>, options: ReplayOptions = {}): Replay {
  const { speed = 1, loop = false, from = 0, signal, clock = systemClock } = options;
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`replay speed must be a finite number greater than 0, got ${speed}`);
  }
  if (typeof loop === "number" && !(Number.isInteger(loop) && loop >= 1)) {
    throw new RangeError(`replay loop must be true, false or a whole number of passes >= 1, got ${loop}`);
  }
  if (!Number.isInteger(from) || from < 0) {
    throw new RangeError(`replay from must be a whole row number >= 0, got ${from}`);
  }
  const passes = loop === true ? Number.POSITIVE_INFINITY : loop === false ? 1 : loop;

  // The schedule: the clock time and timestamp of the first record, and the time spent paused.
  let start: { at: number; timestamp: number } | undefined;
  let lastDue = Number.NEGATIVE_INFINITY;
  let pausedMs = 0;
  let pausedSince: number | undefined;
  let resumed = Promise.withResolvers<void>();
  const endPause = () => resumed.resolve();

  /** Waits until a record with this timestamp is due, and returns when that was; undefined once aborted. */
  async function due(timestamp: number): Promise<number | undefined> {
    while (!signal?.aborted) {
      if (pausedSince !== undefined) {
        await resumed.promise;
        continue;
      }
      start ??= { at: clock.now() - pausedMs, timestamp };
      const at = Math.max(lastDue, start.at + pausedMs + ((timestamp - start.timestamp) * 1000) / speed);
      // Looked at again after every wake-up: a pause may have moved the deadline meanwhile.
      if (clock.now() >= at) {
        lastDue = at;
        return at;
      }
      await clock.sleepUntil(at, signal).catch(() => {}); // it rejects only on abort, which ends the loop
    }
    return undefined;
  }

  async function* play(): AsyncGenerator<ReplayedRecord> {
    // Learned during the first pass, to lay the later ones end to end.
    let first = 0;
    let last = Number.NEGATIVE_INFINITY;
    let gap = 1;
    let period = 0;
    for (let pass = 0; pass < passes && !signal?.aborted; pass++) {
      let row = 0;
      // Leaving this loop early (abort, or the consumer's `break`) closes the source.
      for await (const original of source()) {
        if (pass === 0) {
          if (row === 0) first = original.timestamp;
          if (row === 1 && original.timestamp > first) gap = original.timestamp - first;
          last = Math.max(last, original.timestamp);
        }
        if (pass > 0 || row >= from) {
          let record = original;
          if (pass > 0) record = { ...record, timestamp: record.timestamp + pass * period };
          // The jump back to the start takes one gap, and is no distance travelled.
          if (pass > 0 && row === 0) record = { ...record, elapsed_time_seconds: gap, distance_meters: 0 };
          const scheduledAt = await due(record.timestamp);
          if (scheduledAt === undefined) return;
          yield { record, row, pass, scheduledAt, emittedAt: clock.now() };
        }
        row++;
      }
      if (row === 0) return;
      period = last - first + gap;
    }
  }

  return Object.assign(play(), {
    pause() {
      if (pausedSince !== undefined) return;
      pausedSince = clock.now();
      resumed = Promise.withResolvers<void>();
      signal?.addEventListener("abort", endPause, { once: true }); // aborting ends a pause too
    },
    resume() {
      if (pausedSince === undefined) return;
      pausedMs += clock.now() - pausedSince;
      pausedSince = undefined;
      signal?.removeEventListener("abort", endPause);
      endPause();
    },
  });
}
