// Lab 02's replayer: replays a GPS track at its recorded pace (or faster) and writes each record to
// Redis, as the latest state and in the recent history. Run it with `npm run dev:replayer -w labs/02-rest`.
import { readEnv } from "@gps-workshop/service/config";
import { createRedisClient } from "@gps-workshop/service/redis";
import { checkTrack, ReplayLog, replayerEnv } from "@gps-workshop/service/replayer";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { GPS_RECORD_FIELDS, readTrack, replay } from "@gps-workshop/shared";
import { redisKeys } from "../redis-keys.ts";

const service = "replayer"; // in front of every log line
const config = readEnv(service, replayerEnv); // GPS_FILE, REPLAY_SPEED, REPLAY_LOOP, REDIS_URL…
const { GPS_FILE: file, REPLAY_SPEED: speed, REPLAY_LOOP: loop, REPLAY_FROM: from } = config;
const log = new ReplayLog(service, { file, rows: await checkTrack(service, file, from), speed, loop, from });
const keys = redisKeys(config.REDIS_KEY_PREFIX);
const redis = createRedisClient({ url: config.REDIS_URL, password: config.REDIS_PASSWORD_FILE, service });

/** Writes a record, its JSON in wire order, as the latest state and at the end of the recent history. */
async function write(json: string): Promise<void> {
  // #region solution lab02.replayer-write
  // One transaction: no reader sees a state the history lacks. MAXLEN ~: trimmed by whole blocks.
  const trim = { strategy: "MAXLEN", strategyModifier: "~", threshold: config.HISTORY_LENGTH } as const;
  await redis.multi().set(keys.state, json).xAdd(keys.history, "*", { record: json }, { TRIM: trim }).exec();
  // #endregion
}

async function replayTrack(signal: AbortSignal): Promise<void> {
  log.started();
  for await (const { record, row, pass } of replay(() => readTrack(file), { speed, loop, from, signal })) {
    log.due(row, pass);
    try {
      await write(JSON.stringify(record, GPS_RECORD_FIELDS)); // the fields in wire order
      log.written();
    } catch (error) {
      // Redis is down: the record is lost, the schedule is kept (the next one is due on time).
      log.notWritten(error);
    }
  }
  log.finished(signal.aborted);
  redis.destroy();
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
