import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { closeServer, serve } from "@gps-workshop/service/http";
import { createRedisClient, type RedisClient } from "@gps-workshop/service/redis";
import type { TestRedis } from "@gps-workshop/shared/testing";
import { onTestFinished } from "vitest";
import { type Api, type ApiOptions, createApp } from "../../src/api/app.ts";
import { type RedisKeys, redisKeys } from "../../src/redis-keys.ts";

export interface RunningApi {
  /** Base URL, e.g. http://127.0.0.1:34567 */
  url: string;
  api: Api;
  /** The API's own Redis client. */
  redis: RedisClient;
  /** Another client, for the test to write with as the replayer would. */
  writer: RedisClient;
  /** This API's keys, under a prefix of its own. */
  keys: RedisKeys;
  /** What the API and its Redis client logged. */
  logs: string[];
}

/**
 * Builds the API with createApp and serves it as main.ts does (`serve`, on a free port), against
 * the test file's Redis, under a key prefix of its own so that the tests of one file cannot see
 * each other's data (or under `options.keyPrefix`, to read what another API process wrote).
 * When the test finishes, it shuts down as main.ts does.
 */
export async function startApi(
  redis: TestRedis,
  options: Omit<ApiOptions, "redis" | "log"> = {},
): Promise<RunningApi> {
  const keyPrefix = options.keyPrefix ?? `${redis.prefix}${randomUUID()}:`;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const client = createRedisClient({ url: redis.url, service: "api", log });
  const writer = createRedisClient({ url: redis.url, service: "test", log: () => {} });
  await Promise.all([client.connect(), writer.connect()]);
  const api = createApp({ ...options, redis: client, keyPrefix, log });
  const server = serve(api.app, "api", 0, log);
  await once(server, "listening");
  onTestFinished(async () => {
    const closing = closeServer(server);
    await api.close();
    await closing;
    client.destroy();
    writer.destroy();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, api, redis: client, writer, keys: redisKeys(keyPrefix), logs };
}
