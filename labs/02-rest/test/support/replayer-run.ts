import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startNodeProcess, type TestRedis } from "@gps-workshop/shared/testing";
import { expect, onTestFinished } from "vitest";
import { type RedisKeys, redisKeys } from "../../src/redis-keys.ts";

const REPLAYER = path.resolve(import.meta.dirname, "../../src/replayer/main.ts");

/** The first timestamp of the tracks written here. */
export const FIRST = 1_773_504_000;

/** A course CSV of `rows` rows one second apart, moving north 0.0001° a row; removed when the test finishes. */
export async function writeTrack(rows: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "replayer-check-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const lines = Array.from(
    { length: rows },
    (_, i) => `${FIRST + i},${(37.87 + i * 0.0001).toFixed(4)},-122.26,${20 + i}`,
  );
  const file = path.join(dir, "track.csv");
  await writeFile(file, `timestamp,latitude,longitude,elevation\n${lines.join("\n")}\n`);
  return file;
}

/** Keys under a prefix of their own in the test file's Redis, for one run of the replayer. */
export const freshKeys = (redis: TestRedis): RedisKeys => redisKeys(`${redis.prefix}${randomUUID()}:`);

/**
 * Runs `node src/replayer/main.ts` once through `track` at 100×, writing under `keys`' prefix, and
 * waits until it has exited 0. Resolves to its log, for a failing check to show.
 */
export async function replayOnce(
  redis: TestRedis,
  keys: RedisKeys,
  track: string,
  env: Record<string, string> = {},
): Promise<() => string> {
  const prefix = keys.state.slice(0, -"gps_state".length);
  const replayer = startNodeProcess(REPLAYER, {
    env: {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: track,
      REPLAY_SPEED: "100",
      REPLAY_LOOP: "false",
      ...env,
    },
  });
  const log = () => `the replayer logged:\n${replayer.stderr()}`;
  expect(await replayer.exited, log()).toEqual({ code: 0, signal: null });
  return log;
}
