import { randomUUID } from "node:crypto";
import { RedisContainer, type StartedRedisContainer } from "@testcontainers/redis";
import { Network, type StartedNetwork } from "testcontainers";
import { EnvironmentError, reachDocker } from "./environment.ts";
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
  /** Stops Redis until start() is called: its connections close, new ones are refused (or time out). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes Redis: connections stay open but nothing answers, until stop(). */
  pause(): Promise<void>;
  /** Removes the container. */
  close(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * Reach Redis at its own address on a network of its own, as services reach it in a compose
   * stack, instead of through a port of this machine. While it is stopped, a connection to it then
   * gets no answer at all and times out, instead of being refused at once. Docker must run on this
   * machine (Linux): Docker Desktop does not route to container addresses.
   */
  privateNetwork?: boolean;
}

/**
 * Starts a Redis container whose URL stays valid across stop() and start(): bound to a fixed free
 * host port (Docker would otherwise pick a new random port on restart), or on a private network
 * where it is the only container, so it gets its address back.
 */
export async function startRedisServer({
  privateNetwork = false,
}: RedisServerOptions = {}): Promise<RedisServer> {
  const client = await reachDocker();
  // No snapshots: a Redis that is stopped and started again always comes back empty, as the
  // outage tests expect (with snapshots, it would come back with whatever it saved in time).
  const noSnapshots = ["redis-server", "--save", "", "--appendonly", "no"];
  const redis = new RedisContainer(REDIS_IMAGE).withCommand(noSnapshots);
  let network: StartedNetwork | undefined;
  let port = 6379;
  let container: StartedRedisContainer;
  try {
    if (privateNetwork) network = await new Network().start();
    else port = await freePort();
    container = await (network
      ? redis.withNetwork(network)
      : redis.withExposedPorts({ container: 6379, host: port })
    ).start();
  } catch (error) {
    await network?.stop();
    // Docker answered, so the machine is at fault: an image it cannot pull, a network it cannot make.
    throw new EnvironmentError(`Redis (${REDIS_IMAGE}) could not be started: ${String(error)}`, {
      cause: error,
    });
  }
  const handle = client.container.getById(container.getId());
  return {
    url: `redis://${network ? container.getIpAddress(network.getName()) : container.getHost()}:${port}`,
    stop: () => client.container.stop(handle, { timeout: 0 }),
    start: () => client.container.start(handle),
    pause: () => handle.pause(),
    close: async () => {
      await container.stop({ timeout: 0 });
      await network?.stop();
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
