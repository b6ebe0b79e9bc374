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

export interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

/**
 * Follows a stream as its readers do, `XREAD BLOCK` from the last entry seen, through Redis
 * outages and restarts: the entries added so far, in order, as they arrive. A restarted Redis that
 * lost the stream is followed on, from the same last id. Stops when the test finishes.
 */
export async function followStream(url: string, key: string): Promise<StreamEntry[]> {
  const client: RedisClientType = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  const entries: StreamEntry[] = [];
  let following = true;
  onTestFinished(() => {
    following = false;
    client.destroy();
  });
  void (async () => {
    while (following) {
      const last = entries.at(-1)?.id ?? "0";
      try {
        const reply = await client.xRead({ key, id: last }, { BLOCK: 1000 });
        for (const stream of reply ?? []) entries.push(...stream.messages);
      } catch {
        // The connection was lost: node-redis reconnects, and holds the next XREAD until then.
      }
    }
  })();
  return entries;
}
