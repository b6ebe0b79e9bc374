import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GpsRecordSchema } from "@gps-workshop/shared";
import { connectRedis, startNodeProcess, startRedisServer, test } from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, onTestFinished, vi } from "vitest";
import { HISTORY_FIELD, redisKeys } from "../src/redis-keys.ts";

const FIRST = 1_773_504_000;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "replayer-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A course CSV with one row per timestamp (seconds after FIRST), moving north 0.0001° a row. */
async function writeTrack(offsets: number[]): Promise<string> {
  const rows = offsets.map((offset, i) => `${FIRST + offset},${(37.87 + i * 0.0001).toFixed(4)},-122.26,20`);
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
    const records = entries.map((entry) =>
      GpsRecordSchema.parse(JSON.parse(entry.message[HISTORY_FIELD] ?? "")),
    );
    expect(records.map((record) => record.timestamp - FIRST)).toEqual(offsets);
    // Stream IDs start with Redis's clock in ms: when each record arrived, against when it was due.
    const arrivals = entries.map((entry) => Number(entry.id.split("-")[0]));
    const first = arrivals[0] ?? 0;
    const lateness = arrivals.map((arrival, i) => arrival - first - (offsets[i] ?? 0) * 20);
    expect(Math.max(...lateness.map(Math.abs))).toBeLessThan(80);

    // The state is the last record, as JSON with the 13 fields in wire order and null for no reading.
    const state = await client.get(keys.state);
    expect(state).toBe(
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
    expect(replayer.stderrLines().at(-1)).toMatch(
      /^replayer: finished: 12 records in 1 pass, 12 written to redis, 0 skipped \(a newer record was due\), 0 failed/,
    );
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
      REPLAY_SPEED: "1000",
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

  test("exits 0 within 1 s of SIGTERM, after a summary line", async ({ redis }) => {
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: uniquePrefix(redis.prefix),
      GPS_FILE: await writeTrack(everySecond(100)),
    });
    await replayer.waitForStderr("replayer: first record written to redis");

    const signalled = performance.now();
    replayer.child.kill("SIGTERM");
    const exit = await replayer.exited;

    expect(performance.now() - signalled).toBeLessThan(1000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(replayer.stderrLines()).toContain("replayer: SIGTERM received, shutting down");
    expect(replayer.stderrLines().at(-1)).toMatch(
      /^replayer: stopped: \d+ records? in 1 pass, \d+ written to redis, 0 skipped/,
    );
  });

  test("exits 0 on SIGTERM while still waiting for Redis", async () => {
    const replayer = startReplayer({ REDIS_URL: "redis://127.0.0.1:1", GPS_FILE: await writeTrack([0, 1]) });
    await replayer.waitForStderr("replayer: cannot reach redis at 127.0.0.1:1 (connect ECONNREFUSED");

    replayer.child.kill("SIGTERM");

    expect(await replayer.exited).toEqual({ code: 0, signal: null });
  });

  test("stops with exit code 2 and one line naming a bad variable", async () => {
    const replayer = startReplayer({ REPLAY_SPEED: "0" });

    expect(await replayer.exited).toEqual({ code: 2, signal: null });
    expect(replayer.stderrLines()).toEqual([
      'replayer: bad configuration: REPLAY_SPEED: Too small: expected number to be >0 (got "0")',
    ]);
  });

  test("stops with exit code 1 and one line when GPS_FILE does not exist, without waiting for Redis", async () => {
    const missing = path.join(dir, "no-such-track.csv");
    const replayer = startReplayer({ GPS_FILE: missing, REDIS_URL: "redis://127.0.0.1:1" });

    expect(await replayer.exited).toEqual({ code: 1, signal: null });
    expect(replayer.stderrLines()).toEqual([`replayer: ${missing}: no such file`]);
  });
});

describe("the lab 02 replayer during a Redis outage", () => {
  test("keeps its schedule, says so once, and writes again when Redis is back", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const keys = redisKeys();
    // One record every 100 ms of replay, looping: the timestamps keep increasing.
    const replayer = startReplayer({
      REDIS_URL: server.url,
      GPS_FILE: await writeTrack(everySecond(50)),
      REPLAY_SPEED: "10",
    });
    await replayer.waitForStderr("replayer: replaying");
    const client = await connectRedis(server.url);
    const timestampNow = async () => {
      const state = await client.get(keys.state);
      return state === null ? undefined : (JSON.parse(state) as { timestamp: number }).timestamp;
    };
    const startedAt = performance.now();
    await vi.waitFor(async () => expect(await timestampNow()).toBeGreaterThan(FIRST + 5), { timeout: 5_000 });
    client.destroy();

    await server.stop();
    await replayer.waitForStderr("replayer: redis down (");
    const downAt = performance.now();
    await server.start();
    await replayer.waitForStderr("replayer: redis up again after");
    const after = await connectRedis(server.url);
    // Written again, and where the schedule says the replay is by now, not where it was stopped.
    await vi.waitFor(
      async () => {
        const state = await after.get(keys.state);
        const timestamp = state === null ? 0 : (JSON.parse(state) as { timestamp: number }).timestamp;
        const due = FIRST + ((performance.now() - startedAt) / 1000) * 10;
        expect(timestamp).toBeGreaterThan(FIRST + ((downAt - startedAt) / 1000) * 10);
        expect(Math.abs(timestamp - due)).toBeLessThan(3);
      },
      { timeout: 5_000, interval: 50 },
    );

    expect(replayer.child.exitCode).toBeNull();
    expect(replayer.stderrLines().filter((line) => line.includes("redis down"))).toHaveLength(1);
    expect(replayer.stderrLines().filter((line) => line.includes("redis up again"))).toHaveLength(1);
  });
});
