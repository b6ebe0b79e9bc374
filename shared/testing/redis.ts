import { randomUUID } from "node:crypto";
import { RedisContainer, type StartedRedisContainer } from "@testcontainers/redis";
import { getContainerRuntimeClient } from "testcontainers";
import { freePort } from "./free-port.ts";

/** The image the labs' compose files use, so tests exercise the same Redis. */
export const REDIS_IMAGE = "redis:7-bookworm";

export const DOCKER_NEEDED =
  "Docker is needed for the integration tests: start Docker, or set REDIS_URL to an existing Redis (npm run test:unit runs the tests that need no Docker)";

/** A Redis for one test file: where it is, and a prefix to put before every key and channel. */
export interface TestRedis {
  url: string;
  /** "" for a private container; unique per file when the tests share an external REDIS_URL. */
  prefix: string;
}

/** A private Redis container whose host port survives stop/start, for outage tests. */
export interface RedisServer {
  url: string;
  /** Stops Redis (clients see connection refused) until start() is called. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Removes the container. */
  close(): Promise<void>;
}

/**
 * Starts a Redis container bound to a fixed free host port, so that its URL stays valid
 * across stop() and start() (Docker would otherwise pick a new random port on restart).
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let container: StartedRedisContainer;
  try {
    container = await new RedisContainer(REDIS_IMAGE)
      .withExposedPorts({ container: 6379, host: port })
      // No snapshots: a Redis that is stopped and started again always comes back empty, as the
      // outage tests expect (with snapshots, it would come back with whatever it saved in time).
      .withCommand(["redis-server", "--save", "", "--appendonly", "no"])
      .start();
  } catch (error) {
    throw new Error(DOCKER_NEEDED, { cause: error });
  }
  const client = await getContainerRuntimeClient();
  const handle = client.container.getById(container.getId());
  return {
    url: `redis://${container.getHost()}:${port}`,
    stop: () => client.container.stop(handle, { timeout: 0 }),
    start: () => client.container.start(handle),
    close: async () => {
      await container.stop({ timeout: 0 });
    },
  };
}

/**
 * The Redis a test file should use: REDIS_URL when it is set (with a prefix unique to this
 * file, so parallel files cannot collide), otherwise a private container.
 */
export async function acquireTestRedis(): Promise<TestRedis & { release(): Promise<void> }> {
  const external = process.env.REDIS_URL;
  if (external) {
    return { url: external, prefix: `test:${randomUUID()}:`, release: async () => {} };
  }
  const server = await startRedisServer();
  return { url: server.url, prefix: "", release: server.close };
}
