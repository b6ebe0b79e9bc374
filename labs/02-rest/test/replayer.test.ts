import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BIKE_CAMPUS } from "@gps-workshop/service/replayer";
import { type GpsRecord, GpsRecordSchema, readTrack } from "@gps-workshop/shared";
import {
  connectRedis,
  followStream,
  type NodeProcess,
  type StreamEntry,
  startNodeProcess,
  startRedisServer,
  test,
} from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, onTestFinished, vi } from "vitest";
import { HISTORY_FIELD, redisKeys } from "../src/redis-keys.ts";

const FIRST = 1_773_504_000;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "replayer-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A course CSV with one row per timestamp (seconds after FIRST), moving north 0.0001° a row. */
async function writeTrack(offsets: number[], extraRows: Record<number, string> = {}): Promise<string> {
  const rows = offsets.map((offset, i) => `${FIRST + offset},${(37.87 + i * 0.0001).toFixed(4)},-122.26,20`);
  for (const [at, row] of Object.entries(extraRows)) rows.splice(Number(at), 0, row);
  const file = path.join(dir, `${randomUUID()}.csv`);
  await writeFile(file, `timestamp,latitude,longitude,elevation\n${rows.join("\n")}\n`);
  return file;
}

const everySecond = (count: number, step = 1) => Array.from({ length: count }, (_, i) => i * step);

const REPLAYER = path.resolve(import.meta.dirname, "../src/replayer/main.ts");

/** Runs `node src/replayer/main.ts` as students and containers do, configured by `env` alone. */
const startReplayer = (env: Record<string, string>) => startNodeProcess(REPLAYER, { env });

/** A prefix of its own for each test: the tests of this file share one Redis. */
const uniquePrefix = (prefix: string) => `${prefix}${randomUUID()}:`;

const recordOf = (entry: StreamEntry): GpsRecord =>
  GpsRecordSchema.parse(JSON.parse(entry.message[HISTORY_FIELD] ?? ""));

/** The counts of the replayer's last line: `stopped: 57 records in 1 pass, 50 written to redis, 7 not written`. */
function summary(replayer: NodeProcess) {
  const last = replayer.stderrLines().at(-1) ?? "";
  const match =
    /^replayer: (?:stopped|finished): (\d+) records? in \d+ pass(?:es)?, (\d+) written to redis, (\d+) not written$/.exec(
      last,
    );
  if (!match) throw new Error(`not a summary line: ${last}`);
  return { due: Number(match[1]), written: Number(match[2]), notWritten: Number(match[3]) };
}

/** The numbers of the `redis up again after 3.2 s: 10 records were not written meanwhile` lines. */
const notWrittenMeanwhile = (replayer: NodeProcess) =>
  replayer.stderrLines().flatMap((line) => {
    const match =
      /^replayer: redis up again after \d+\.\d s: (\d+) records? (?:was|were) not written meanwhile$/.exec(
        line,
      );
    return match ? [Number(match[1])] : [];
  });

/** The records missing from a history of a track with one row a second: the gaps between its timestamps. */
const gapsIn = (entries: StreamEntry[]) =>
  entries
    .map((entry) => recordOf(entry).timestamp)
    .flatMap((timestamp, i, all) =>
      i > 0 && timestamp - (all[i - 1] ?? 0) > 1 ? [timestamp - (all[i - 1] ?? 0) - 1] : [],
    );

describe("the lab 02 replayer", () => {
  test("writes each record to gps_state and gps_history on schedule at 50×", async ({ redis }) => {
    // Recorded 5 s apart: at 50× one record every 100 ms.
    const offsets = everySecond(12, 5);
    const file = await writeTrack(offsets);
    const prefix = uniquePrefix(redis.prefix);
    const keys = redisKeys(prefix);
    const client = await connectRedis(redis.url);

    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: file,
      REPLAY_SPEED: "50",
      REPLAY_LOOP: "false",
    });
    expect(await replayer.exited).toEqual({ code: 0, signal: null });

    const entries = (await client.xRange(keys.history, "-", "+")) ?? [];
    const records = entries.map(recordOf);
    expect(records.map((record) => record.timestamp - FIRST)).toEqual(offsets);
    // Stream IDs start with Redis's clock in ms: when each record arrived, against when it was due.
    const arrivals = entries.map((entry) => Number(entry.id.split("-")[0]));
    const first = arrivals[0] ?? 0;
    const lateness = arrivals.map((arrival, i) => arrival - first - (offsets[i] ?? 0) * 20);
    expect(Math.max(...lateness.map(Math.abs))).toBeLessThan(80);

    // The state is the last record, as JSON with the 13 fields in wire order and null for no reading.
    expect(await client.get(keys.state)).toBe(
      JSON.stringify({
        timestamp: FIRST + 55,
        latitude: 37.8711,
        longitude: -122.26,
        elevation: 20,
        accuracy: null,
        bearing: null,
        speed_meters_per_second: null,
        satellites: null,
        hdop: null,
        vdop: null,
        pdop: null,
        distance_meters: records.at(-1)?.distance_meters,
        elapsed_time_seconds: 5,
      }),
    );
    // Besides a progress line now and then (`replayer: row 12/12 (100%) pass 1`):
    expect(replayer.stderrLines().filter((line) => !line.startsWith("replayer: row "))).toEqual([
      `replayer: connected to redis at ${new URL(redis.url).host}`,
      `replayer: replaying ${file}: 12 rows at 50× speed, one pass`,
      "replayer: first record written to redis",
      "replayer: finished: 12 records in 1 pass, 12 written to redis, 0 not written",
    ]);
  });

  test("trims gps_history to about HISTORY_LENGTH entries", async ({ redis }) => {
    const prefix = uniquePrefix(redis.prefix);
    const keys = redisKeys(prefix);
    const client = await connectRedis(redis.url);
    // An earlier run left 1000 entries.
    for (let i = 0; i < 1000; i++) await client.xAdd(keys.history, "*", { [HISTORY_FIELD]: "{}" });

    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: await writeTrack(everySecond(5)),
      REPLAY_SPEED: "100",
      REPLAY_LOOP: "false",
      HISTORY_LENGTH: "200",
    });
    expect(await replayer.exited).toEqual({ code: 0, signal: null });

    // MAXLEN ~ trims whole blocks of up to 100 entries: between 200 and 300 remain, the newest.
    const length = await client.xLen(keys.history);
    expect(length).toBeGreaterThanOrEqual(200);
    expect(length).toBeLessThan(300);
    const [newest] = (await client.xRevRange(keys.history, "+", "-", { COUNT: 1 })) ?? [];
    expect(JSON.parse(newest?.message[HISTORY_FIELD] ?? "")).toMatchObject({ timestamp: FIRST + 4 });
  });

  test("replays the bundled bike loop when GPS_FILE is not set, ending on its last record", async ({
    redis,
  }) => {
    const prefix = uniquePrefix(redis.prefix);
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      REPLAY_SPEED: "1000",
      REPLAY_LOOP: "false",
    });
    expect(await replayer.exited).toEqual({ code: 0, signal: null });

    expect(replayer.stderrLines()).toContain(
      `replayer: replaying ${BIKE_CAMPUS}: 894 rows at 1000× speed, one pass`,
    );
    // However many records a busy Redis cost on the way, the last one is always written.
    let last: GpsRecord | undefined;
    for await (const record of readTrack(BIKE_CAMPUS)) last = record;
    const client = await connectRedis(redis.url);
    expect(JSON.parse((await client.get(redisKeys(prefix).state)) ?? "")).toEqual(last);
    expect(summary(replayer)).toMatchObject({
      due: 894,
      written: await client.xLen(redisKeys(prefix).history),
    });
  });

  test("loops: timestamps keep increasing across passes, and each pass starts with a distance of 0", async ({
    redis,
  }) => {
    const prefix = uniquePrefix(redis.prefix);
    const history = await followStream(redis.url, redisKeys(prefix).history);
    // Three rows 1 s apart at 50×: a pass every 60 ms, as the previous one ended plus one interval.
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: await writeTrack(everySecond(3)),
      REPLAY_SPEED: "50",
    });
    await vi.waitFor(() => expect(history.length).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
    replayer.child.kill("SIGTERM");
    expect(await replayer.exited).toEqual({ code: 0, signal: null });

    const records = history.map(recordOf);
    const offsets = records.map((record) => record.timestamp - FIRST);
    expect(offsets).toEqual(offsets.toSorted((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    for (const record of records) {
      const row = (record.timestamp - FIRST) % 3;
      if (record.timestamp === FIRST)
        expect(record).toMatchObject({ distance_meters: 0, elapsed_time_seconds: 0 });
      else if (row === 0) expect(record).toMatchObject({ distance_meters: 0, elapsed_time_seconds: 1 });
      else expect(record.distance_meters).toBeGreaterThan(10);
    }
  });

  test("reports a rejected row once, not on every pass", async ({ redis }) => {
    const prefix = uniquePrefix(redis.prefix);
    const history = await followStream(redis.url, redisKeys(prefix).history);
    const file = await writeTrack(everySecond(3), { 1: `${FIRST},95,-122.26,20` });
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: file,
      REPLAY_SPEED: "50",
    });
    await vi.waitFor(() => expect(history.length).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
    replayer.child.kill("SIGTERM");
    expect(await replayer.exited).toEqual({ code: 0, signal: null });

    expect(replayer.stderrLines().filter((line) => line.includes("skipped"))).toEqual([
      expect.stringMatching(new RegExp(`^replayer: skipped ${file}:3: .*latitude`)),
    ]);
  });

  test("on SIGTERM, finishes its write in flight, says what it wrote, and exits 0", async ({ redis }) => {
    const prefix = uniquePrefix(redis.prefix);
    const keys = redisKeys(prefix);
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: await writeTrack(everySecond(100)),
      REPLAY_SPEED: "20",
    });
    await replayer.waitForStderr("replayer: first record written to redis");

    replayer.child.kill("SIGTERM");

    expect(await replayer.exited).toEqual({ code: 0, signal: null });
    expect(replayer.stderrLines()).toContain("replayer: SIGTERM received, shutting down");
    const client = await connectRedis(redis.url);
    const history = (await client.xRange(keys.history, "-", "+")) ?? [];
    expect(summary(replayer)).toEqual({ due: history.length, written: history.length, notWritten: 0 });
    // State and history were written together: the state is the newest entry of the history.
    expect(await client.get(keys.state)).toBe(history.at(-1)?.message[HISTORY_FIELD]);
  });

  test("exits 0 on SIGTERM while still waiting for Redis", async () => {
    const replayer = startReplayer({ REDIS_URL: "redis://127.0.0.1:1", GPS_FILE: await writeTrack([0, 1]) });
    await replayer.waitForStderr("replayer: cannot reach redis at 127.0.0.1:1 (connect ECONNREFUSED");

    replayer.child.kill("SIGTERM");

    expect(await replayer.exited).toEqual({ code: 0, signal: null });
  });

  test.each([
    ["REPLAY_SPEED", "0", 'REPLAY_SPEED: expected a number greater than 0 (got "0")'],
    [
      "HISTORY_LENGTH",
      "lots",
      'HISTORY_LENGTH: expected a whole number from 1 to 1000000, written with digits only (got "lots")',
    ],
  ])("stops with exit code 2 and one line naming a bad %s", async (name, value, message) => {
    const replayer = startReplayer({ [name]: value });

    expect(await replayer.exited).toEqual({ code: 2, signal: null });
    expect(replayer.stderrLines()).toEqual([`replayer: bad configuration: ${message}`]);
  });

  test("stops with exit code 1 and one line when the track cannot be replayed, without waiting for Redis", async () => {
    const missing = path.join(dir, "no-such-track.csv");
    const noValidRow = await writeTrack([], { 0: `${FIRST},95,-122.26,20` });
    const short = await writeTrack(everySecond(3));
    const cases = [
      [{ GPS_FILE: missing }, [`replayer: ${missing}: no such file`]],
      [
        { GPS_FILE: noValidRow },
        [
          expect.stringMatching(`^replayer: skipped ${noValidRow}:2: `),
          `replayer: ${noValidRow}: has no valid GPS records (all 1 were rejected)`,
        ],
      ],
      [
        { GPS_FILE: short, REPLAY_FROM: "3" },
        [`replayer: ${short}: has 3 rows, so it cannot start at row 3 (REPLAY_FROM counts from 0)`],
      ],
    ] as const;
    for (const [env, lines] of cases) {
      const replayer = startReplayer({ ...env, REDIS_URL: "redis://127.0.0.1:1" });
      expect(await replayer.exited).toEqual({ code: 1, signal: null });
      expect(replayer.stderrLines()).toEqual(lines);
    }
  });
});

/**
 * Starts the replayer on a track of one row a second at 10× (a record every 100 ms), and follows
 * the history it writes; resolves once a few records are in.
 */
async function replayDuringOutage(url: string) {
  const history = await followStream(url, redisKeys().history);
  const replayer = startReplayer({
    REDIS_URL: url,
    GPS_FILE: await writeTrack(everySecond(3000)),
    REPLAY_SPEED: "10",
  });
  await vi.waitFor(() => expect(history.length).toBeGreaterThan(5), { timeout: 10_000 });
  return { history, replayer };
}

/**
 * Once Redis is back: the replayer writes again, on the schedule it kept through the outage; on
 * SIGTERM it exits 0; and what it logged matches the history a reader saw: the records missing
 * across the outage are the number in the "up again" line, and all those missing, its last line's.
 */
async function expectCountsMatchHistory(replayer: NodeProcess, history: StreamEntry[]) {
  await replayer.waitForStderr("replayer: redis up again after");
  const afterOutage = history.length;
  await vi.waitFor(() => expect(history.length).toBeGreaterThan(afterOutage + 5), { timeout: 5_000 });
  replayer.child.kill("SIGTERM");
  expect(await replayer.exited).toEqual({ code: 0, signal: null });
  const { written, notWritten } = summary(replayer);
  await vi.waitFor(() => expect(history).toHaveLength(written));

  // Entry ids start with Redis's clock in ms: each record arrived when the schedule said, outage or not.
  const arrival = (entry: StreamEntry) => Number(entry.id.split("-")[0]);
  const [first] = history as [StreamEntry];
  for (const entry of history.slice(afterOutage)) {
    const due = arrival(first) + (recordOf(entry).timestamp - recordOf(first).timestamp) * 100;
    expect(Math.abs(arrival(entry) - due)).toBeLessThan(500);
  }
  const [meanwhile, ...more] = notWrittenMeanwhile(replayer);
  expect(more).toEqual([]);
  const gaps = gapsIn(history);
  expect(Math.max(...gaps)).toBe(meanwhile);
  expect(gaps.reduce((sum, gap) => sum + gap, 0)).toBe(notWritten);
  expect(replayer.stderrLines().filter((line) => line.includes("redis down ("))).toHaveLength(1);
}

/** What a new connection meets within 1 s: "connected", "an error" (refused, unreachable) or "no answer". */
function dial(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), timeout: 1000 });
  return new Promise<string>((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("error", () => resolve("an error"));
    socket.once("timeout", () => resolve("no answer"));
  }).finally(() => socket.destroy());
}

describe("the lab 02 replayer during a Redis outage", () => {
  test("keeps its schedule through a restart, and counts exactly the records it could not write", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const { history, replayer } = await replayDuringOutage(server.url);

    await server.stop();
    await replayer.waitForStderr("replayer: redis down (");
    await server.start();

    await expectCountsMatchHistory(replayer, history);
  });

  test("counts the records lost while a write hung, then failed, and reconnecting timed out", async () => {
    // Reached at its own address, as in compose: while it is stopped, connecting gets no answer.
    const server = await startRedisServer({ privateNetwork: true });
    onTestFinished(() => server.close());
    const { history, replayer } = await replayDuringOutage(server.url);

    // Frozen, Redis leaves the write in flight unanswered while 15 more records come due (the
    // length of this first part of the outage); then it stops, and the write fails.
    await server.pause();
    await sleep(1500);
    await server.stop();
    await replayer.waitForStderr("replayer: redis down (");
    expect(await dial(server.url)).toBe("no answer");
    await server.start();

    await expectCountsMatchHistory(replayer, history);
  });
});
