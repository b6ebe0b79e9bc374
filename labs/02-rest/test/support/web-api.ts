import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { createRedisClient, type RedisClient } from "@gps-workshop/service/redis";
import { freePort, type TestRedis } from "@gps-workshop/shared/testing";
import { onTestFinished } from "vitest";
import { type ApiOptions, createApp } from "../../src/api/app.ts";
import { type RedisKeys, redisKeys } from "../../src/redis-keys.ts";
import type { WebOptions } from "../../src/web/app.ts";
import { type RunningWeb, startWeb } from "./web-server.ts";

/** The real API, served on a port that stays the same across stop() and start(). */
export interface ApiForWeb {
  /** e.g. http://127.0.0.1:34567 */
  url: string;
  /** A Redis client of the test's, to write records as the replayer does. */
  writer: RedisClient;
  /** This API's keys (under a prefix of its own). */
  keys: RedisKeys;
  /** Stops answering: connections are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Builds the API with its createApp against the test file's Redis and serves it; closed when the test finishes. */
export async function startApiForWeb(
  redis: TestRedis,
  options: Omit<ApiOptions, "redis" | "log" | "keyPrefix"> = {},
): Promise<ApiForWeb> {
  const prefix = `${redis.prefix}${randomUUID()}:`;
  const client = createRedisClient({ url: redis.url, service: "api", log: () => {} });
  const writer = createRedisClient({ url: redis.url, service: "test", log: () => {} });
  await Promise.all([client.connect(), writer.connect()]);
  const api = createApp({ ...options, redis: client, keyPrefix: prefix, log: () => {} });
  const port = await freePort();
  let server = createServer(api.app);
  const listen = () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const stop = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  };
  await listen();
  onTestFinished(async () => {
    await api.close();
    if (server.listening) await stop();
    client.destroy();
    writer.destroy();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    writer,
    keys: redisKeys(prefix),
    stop,
    async start() {
      server = createServer(api.app);
      await listen();
    },
  };
}

/** The real API against the test file's Redis, and the web in front of it; both closed when the test finishes. */
export async function startStack(
  redis: TestRedis,
  options: {
    api?: Omit<ApiOptions, "redis" | "log" | "keyPrefix">;
    web?: Omit<WebOptions, "apiUrl" | "log">;
  } = {},
): Promise<{ api: ApiForWeb; web: RunningWeb }> {
  const api = await startApiForWeb(redis, options.api);
  const web = await startWeb({ ...options.web, apiUrl: api.url });
  return { api, web };
}
