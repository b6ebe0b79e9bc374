/**
 * Lab 02's replayer: replays a GPS track into Redis at its recorded pace (or faster), each record
 * as the latest state (`gps_state`) and an entry of the recent history (`gps_history`).
 * `npm run dev:replayer -w labs/02-rest`; its settings are listed below.
 */
import { readReplayerConfig, serveReplay } from "@gps-workshop/shared";
import { redisKeys } from "../redis-keys.ts";
import { createRedisClient } from "./redis-client.ts";
import { writeRecord } from "./write-record.ts";

// Settings: GPS_FILE, REPLAY_SPEED, REPLAY_LOOP, REPLAY_FROM, REDIS_URL, REDIS_KEY_PREFIX, HISTORY_LENGTH.
const config = readReplayerConfig();
const redis = createRedisClient(config.redisUrl, (line) => console.error(line));
const store = { redis, keys: redisKeys(config.keyPrefix), historyLength: config.historyLength };

await serveReplay({
  service: "replayer",
  settings: config.replay,
  target: "redis",
  // Resolves once Redis answers: node-redis keeps retrying until then.
  connect: () => redis.connect(),
  write: (record) => writeRecord(store, record),
  close: () => redis.destroy(),
});
