import { randomUUID } from "node:crypto";
import { connectRedis, type TestRedis } from "@gps-workshop/shared/testing";
import type { RedisClientType } from "redis";
import { onTestFinished } from "vitest";
import { type RedisKeys, redisKeys } from "../../src/redis-keys.ts";
import type { AppOptions } from "../../src/web/app.ts";
import { openSse, type SseClient } from "./sse-client.ts";
import { type RunningWeb, startWeb } from "./web.ts";

export interface WebTestContext extends RunningWeb {
  keys: RedisKeys;
  /** A plain client, as any publisher would use. */
  publisher: RedisClientType;
  /** Opens a stream (`/events` by default), closed when the test ends. */
  connect(path?: string, headers?: Record<string, string>): Promise<SseClient>;
}

/**
 * The web app and a publisher for one test, with keys of its own (the tests of a file share
 * one Redis); everything is closed when the test ends.
 */
export async function webTest(
  redis: TestRedis,
  options: Omit<AppOptions, "redis" | "subscriber" | "log" | "keyPrefix"> = {},
): Promise<WebTestContext> {
  const keyPrefix = `${redis.prefix}${randomUUID()}:`;
  const running = await startWeb(redis.url, { ...options, keyPrefix });
  const publisher = await connectRedis(redis.url);
  return {
    ...running,
    keys: redisKeys(keyPrefix),
    publisher,
    async connect(path = "/events", headers = {}) {
      const client = await openSse(`${running.url}${path}`, headers);
      onTestFinished(() => client.close());
      return client;
    },
  };
}
