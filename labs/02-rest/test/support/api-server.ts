import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestRedis } from "@gps-workshop/shared/testing";
import { onTestFinished } from "vitest";
import { type Api, type ApiOptions, createApp } from "../../src/api/app.ts";
import { createRedisClient, type RedisClient } from "../../src/api/redis-client.ts";
import { type RedisKeys, redisKeys } from "../../src/redis-keys.ts";

export interface RunningApi {
  /** Base URL, e.g. http://127.0.0.1:34567 */
  url: string;
  api: Api;
  /** The API's own Redis client. */
  redis: RedisClient;
  /** Another client, for the test to write with as the replayer would. */
  writer: RedisClient;
  /** This API's key prefix, unique to it, and its keys. */
  prefix: string;
  keys: RedisKeys;
  /** What the API and its Redis client logged. */
  logs: string[];
}

/**
 * Builds the API with createApp and serves it on a free port, against the test file's Redis,
 * under a key prefix of its own so that the tests of one file cannot see each other's data
 * (or under `options.keyPrefix`, to read what another API process wrote). When the test
 * finishes, it shuts down as main.ts does: interrupt the work, close the server, then Redis.
 */
export async function startApi(
  redis: TestRedis,
  options: Omit<ApiOptions, "redis" | "log"> = {},
): Promise<RunningApi> {
  const prefix = options.keyPrefix ?? `${redis.prefix}${randomUUID()}:`;
  const logs: string[] = [];
  const client = createRedisClient(redis.url, (line) => logs.push(line));
  const writer = createRedisClient(redis.url);
  await Promise.all([client.connect(), writer.connect()]);
  const api = createApp({ ...options, redis: client, keyPrefix: prefix, log: (line) => logs.push(line) });
  const server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    await api.close();
    server.closeAllConnections();
    await closed;
    client.destroy();
    writer.destroy();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    redis: client,
    writer,
    prefix,
    keys: redisKeys(prefix),
    logs,
  };
}
