import type { RedisClientType } from "redis";

/**
 * Logs a Redis connection's ups and downs, one line each: node-redis emits an `error` on every
 * failed reconnection attempt, which would otherwise print a line every two seconds of an outage.
 * Listening to `error` also keeps node-redis from throwing it, which would crash the process.
 */
export function logConnection(client: RedisClientType, name: string, log: (line: string) => void): void {
  let down = false;
  client
    .on("error", (error: unknown) => {
      if (down) return;
      down = true;
      log(`web: ${name} unavailable (${String(error)}), retrying`);
    })
    .on("ready", () => {
      if (down) log(`web: ${name} is back`);
      down = false;
    });
}
