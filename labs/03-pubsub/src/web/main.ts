/**
 * `npm run dev:web -w labs/03-pubsub`, or the web container: reads its settings from the
 * environment, connects to Redis twice (a subscribed connection can run no other command), and
 * serves the page and the event streams on PORT.
 */
import { env, readEnv, redisEnv } from "@gps-workshop/service/config";
import { closeServer, serve } from "@gps-workshop/service/http";
import { createRedisClient } from "@gps-workshop/service/redis";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { createApp } from "./app.ts";

const config = readEnv("web", {
  PORT: env.port(8502),
  ...redisEnv,
  /** History entries a new client of /events gets. */
  SNAPSHOT_LENGTH: env.integer(300, 1, 3600),
  /** Milliseconds between two heartbeat comments on a quiet stream. */
  HEARTBEAT_MS: env.integer(15_000, 100, 3_600_000),
  /** Bytes that may wait for a client that stopped reading before it is cut off. */
  CLIENT_QUEUE_BYTES: env.integer(256 * 1024, 1024, 64 * 1024 * 1024),
  /** The newest records the page is drawn from (the history keeps about 3600). */
  DASHBOARD_LENGTH: env.integer(3600, 1, 36_000),
  /** "production" (the image) compiles each template once; otherwise an edited one shows on reload. */
  NODE_ENV: env.string("development"),
});
const connection = { url: config.REDIS_URL, password: config.REDIS_PASSWORD_FILE };
const redis = createRedisClient({ ...connection, service: "web" });
const subscriber = createRedisClient({ ...connection, service: "web (subscription)" });

const web = createApp({
  redis,
  subscriber,
  keyPrefix: config.REDIS_KEY_PREFIX,
  snapshotLength: config.SNAPSHOT_LENGTH,
  dashboardLength: config.DASHBOARD_LENGTH,
  maxQueueBytes: config.CLIENT_QUEUE_BYTES,
  heartbeatMs: config.HEARTBEAT_MS,
  cacheTemplates: config.NODE_ENV === "production",
});
const server = serve(web.app, "web", config.PORT);
onShutdown("web", async () => {
  // Event streams never end by themselves: end them, so that the server can close.
  web.close();
  await closeServer(server);
  redis.destroy();
  subscriber.destroy();
});

// Until Redis answers, the web is alive (/healthz) but not ready (/readyz); node-redis keeps trying.
try {
  await Promise.all([redis.connect(), subscriber.connect()]);
  await web.start();
  console.error("web: subscribed, relaying events");
} catch (error) {
  // Stopped while connecting: onShutdown is already exiting.
  if (subscriber.isOpen) throw error;
}
