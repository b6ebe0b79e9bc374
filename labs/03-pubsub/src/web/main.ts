import { logConnectionState, onShutdown } from "@gps-workshop/shared";
import { createClient } from "redis";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfig();
const log = (line: string) => console.error(line);

const redis = createClient({ url: config.REDIS_URL });
// Subscribing takes a connection for itself: the relay gets its own, with the same settings.
const subscriber = redis.duplicate();
// One line when a connection is lost and one when it is back, not one per reconnection attempt.
const connectionLines = (name: string) => ({
  down: (error: Error) => `web: ${name} unavailable (${String(error)}), retrying`,
  back: `web: ${name} is back`,
});
logConnectionState(redis, connectionLines("redis"), log);
logConnectionState(subscriber, connectionLines("redis subscriber"), log);

const web = createApp({
  redis,
  subscriber,
  keyPrefix: config.REDIS_KEY_PREFIX,
  heartbeatMs: config.HEARTBEAT_MS,
  snapshotLength: config.SNAPSHOT_LENGTH,
  maxQueueBytes: config.CLIENT_QUEUE_BYTES,
  dashboardLength: config.DASHBOARD_LENGTH,
  cacheTemplates: config.NODE_ENV === "production",
  log,
});
const server = web.app.listen(config.PORT, () => log(`web: listening on http://localhost:${config.PORT}`));
server.on("error", (error) => {
  log(`web: cannot listen on port ${config.PORT}: ${error.message}`);
  process.exit(1);
});

let closing = false;
onShutdown("web", async () => {
  closing = true;
  server.close();
  await web.close();
  // Event streams never end by themselves: close their sockets so the server can stop.
  server.closeAllConnections();
  redis.destroy();
  subscriber.destroy();
});

// Until Redis answers, the service is up (/healthz) but not ready (/readyz); node-redis keeps retrying.
try {
  await Promise.all([redis.connect(), subscriber.connect()]);
  await web.start();
  log("web: subscribed, relaying events");
} catch (error) {
  // A shutdown while connecting ends up here too, and that is no failure.
  if (!closing) {
    log(`web: cannot relay events: ${String(error)}`);
    process.exit(1);
  }
}
