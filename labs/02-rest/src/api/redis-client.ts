import { logConnectionState } from "@gps-workshop/shared";
import { createClient, ErrorReply } from "redis";
import { RedisUnavailableError } from "./errors.ts";

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * The API's one Redis client. It reconnects by itself with node-redis's default backoff
 * (exponential up to 2 s, with jitter), and while it is disconnected every command fails at once
 * (`disableOfflineQueue`): a request then gets a 503 in microseconds instead of hanging until
 * Redis is back. `log` receives one line when the connection is lost and one when it is back.
 */
export function createRedisClient(url: string, log: (line: string) => void = () => {}) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2000 } });
  const where = new URL(url).host;
  const lines = {
    down: (error: Error) => `redis: ${where} unavailable (${error.message}), reconnecting`,
    connected: `redis: connected to ${where}`,
  };
  logConnectionState(client, lines, log);
  return client;
}

/**
 * A second connection, not yet connected, for one blocking command loop: `XREAD BLOCK` holds its
 * connection until it returns. It does not reconnect (a computation that loses Redis fails), and
 * `destroy()` ends a blocked read at once.
 */
export function blockingConnection(redis: RedisClient): RedisClient {
  const blocking = redis.duplicate({ socket: { ...redis.options.socket, reconnectStrategy: false } });
  // Its errors also reject the pending command, which is where they are handled.
  blocking.on("error", () => {});
  return blocking;
}

/**
 * For `.catch()` after a Redis command: a failure that is not a reply from Redis (offline,
 * connection refused, socket closed) becomes a RedisUnavailableError; an error reply
 * (e.g. WRONGTYPE) is rethrown as it is.
 */
export function unavailable(error: unknown): never {
  if (error instanceof ErrorReply) throw error;
  throw new RedisUnavailableError(error);
}
