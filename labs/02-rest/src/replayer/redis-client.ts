import { logConnectionState } from "@gps-workshop/shared";
import { createClient } from "redis";

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * The replayer's one Redis client. node-redis reconnects by itself (backoff up to 2 s). While it
 * is disconnected, commands fail at once instead of queueing (`disableOfflineQueue`): a record
 * held back until Redis returns would be out of date by then, and the replay counts and reports
 * the records it could not write. `log` gets one line when the connection is lost (or cannot be
 * made) and one when it is back, however many reconnection attempts there are in between.
 */
export function createRedisClient(url: string, log: (line: string) => void) {
  const client = createClient({ url, disableOfflineQueue: true });
  const where = new URL(url).host;
  const lines = {
    down: (error: Error) => `replayer: cannot reach redis at ${where} (${error.message}), retrying`,
    connected: `replayer: connected to redis at ${where}`,
  };
  logConnectionState(client, lines, log);
  return client;
}
