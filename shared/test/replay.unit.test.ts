import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import type { GpsRecord } from "../src/record.ts";
import { type Replay, type ReplayedRecord, replay } from "../src/replay.ts";
import { gpsRecord } from "../testing/gps-record.ts";
import { ManualClock } from "../testing/manual-clock.ts";

/**
 * Virtual time for deterministic tests, starting at 1000 ms (not 0, so that the tests show the
 * schedule starts at the clock's current time). A manual clock moves only when the test calls
 * `advance`; an automatic one jumps straight to each deadline it is asked to sleep until, so a
 * whole replay runs in microseconds and every lateness is exactly what the schedule produced.
 */
const manualClock = () => new ManualClock({ start: 1_000 });
const automaticClock = () => new ManualClock({ start: 1_000, automatic: true });

/** Lets every pending promise callback run: the replay is then either sleeping on the clock or done. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A track as a source factory that counts how often it was opened and closed (its file released). */
function trackSource(timestamps: readonly number[]) {
  const records = timestamps.map((timestamp) => gpsRecord({ timestamp }));
  const counts = { opened: 0, closed: 0 };
  async function* read(): AsyncGenerator<GpsRecord> {
    counts.opened++;
    try {
      yield* records;
    } finally {
      counts.closed++;
    }
  }
  return { source: read, records, counts };
}

async function collect(
  replayed: Replay,
  handle: (item: ReplayedRecord) => void = () => {},
): Promise<ReplayedRecord[]> {
  const items: ReplayedRecord[] = [];
  for await (const item of replayed) {
    items.push(item);
    handle(item);
  }
  return items;
}

/** Consumes a replay while the test moves a manual clock. */
function consumeInBackground(replayed: Replay) {
  const seen: ReplayedRecord[] = [];
  const finished = collect(replayed, (item) => seen.push(item));
  return { seen, finished };
}

const secondsApart = (count: number) => Array.from({ length: count }, (_, i) => i);
const lateness = (items: ReplayedRecord[]) => items.map((item) => item.emittedAt - item.scheduledAt);

describe("replay", () => {
  it("hands out records at their recorded pace at speed 1", async () => {
    const clock = automaticClock();
    const { source, records } = trackSource([1000, 1001, 1003, 1003.5]);
    const items = await collect(replay(source, { clock }));

    expect(items.map((item) => item.record)).toEqual(records);
    expect(items.map((item) => item.row)).toEqual([0, 1, 2, 3]);
    expect(items.map((item) => item.pass)).toEqual([0, 0, 0, 0]);
    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual([0, 1000, 3000, 3500]);
    expect(lateness(items)).toEqual([0, 0, 0, 0]);
  });

  it("plays ten times faster at speed 10", async () => {
    const clock = automaticClock();
    const { source } = trackSource([1000, 1001, 1003, 1003.5]);
    const items = await collect(replay(source, { clock, speed: 10 }));

    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual([0, 100, 300, 350]);
  });

  it("keeps later records on schedule when one is handed out late", async () => {
    const clock = automaticClock();
    const { source } = trackSource(secondsApart(6));
    // The consumer spends 1.5 s on row 1, so row 2 (due 1 s after it) comes out 0.5 s late.
    const items = await collect(replay(source, { clock }), (item) => {
      if (item.row === 1) clock.advance(1500);
    });

    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(lateness(items)).toEqual([0, 0, 500, 0, 0, 0]);
  });

  it("does not drift over 10,000 rows at 100× even when each row takes 0.9 ms to handle", async () => {
    const clock = automaticClock();
    const { source } = trackSource(secondsApart(10_000));
    const items = await collect(replay(source, { clock, speed: 100 }), () => clock.advance(0.9));

    expect(items).toHaveLength(10_000);
    expect(items.every((item) => item.scheduledAt - 1_000 === item.row * 10)).toBe(true);
    expect(items.every((item) => item.emittedAt === item.scheduledAt)).toBe(true);
    expect(items.at(-1)?.emittedAt).toBe(1_000 + 99_990);
  });

  it("loops forever until aborted, closing every pass's source", async () => {
    const clock = automaticClock();
    const { source, counts } = trackSource([0, 1, 2]);
    const controller = new AbortController();
    const items = await collect(replay(source, { clock, loop: true, signal: controller.signal }), (item) => {
      if (item.pass === 3 && item.row === 1) controller.abort();
    });

    expect(items.map((item) => [item.pass, item.row])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
      [3, 0],
      [3, 1],
    ]);
    expect(counts).toEqual({ opened: 4, closed: 4 });
  });

  it("plays n passes end to end with timestamps that keep increasing", async () => {
    const clock = automaticClock();
    // Span 5 s, first interval 2 s: each pass starts 7 s after the previous one.
    const { source, records } = trackSource([100, 102, 105]);
    const items = await collect(replay(source, { clock, loop: 3 }));

    expect(items.map((item) => item.record.timestamp)).toEqual([100, 102, 105, 107, 109, 112, 114, 116, 119]);
    expect(items.map((item) => item.row)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(items.map((item) => item.pass)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual(
      [0, 2, 5, 7, 9, 12, 14, 16, 19].map((seconds) => seconds * 1000),
    );
    // The jump back to the start takes the gap and covers no distance; other rows are unchanged.
    expect(items[3]?.record).toEqual({
      ...records[0],
      timestamp: 107,
      elapsed_time_seconds: 2,
      distance_meters: 0,
    });
    expect(items[4]?.record).toEqual({ ...records[1], timestamp: 109 });
  });

  it("lays a one-row track end to end one second apart", async () => {
    const clock = automaticClock();
    const { source } = trackSource([50]);
    const items = await collect(replay(source, { clock, loop: 3 }));

    expect(items.map((item) => item.record.timestamp)).toEqual([50, 51, 52]);
    expect(items.map((item) => item.record.elapsed_time_seconds)).toEqual([1, 1, 1]);
  });

  it("starts the first pass at row `from` without waiting for the skipped time", async () => {
    const clock = automaticClock();
    const { source } = trackSource(secondsApart(4));
    const items = await collect(replay(source, { clock, from: 2, loop: 2 }));

    expect(items.map((item) => [item.pass, item.row])).toEqual([
      [0, 2],
      [0, 3],
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it("leaves the first pass empty when `from` is past the end, and goes on looping", async () => {
    const clock = automaticClock();
    const { source } = trackSource([0, 1, 2]);
    const items = await collect(replay(source, { clock, from: 10, loop: 2 }));

    expect(items.map((item) => [item.pass, item.row])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(items[0]?.scheduledAt).toBe(1_000);
  });

  it("ends with no records when `from` is past the end of a single pass", async () => {
    const { source, counts } = trackSource([0, 1, 2]);
    const items = await collect(replay(source, { clock: automaticClock(), from: 3 }));

    expect(items).toEqual([]);
    expect(counts).toEqual({ opened: 1, closed: 1 });
  });

  it("ends an empty track even when looping forever", async () => {
    const { source, counts } = trackSource([]);
    const items = await collect(replay(source, { clock: automaticClock(), loop: true }));

    expect(items).toEqual([]);
    expect(counts.opened).toBe(1);
  });

  it("hands out a record whose timestamp goes back at once, without moving later deadlines", async () => {
    const clock = automaticClock();
    const { source } = trackSource([0, 2, 1, 2, 3]);
    const items = await collect(replay(source, { clock }));

    expect(items.map((item) => item.record.timestamp)).toEqual([0, 2, 1, 2, 3]);
    expect(items.map((item) => item.scheduledAt - 1_000)).toEqual([0, 2000, 2000, 2000, 3000]);
    expect(lateness(items)).toEqual([0, 0, 0, 0, 0]);
  });

  it("holds records while paused mid-wait, then shifts the schedule by the pause with no burst", async () => {
    const clock = manualClock();
    const { source } = trackSource(secondsApart(4));
    const replayed = replay(source, { clock });
    const { seen } = consumeInBackground(replayed);
    await settle();
    expect(seen.map((item) => item.row)).toEqual([0]);

    clock.advance(400);
    replayed.pause();
    clock.advance(5000); // rows 1 to 4 fall due during the pause
    await settle();
    expect(seen).toHaveLength(1);

    replayed.resume();
    await settle();
    expect(seen).toHaveLength(1); // no catching up
    clock.advance(599);
    await settle();
    expect(seen).toHaveLength(1);
    clock.advance(1);
    await settle();
    clock.advance(1000);
    await settle();
    expect(seen.map((item) => item.scheduledAt - 1_000)).toEqual([0, 6000, 7000]);
    expect(lateness(seen)).toEqual([0, 0, 0]);
  });

  it("delays the awaited record by a short pause that ends before it was due", async () => {
    const clock = manualClock();
    const { source } = trackSource(secondsApart(2));
    const replayed = replay(source, { clock });
    const { seen } = consumeInBackground(replayed);
    await settle();

    clock.advance(400);
    replayed.pause();
    clock.advance(200);
    replayed.resume();
    clock.advance(400); // row 1's original due time
    await settle();
    expect(seen).toHaveLength(1);
    clock.advance(200);
    await settle();
    expect(seen.map((item) => item.scheduledAt - 1_000)).toEqual([0, 1200]);
  });

  it("starts the schedule on resume when paused before the first record", async () => {
    const clock = manualClock();
    const { source } = trackSource(secondsApart(2));
    const replayed = replay(source, { clock });
    replayed.pause();
    const { seen, finished } = consumeInBackground(replayed);
    clock.advance(5000);
    await settle();
    expect(seen).toEqual([]);

    replayed.resume();
    await settle();
    clock.advance(1000);
    await finished;
    expect(seen.map((item) => item.scheduledAt - 1_000)).toEqual([5000, 6000]);
  });

  it("ends the loop and closes the source when aborted while waiting for a distant record", async () => {
    const clock = manualClock();
    const { source, counts } = trackSource([0, 3600]);
    const controller = new AbortController();
    const { seen, finished } = consumeInBackground(replay(source, { clock, signal: controller.signal }));
    await settle();
    expect(clock.sleeping).toBe(1);

    clock.advance(10);
    controller.abort();
    await finished; // resolves rather than rejects: the for-await just ended
    expect(seen.map((item) => item.row)).toEqual([0]);
    expect(counts).toEqual({ opened: 1, closed: 1 });
    expect(clock.sleeping).toBe(0);
  });

  it("ends the loop when aborted while paused", async () => {
    const clock = manualClock();
    const { source, counts } = trackSource(secondsApart(3));
    const controller = new AbortController();
    const replayed = replay(source, { clock, signal: controller.signal });
    const { seen, finished } = consumeInBackground(replayed);
    await settle();
    replayed.pause();
    controller.abort();
    await finished;

    expect(seen).toHaveLength(1);
    expect(counts.closed).toBe(1);
  });

  it("leaves no listener on the caller's signal once it ends", async () => {
    const { source } = trackSource(secondsApart(3));
    const controller = new AbortController();
    await collect(replay(source, { clock: automaticClock(), signal: controller.signal }));

    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("reads nothing when the signal is already aborted", async () => {
    const { source, counts } = trackSource([0, 1]);
    const items = await collect(replay(source, { clock: manualClock(), signal: AbortSignal.abort() }));

    expect(items).toEqual([]);
    expect(counts.opened).toBe(0);
  });

  it("closes the source when the consumer stops early", async () => {
    const { source, counts } = trackSource(secondsApart(5));
    for await (const item of replay(source, { clock: automaticClock() })) {
      if (item.row === 1) break;
    }

    expect(counts).toEqual({ opened: 1, closed: 1 });
  });

  it("passes an error thrown by the source out of the for-await", async () => {
    async function* failing(): AsyncGenerator<GpsRecord> {
      yield gpsRecord({ timestamp: 0 });
      throw new Error("cannot read track.csv: permission denied");
    }
    const items: ReplayedRecord[] = [];
    const consuming = collect(replay(failing, { clock: automaticClock() }), (item) => items.push(item));

    await expect(consuming).rejects.toThrow("cannot read track.csv: permission denied");
    expect(items).toHaveLength(1);
  });

  it.each([
    [{ speed: 0 }, "replay speed must be a finite number greater than 0, got 0"],
    [{ speed: -2 }, "replay speed must be a finite number greater than 0, got -2"],
    [{ speed: Number.NaN }, "replay speed must be a finite number greater than 0, got NaN"],
    [
      { speed: Number.POSITIVE_INFINITY },
      "replay speed must be a finite number greater than 0, got Infinity",
    ],
    [{ loop: 0 }, "replay loop must be true, false or a whole number of passes >= 1, got 0"],
    [{ loop: 2.5 }, "replay loop must be true, false or a whole number of passes >= 1, got 2.5"],
    [{ from: -1 }, "replay from must be a whole row number >= 0, got -1"],
    [{ from: 1.5 }, "replay from must be a whole row number >= 0, got 1.5"],
  ])("rejects %o with a RangeError", (options, message) => {
    const { source, counts } = trackSource([0]);
    expect(() => replay(source, options)).toThrow(new RangeError(message));
    expect(counts.opened).toBe(0);
  });
});
