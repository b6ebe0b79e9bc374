/**
 * Lab 03's replayer: replays a GPS track at its recorded pace (or faster) and publishes each
 * record on the `gps_state` channel, also keeping the latest state and the recent history.
 * `npm run dev:replayer -w labs/03-pubsub`; its settings are listed below.
 */
import { readReplayerConfig, serveReplay } from "@gps-workshop/shared";
import { redisKeys } from "../redis-keys.ts";
import { publishRecord } from "./publish-record.ts";
import { createRedisClient } from "./redis-client.ts";

// Settings: GPS_FILE, REPLAY_SPEED, REPLAY_LOOP, REPLAY_FROM, REDIS_URL, REDIS_KEY_PREFIX, HISTORY_LENGTH.
const config = readReplayerConfig();
const redis = createRedisClient(config.redisUrl, (line) => console.error(line));
const channel = { redis, keys: redisKeys(config.keyPrefix), historyLength: config.historyLength };

await serveReplay({
  service: "replayer",
  settings: config.replay,
  target: "redis",
  // Resolves once Redis answers: node-redis keeps retrying until then.
  connect: () => redis.connect(),
  write: (record) => publishRecord(channel, record),
  close: () => redis.destroy(),
});
