import { RedisContainer } from "@testcontainers/redis";
import { GenericContainer, Network, type StartedTestContainer, Wait } from "testcontainers";
import { type BuildImageOptions, buildImage } from "./docker.ts";
import { EnvironmentError } from "./environment.ts";
import { REDIS_IMAGE } from "./redis.ts";

/** A lab's image beside a Redis that its services reach as "redis", on a network of their own. */
export interface LabImage {
  /** Where the test itself reaches that Redis. */
  redisUrl: string;
  /**
   * Starts one of the image's services as compose would, `node <entry>` with REDIS_URL and `env`
   * set, and resolves once it has logged `readyLine`.
   */
  start(entry: string, readyLine: string, env?: Record<string, string>): Promise<StartedTestContainer>;
  /** Stops the services it started, then Redis and the network. */
  close(): Promise<void>;
}

/**
 * Builds a lab's image and starts a Redis for it on a new network, as its compose stack does; an
 * EnvironmentError when Docker is not running, the image fails to build or Redis cannot start.
 */
export async function startLabImage(image: BuildImageOptions): Promise<LabImage> {
  await buildImage(image);
  const network = await new Network().start();
  const redis = await new RedisContainer(REDIS_IMAGE)
    .withNetwork(network)
    .withNetworkAliases("redis")
    .start()
    .catch(async (error: unknown) => {
      await network.stop();
      throw new EnvironmentError(`Redis (${REDIS_IMAGE}) could not be started: ${String(error)}`, {
        cause: error,
      });
    });
  const started: StartedTestContainer[] = [];
  return {
    redisUrl: redis.getConnectionUrl(),
    async start(entry, readyLine, env = {}) {
      const container = await new GenericContainer(image.tag)
        .withNetwork(network)
        .withCommand(["node", entry])
        .withEnvironment({ REDIS_URL: "redis://redis:6379", ...env })
        .withWaitStrategy(Wait.forLogMessage(readyLine))
        .start();
      started.push(container);
      return container;
    },
    async close() {
      await Promise.all(started.map((container) => container.stop()));
      await redis.stop();
      await network.stop();
    },
  };
}
