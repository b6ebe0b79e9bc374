/**
 * Lab 03's last exercise: a service of your own on the message bus, the speed alerts. It subscribes
 * to gps_state and publishes on a channel of its own, gps_alerts, one event each time the speed
 * crosses SPEED_LIMIT_KMH (25 km/h by default): one per crossing, not one per record.
 *   {"type":"speeding","speed_kmh":30.6,"limit_kmh":25,"record_id":"1795683859003-0","timestamp":1773504023}
 *   {"type":"back-under-limit","speed_kmh":19.8,"limit_kmh":25,"record_id":"1795683862003-0","timestamp":1773504026}
 * Above the limit is faster than it. The service starts under the limit; a message without a
 * speed changes nothing. The web relays each event to /events (`event: alert`) and to the page's
 * Alerts panel. Run it: `npm run dev:alerts -w labs/03-pubsub`, or its service of
 * docker-compose-pubsub.yml; watch its channel:
 *   docker compose -f docker-compose-pubsub.yml exec redis redis-cli SUBSCRIBE gps_alerts
 */
import { env, readEnv, redisEnv } from "@gps-workshop/service/config";
import { createRedisClient } from "@gps-workshop/service/redis";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { redisKeys } from "../redis-keys.ts";

const service = "alerts";
const config = readEnv(service, { ...redisEnv, SPEED_LIMIT_KMH: env.number(25, 0, 1000) });
const keys = redisKeys(config.REDIS_KEY_PREFIX);
const limit = config.SPEED_LIMIT_KMH;
const connection = { url: config.REDIS_URL, password: config.REDIS_PASSWORD_FILE };
// A subscribed connection can run no other command: one connection listens, the other publishes.
const subscriber = createRedisClient({ ...connection, service: `${service} (subscription)` });
const publisher = createRedisClient({ ...connection, service });
onShutdown(service, () => {
  subscriber.destroy();
  publisher.destroy();
});

/** Subscribes to `keys.channel`; publishes on `keys.alerts` each time the speed crosses `limit`. */
async function watchSpeed(): Promise<void> {
  // #region solution lab03.capstone
  // The only state: which side of the limit the last speed was on.
  let speeding = false;
  await subscriber.subscribe(keys.channel, (text) => {
    // {"id":"<history entry id>","record":{…}}: a message is text, parsed with care; a listener
    // that threw would make node-redis drop the connection.
    let message: { id?: unknown; record?: Record<string, unknown> } | null;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const speed = message?.record?.speed_meters_per_second;
    if (typeof speed !== "number") return;
    const speedKmh = speed * 3.6;
    if (speedKmh > limit === speeding) return; // on the same side as before: no news
    speeding = !speeding;
    const alert = {
      type: speeding ? "speeding" : "back-under-limit",
      speed_kmh: Math.round(speedKmh * 10) / 10,
      limit_kmh: limit,
      record_id: message?.id,
      timestamp: message?.record?.timestamp,
    };
    // Lost if Redis is down, like the record it came from: pub/sub delivers at most once.
    publisher.publish(keys.alerts, JSON.stringify(alert)).catch((error: Error) => {
      console.error(`${service}: could not publish an alert: ${error.message}`);
    });
  });
  // #endregion
}

try {
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await watchSpeed();
  console.error(`${service}: speeds above ${limit} km/h on ${keys.channel} → ${keys.alerts}`);
} catch (error) {
  // Stopped while connecting: onShutdown is already exiting.
  if (subscriber.isOpen) throw error;
}
