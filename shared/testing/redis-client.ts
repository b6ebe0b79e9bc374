import { createClient, type RedisClientType } from "redis";
import { onTestFinished } from "vitest";

/**
 * A plain node-redis client connected to `url`, as any other program would use, for a test to
 * write, publish or look with; closed when the test finishes.
 */
export async function connectRedis(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url });
  // Errors reject the command that met them; without a listener, a lost connection would crash.
  client.on("error", () => {});
  await client.connect();
  onTestFinished(() => client.destroy());
  return client;
}
