import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError, parseEnv } from "../config.ts";
import { BIKE_CAMPUS, checkTrack, ReplayLog, type ReplayPlan, replayerEnv } from "../replayer.ts";

describe("replayerEnv", () => {
  it("defaults to the bundled bike loop at its recorded pace, looping from the first row", () => {
    const config = parseEnv(replayerEnv, {});
    expect(config).toMatchObject({
      GPS_FILE: BIKE_CAMPUS,
      REPLAY_SPEED: 1,
      REPLAY_LOOP: true,
      REPLAY_FROM: 0,
      HISTORY_LENGTH: 3600,
      REDIS_URL: "redis://localhost:6379",
    });
    expect(path.basename(BIKE_CAMPUS)).toBe("bike-campus.csv");
    expect(existsSync(BIKE_CAMPUS)).toBe(true);
  });

  it("reads the speed, the loop switch, the first row and the history length", () => {
    const env = { REPLAY_SPEED: "50", REPLAY_LOOP: "false", REPLAY_FROM: "120", HISTORY_LENGTH: "200" };
    expect(parseEnv(replayerEnv, env)).toMatchObject({
      REPLAY_SPEED: 50,
      REPLAY_LOOP: false,
      REPLAY_FROM: 120,
      HISTORY_LENGTH: 200,
    });
    expect(parseEnv(replayerEnv, { REPLAY_SPEED: "0.5" }).REPLAY_SPEED).toBe(0.5);
  });

  it.each([
    ["REPLAY_SPEED", "0", "expected a number greater than 0"],
    ["REPLAY_SPEED", "1001", "expected a number <= 1000"],
    ["REPLAY_SPEED", "fast", "written with digits only"],
    ["REPLAY_SPEED", "1e2", "written with digits only"],
    ["REPLAY_LOOP", "sometimes", "expected true or false"],
    ["REPLAY_FROM", "-1", "written with digits only"],
    ["REPLAY_FROM", "1.5", "written with digits only"],
    ["HISTORY_LENGTH", "0", "expected a whole number >= 1"],
  ])("rejects %s=%s with one line naming the variable", (name, value, reason) => {
    const parse = () => parseEnv(replayerEnv, { [name]: value });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(new RegExp(`^${name}: .*${reason}.* \\(got "${value}"\\)$`));
  });

  it("takes a relative GPS_FILE from the folder the command was typed in, as npm says in INIT_CWD", () => {
    vi.stubEnv("INIT_CWD", "/home/student/workshop");
    try {
      expect(parseEnv(replayerEnv, { GPS_FILE: "tracks/ride.gpx" }).GPS_FILE).toBe(
        "/home/student/workshop/tracks/ride.gpx",
      );
      expect(parseEnv(replayerEnv, { GPS_FILE: "/data/ride.gpx" }).GPS_FILE).toBe("/data/ride.gpx");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("checkTrack", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "check-track-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("counts the valid rows and reports each rejected row once, with its file and line", async () => {
    const file = path.join(dir, "rejects.csv");
    const rows = [
      "timestamp,latitude,longitude",
      "100,52.5,13.4",
      "101,95,13.4",
      "102,52.5,13.4",
      "103,,13.4",
    ];
    await writeFile(file, `${rows.join("\n")}\n`);
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => lines.push(line));
    try {
      expect(await checkTrack("replayer", file, 0)).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^replayer: skipped ${file}:3: .*latitude`)),
      expect.stringMatching(new RegExp(`^replayer: skipped ${file}:5: `)),
    ]);
  });
});

/** A log on a clock the test moves by hand: `at(ms)` sets it, `lines` holds what was logged. */
function manualLog(plan: Partial<ReplayPlan> = {}) {
  let now = 0;
  const lines: string[] = [];
  const fullPlan = { file: "/tracks/ride.csv", rows: 200, speed: 1, loop: true, from: 0, ...plan };
  const log = new ReplayLog("replayer", fullPlan, { log: (line) => lines.push(line), now: () => now });
  return {
    log,
    lines,
    at(ms: number) {
      now = ms;
      return log;
    },
  };
}

describe("ReplayLog", () => {
  it("says what it replays, how fast, and whether it loops", () => {
    const looping = manualLog({ speed: 20 });
    looping.log.started();
    const once = manualLog({ loop: false, from: 120 });
    once.log.started();

    expect(looping.lines).toEqual(["replayer: replaying /tracks/ride.csv: 200 rows at 20× speed, looping"]);
    expect(once.lines).toEqual([
      "replayer: replaying /tracks/ride.csv: 200 rows at 1× speed, one pass, from row 120",
    ]);
  });

  it("says when the first record is written, and only then", () => {
    const { at, lines } = manualLog();
    at(0).written();
    at(1000).written();
    expect(lines).toEqual(["replayer: first record written to redis"]);
  });

  it("logs progress every 10 s when a tenth of the track takes longer", () => {
    const { at, lines } = manualLog({ rows: 200 });
    for (let row = 0; row < 35; row++) at((row + 1) * 1000).due(row, 0);

    expect(lines).toEqual([
      "replayer: row 10/200 (5%) pass 1",
      "replayer: row 20/200 (10%) pass 1",
      "replayer: row 30/200 (15%) pass 1",
    ]);
  });

  it("logs progress every tenth of the track when that is faster, but never twice within a second", () => {
    const { at, lines } = manualLog({ rows: 50 });
    // Two passes of 50 rows, 100 ms apart: a tenth (5 rows) every 0.5 s, so a line a second.
    for (let i = 0; i < 100; i++) at((i + 1) * 100).due(i % 50, Math.floor(i / 50));

    expect(lines).toEqual([
      "replayer: row 10/50 (20%) pass 1",
      "replayer: row 20/50 (40%) pass 1",
      "replayer: row 30/50 (60%) pass 1",
      "replayer: row 40/50 (80%) pass 1",
      "replayer: row 50/50 (100%) pass 1",
      "replayer: row 10/50 (20%) pass 2",
      "replayer: row 20/50 (40%) pass 2",
      "replayer: row 30/50 (60%) pass 2",
      "replayer: row 40/50 (80%) pass 2",
      "replayer: row 50/50 (100%) pass 2",
    ]);
  });

  it("counts every record not written between two that were, in one line down and one up", () => {
    const { at, lines } = manualLog();
    at(0).written();
    // The write in flight fails when Redis goes away, and the next ones at once while node-redis reconnects.
    at(3500).notWritten(new Error("Socket closed unexpectedly"));
    for (const ms of [4000, 5000, 6000]) at(ms).notWritten(new Error("The client is offline"));
    at(7000).written();
    at(8000).written();

    expect(lines.slice(1)).toEqual([
      "replayer: redis down (Socket closed unexpectedly): keeping the schedule",
      "replayer: redis up again after 3.5 s: 4 records were not written meanwhile",
    ]);
  });

  it("ends with a summary: records due, passes, written and not written", () => {
    const { at, lines } = manualLog({ rows: 3 });
    for (let i = 0; i < 7; i++) at(i * 1000).due(i % 3, Math.floor(i / 3));
    for (let i = 0; i < 6; i++) at(7000).written();
    at(7000).notWritten(new Error("The client is offline"));
    at(8000).finished(true);
    const once = manualLog({ rows: 1 });
    once.at(0).due(0, 0);
    once.at(0).written();
    once.log.finished(false);

    expect(lines.at(-1)).toBe("replayer: stopped: 7 records in 3 passes, 6 written to redis, 1 not written");
    expect(once.lines.at(-1)).toBe(
      "replayer: finished: 1 record in 1 pass, 1 written to redis, 0 not written",
    );
  });
});
