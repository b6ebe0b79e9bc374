import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Clock } from "../src/clock.ts";
import { ConfigError, parseEnv } from "../src/env.ts";
import { TrackFileError } from "../src/ingest/index.ts";
import type { GpsRecord } from "../src/record.ts";
import {
  DEFAULT_GPS_FILE,
  inspectTrack,
  type ReplaySummary,
  type RunReplayOptions,
  replayerEnv,
  replaySettings,
  runReplay,
  type TrackInfo,
} from "../src/replay-service.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { csv, trackDir } from "./fixtures-tracks.ts";

/** Lets every pending promise callback and file read run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves a manual clock forward to `ms` from one deadline to the next, waiting at each for the
 * replay to read its file and go back to sleep (`ended` says it will not), so every record comes
 * due exactly on time and the test sees what the schedule alone produces.
 */
async function runTo(clock: ManualClock, ms: number, ended: () => boolean): Promise<void> {
  for (;;) {
    while (clock.sleeping === 0 && !ended()) await settle();
    await settle();
    const next = clock.nextDeadline;
    if (next === undefined || next > ms) break;
    clock.set(next);
  }
  clock.set(ms);
  await settle();
}

const tracks = trackDir();

/** A course CSV with one row at each of the given timestamps (epoch seconds). */
async function trackFile(name: string, timestamps: number[]): Promise<TrackInfo> {
  const rows = timestamps.map((timestamp, i) => `${timestamp},52.5${i},13.4`);
  const file = await tracks.write(name, csv(["timestamp,latitude,longitude", ...rows]));
  return { file, rows: timestamps.length };
}

const seconds = (count: number) => Array.from({ length: count }, (_, i) => 1_700_000_000 + i);

/** A write that records what it was given and when, and that the test can hold back or fail. */
function recordingWrite(clock: Clock) {
  const calls: { at: number; timestamp: number }[] = [];
  let next: (() => Promise<void>) | undefined;
  const write = (record: GpsRecord) => {
    calls.push({ at: clock.now(), timestamp: record.timestamp - 1_700_000_000 });
    return next ? next() : Promise.resolve();
  };
  return {
    calls,
    write,
    /** How the following writes behave, until changed. */
    behave(how: (() => Promise<void>) | undefined) {
      next = how;
    },
  };
}

type StartOptions = Partial<Omit<RunReplayOptions, "clock">> &
  Pick<RunReplayOptions, "track" | "write"> & { clock: ManualClock };

/** Starts a replay on a manual clock; `runTo` moves the clock, `lines` holds what it logged. */
function startReplay({ clock, ...options }: StartOptions) {
  const lines: string[] = [];
  const controller = new AbortController();
  let ended = false;
  const end = () => {
    ended = true;
  };
  const done: Promise<ReplaySummary> = runReplay({
    speed: 1,
    loop: false,
    from: 0,
    target: "redis",
    log: (line) => lines.push(line),
    signal: controller.signal,
    clock,
    ...options,
  });
  done.then(end, end);
  return {
    lines,
    done,
    abort: () => controller.abort(),
    runTo: (ms: number) => runTo(clock, ms, () => ended),
  };
}

describe("inspectTrack", () => {
  it("counts the rows, and logs each rejected row and how many there were", async () => {
    const file = await tracks.write(
      "rejects.csv",
      csv(["timestamp,latitude,longitude", "100,52.5,13.4", "101,95,13.4", "102,52.5,13.4", "103,,13.4"]),
    );
    const lines: string[] = [];

    const track = await inspectTrack(file, 0, (line) => lines.push(line));

    expect(track).toEqual({ file, rows: 2 });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^skipped ${file}:3: .*latitude`));
    expect(lines[1]).toMatch(new RegExp(`^skipped ${file}:5: `));
    expect(lines[2]).toBe(`${file}: 2 rows skipped, 2 left to replay`);
  });

  it("logs nothing for a clean track", async () => {
    const { file } = await trackFile("clean.csv", seconds(3));
    const lines: string[] = [];
    await expect(inspectTrack(file, 0, (line) => lines.push(line))).resolves.toEqual({ file, rows: 3 });
    expect(lines).toEqual([]);
  });

  it("fails with one line naming a missing file", async () => {
    const file = tracks.path("missing.csv");
    await expect(inspectTrack(file, 0, () => {})).rejects.toThrow(
      new TrackFileError(`${file}: no such file`),
    );
  });

  it("fails with one line when the first row asked for is past the end", async () => {
    const { file } = await trackFile("short.csv", seconds(3));
    await expect(inspectTrack(file, 3, () => {})).rejects.toThrow(
      new TrackFileError(`${file}: has 3 rows, so it cannot start at row 3 (rows count from 0)`),
    );
  });
});

describe("runReplay", () => {
  it("writes every record in order on schedule and logs the start, the pass and a summary", async () => {
    const clock = new ManualClock();
    const track = await trackFile(
      "five.csv",
      [0, 1, 3, 3.5, 4].map((t) => 1_700_000_000 + t),
    );
    const writes = recordingWrite(clock);
    const replay = startReplay({ track, write: writes.write, clock, speed: 2 });

    await replay.runTo(2_000);
    const summary = await replay.done;

    // Speed 2: the recorded seconds 0, 1, 3, 3.5 and 4 are due at 0, 0.5, 1.5, 1.75 and 2 s.
    expect(writes.calls).toEqual([
      { at: 0, timestamp: 0 },
      { at: 500, timestamp: 1 },
      { at: 1_500, timestamp: 3 },
      { at: 1_750, timestamp: 3.5 },
      { at: 2_000, timestamp: 4 },
    ]);
    expect(summary).toEqual({ records: 5, passes: 1, written: 5, skipped: 0, failed: 0, maxLatenessMs: 0 });
    expect(replay.lines).toEqual([
      `replaying ${track.file}: 5 rows at 2× speed, one pass`,
      "first record written to redis",
      "row 3/5 (60%) pass 1",
      "pass 1 done in 2.0 s",
      "finished: 5 records in 1 pass, 5 written to redis, 0 skipped (a newer record was due), 0 failed; " +
        "at most 0.0 ms behind schedule",
    ]);
  });

  it("keeps the schedule while a write is slow, and writes only the latest record that came due meanwhile", async () => {
    const clock = new ManualClock();
    const track = await trackFile("ten.csv", seconds(10));
    const writes = recordingWrite(clock);
    const slow = Promise.withResolvers<void>();
    writes.behave(() => slow.promise);
    const replay = startReplay({ track, write: writes.write, clock });

    await replay.runTo(3_500);
    // Rows 1, 2 and 3 came due while row 0 was being written: 3 replaced 2, which had replaced 1.
    expect(writes.calls).toEqual([{ at: 0, timestamp: 0 }]);
    writes.behave(undefined);
    slow.resolve();
    await replay.runTo(9_000);
    const summary = await replay.done;

    expect(writes.calls).toEqual([
      { at: 0, timestamp: 0 },
      { at: 3_500, timestamp: 3 },
      ...[4, 5, 6, 7, 8, 9].map((second) => ({ at: second * 1_000, timestamp: second })),
    ]);
    expect(summary).toMatchObject({ records: 10, written: 8, skipped: 2, failed: 0, maxLatenessMs: 0 });
  });

  it("logs one line when writes start failing and one when they succeed again, whatever comes due between", async () => {
    const clock = new ManualClock();
    const track = await trackFile("outage.csv", seconds(10));
    const writes = recordingWrite(clock);
    const replay = startReplay({ track, write: writes.write, clock });

    await replay.runTo(1_500);
    writes.behave(() => Promise.reject(new Error("The client is offline")));
    await replay.runTo(6_500);
    writes.behave(undefined);
    await replay.runTo(9_000);
    const summary = await replay.done;

    // Every record was tried at its due time: a failing write costs the record, not time.
    expect(writes.calls.map((call) => call.at)).toEqual(seconds(10).map((_, i) => i * 1_000));
    expect(summary).toMatchObject({ records: 10, written: 5, skipped: 0, failed: 5 });
    const outage = replay.lines.filter((line) => line.startsWith("redis "));
    expect(outage).toEqual([
      "redis down (The client is offline): keeping the schedule, retrying with each record",
      "redis up again after 5.0 s: 5 records were not written meanwhile",
    ]);
  });

  it("says the target is down when a write gets no answer for 5 s", async () => {
    const clock = new ManualClock();
    const track = await trackFile("frozen.csv", seconds(10));
    const writes = recordingWrite(clock);
    const frozen = Promise.withResolvers<void>();
    writes.behave(() => frozen.promise);
    const replay = startReplay({ track, write: writes.write, clock });

    await replay.runTo(4_999);
    expect(replay.lines.filter((line) => line.startsWith("redis "))).toEqual([]);
    await replay.runTo(5_000);
    expect(replay.lines).toContain(
      "redis down (no answer for 5.0 s): keeping the schedule, retrying with each record",
    );
    writes.behave(undefined);
    frozen.resolve();
    await replay.runTo(9_000);
    await replay.done;

    expect(replay.lines.filter((line) => line.startsWith("redis "))).toHaveLength(2);
    // Rows 1 to 4 came due during the wait, each replacing the one before; row 5 was written after it.
    expect(replay.lines).toContain("redis up again after 5.0 s: 4 records were not written meanwhile");
  });

  it("logs progress every 10 s when a tenth of the track takes longer", async () => {
    const clock = new ManualClock();
    const track = await trackFile("long.csv", seconds(200));
    const writes = recordingWrite(clock);
    const replay = startReplay({ track, write: writes.write, clock });

    await replay.runTo(35_000);

    expect(replay.lines.slice(1)).toEqual([
      "first record written to redis",
      "row 11/200 (5%) pass 1",
      "row 21/200 (10%) pass 1",
      "row 31/200 (15%) pass 1",
    ]);
    replay.abort();
  });

  it("loops with one line per pass, and stops cleanly when aborted, after the write in flight", async () => {
    const clock = new ManualClock();
    // Span 2 s and a first interval of 1 s: each pass starts 3 s after the previous one.
    const track = await trackFile("loop.csv", seconds(3));
    const writes = recordingWrite(clock);
    const replay = startReplay({ track, write: writes.write, clock, loop: true, from: 1 });

    await replay.runTo(7_500);
    const last = Promise.withResolvers<void>();
    writes.behave(() => last.promise);
    await replay.runTo(8_000);
    replay.abort();
    await settle();
    let finished = false;
    void replay.done.then(() => {
      finished = true;
    });
    await settle();
    expect(finished).toBe(false);
    last.resolve();
    const summary = await replay.done;

    // Pass 1 starts at row 1, due at once; the next passes replay every row, timestamps still increasing.
    expect(writes.calls.map((call) => call.timestamp)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(writes.calls.map((call) => call.at)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => s * 1_000));
    expect(summary).toMatchObject({ records: 9, passes: 4, written: 9 });
    expect(replay.lines[0]).toBe(`replaying ${track.file}: 3 rows at 1× speed, looping, from row 1`);
    expect(replay.lines.filter((line) => line.startsWith("pass"))).toEqual([
      "pass 1 done in 1.0 s",
      "pass 2 done in 2.0 s",
      "pass 3 done in 2.0 s",
    ]);
    expect(replay.lines.at(-1)).toMatch(/^stopped: 9 records in 4 passes, 9 written to redis/);
  });

  it("rejects with TrackFileError when the file disappears before a later pass", async () => {
    const clock = new ManualClock();
    const track = await trackFile("vanishing.csv", seconds(2));
    const writes = recordingWrite(clock);
    const replay = startReplay({ track, write: writes.write, clock, loop: true });
    await replay.runTo(500);
    await rm(track.file);

    const outcome = expect(replay.done).rejects.toThrow(new TrackFileError(`${track.file}: no such file`));
    await replay.runTo(2_000);
    await outcome;
  });
});

describe("replayerEnv", () => {
  it("defaults to the bundled bike track, at the recorded pace, looping from the first row", () => {
    const settings = replaySettings(parseEnv(replayerEnv, {}));
    expect(settings).toEqual({ file: DEFAULT_GPS_FILE, speed: 1, loop: true, from: 0 });
    expect(path.basename(DEFAULT_GPS_FILE)).toBe("bike-campus.csv");
    expect(existsSync(DEFAULT_GPS_FILE)).toBe(true);
  });

  it("reads the speed, the loop switch and the first row", () => {
    const vars = parseEnv(replayerEnv, { REPLAY_SPEED: "50", REPLAY_LOOP: "false", REPLAY_FROM: "120" });
    expect(replaySettings(vars)).toMatchObject({ speed: 50, loop: false, from: 120 });
  });

  it.each([
    ["REPLAY_SPEED", "0"],
    ["REPLAY_SPEED", "1001"],
    ["REPLAY_SPEED", "fast"],
    ["REPLAY_LOOP", "sometimes"],
    ["REPLAY_FROM", "-1"],
    ["REPLAY_FROM", "1.5"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => parseEnv(replayerEnv, { [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv(replayerEnv, { [name]: value })).toThrow(
      new RegExp(`^${name}: .*\\(got "${value}"\\)$`),
    );
  });

  it("resolves a relative GPS_FILE against the folder npm was started in", () => {
    const before = process.env.INIT_CWD;
    process.env.INIT_CWD = "/home/student/workshop";
    try {
      const settings = replaySettings(parseEnv(replayerEnv, { GPS_FILE: "tracks/ride.gpx" }));
      expect(settings.file).toBe("/home/student/workshop/tracks/ride.gpx");
    } finally {
      if (before === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = before;
    }
  });
});
