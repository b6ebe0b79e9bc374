/**
 * The one Redis client of a service process. node-redis reconnects by itself (backoff doubling
 * from 50 ms up to 2 s, with jitter), and while it is disconnected every command fails at once
 * (`disableOfflineQueue`): an HTTP request then gets its 503 in microseconds instead of hanging,
 * and a replayer counts the record as not written instead of sending it minutes late.
 */
import { createClient } from "redis";

export interface RedisClientOptions {
  url: string;
  /** From REDIS_PASSWORD_FILE (a Docker secret), when Redis requires one. */
  password?: string | undefined;
  /** The service's name, in front of its log lines. */
  service: string;
  log?: (line: string) => void;
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * Logs one line when the connection is lost (or cannot be made) and one when it is ready again,
 * however many reconnection attempts come in between. Without an "error" listener, the first lost
 * connection would crash the process.
 */
export function createRedisClient({ url, password, service, log = console.error }: RedisClientOptions) {
  const client = createClient({ url, password, disableOfflineQueue: true, socket: { connectTimeout: 2000 } });
  const where = new URL(url).host;
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log(`${service}: cannot reach redis at ${where} (${error.message}), reconnecting`);
  });
  client.on("ready", () => {
    log(`${service}: ${down ? "reconnected" : "connected"} to redis at ${where}`);
    down = false;
  });
  return client;
}
