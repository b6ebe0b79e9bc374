import { test as base } from "vitest";
import { acquireTestRedis, type TestRedis } from "./redis.ts";

/**
 * `test` with a `redis` fixture: one Redis per test file, started by the first test that asks
 * for it and removed after the file's last test.
 */
// biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from this pattern.
export const test = base.extend("redis", { scope: "file" }, async ({}, { onCleanup }): Promise<TestRedis> => {
  const { release, ...redis } = await acquireTestRedis();
  onCleanup(release);
  return redis;
});
