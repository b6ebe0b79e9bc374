// Lab 03's replayer: replays a GPS track at its recorded pace (or faster), stores each record in Redis
// and publishes it on the `gps_state` channel. Run it with `npm run dev:replayer -w labs/03-pubsub`.
import { readEnv } from "@gps-workshop/service/config";
import { createRedisClient } from "@gps-workshop/service/redis";
import { checkTrack, ReplayLog, replayerEnv } from "@gps-workshop/service/replayer";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { GPS_RECORD_FIELDS, type GpsRecord, readTrack, replay } from "@gps-workshop/shared";
import { redisKeys } from "../redis-keys.ts";

const service = "replayer"; // in front of every log line
const config = readEnv(service, replayerEnv); // GPS_FILE, REPLAY_SPEED, REPLAY_LOOP, REDIS_URL…
const { GPS_FILE: file, REPLAY_SPEED: speed, REPLAY_LOOP: loop, REPLAY_FROM: from } = config;
const log = new ReplayLog(service, { file, rows: await checkTrack(service, file, from), speed, loop, from });
const keys = redisKeys(config.REDIS_KEY_PREFIX);
const redis = createRedisClient({ url: config.REDIS_URL, password: config.REDIS_PASSWORD_FILE, service });
const trim = { strategy: "MAXLEN", strategyModifier: "~", threshold: config.HISTORY_LENGTH } as const;

async function replayTrack(signal: AbortSignal): Promise<void> {
  log.started();
  for await (const { record, row, pass } of replay(() => readTrack(file), { speed, loop, from, signal })) {
    log.due(row, pass);
    const json = JSON.stringify(record, GPS_RECORD_FIELDS); // the fields in wire order
    try {
      // One transaction: no reader sees a state the history lacks. MAXLEN ~: trimmed by whole blocks.
      const replies = await redis
        .multi()
        .set(keys.state, json)
        .xAdd(keys.history, "*", { record: json }, { TRIM: trim })
        .exec();
      await publish(replies, record);
      log.written();
    } catch (error) {
      // Redis is down: the record is lost, the schedule is kept (the next one is due on time).
      log.notWritten(error);
    }
  }
  log.finished(signal.aborted);
  redis.destroy();
}

// Then to whoever listens right now: `{"id":"<history entry id>","record":{…}}` on the channel.
// `replies` are the transaction's, in order: SET's "OK", then the id XADD gave the entry.
async function publish(replies: unknown[], record: GpsRecord): Promise<void> {
  // #region solution lab03.replayer-publish
  // The id only ever grows, so a browser that reconnects can say where it was.
  const [, id] = replies;
  const fields = ["id", "record", ...GPS_RECORD_FIELDS]; // in this order, the record's in wire order
  await redis.publish(keys.channel, JSON.stringify({ id, record }, fields));
  // #endregion
}

const stop = new AbortController();
let replaying = Promise.resolve();
// SIGTERM, SIGINT: the replay ends at once, after its write in flight; then the process exits 0.
onShutdown(service, () => {
  stop.abort();
  return replaying;
});
await redis.connect(); // resolves once Redis answers: node-redis retries until then
replaying = replayTrack(stop.signal); // until the last pass ends, or a signal
