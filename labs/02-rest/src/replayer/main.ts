// Lab 02's replayer: replays a GPS track at its recorded pace (or faster) and writes each record to
// Redis, as the latest state and in the recent history. Run it with `npm run dev:replayer -w labs/02-rest`.
import { readEnv } from "@gps-workshop/service/config";
import { createRedisClient } from "@gps-workshop/service/redis";
import { checkTrack, ReplayLog, replayerEnv } from "@gps-workshop/service/replayer";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { GPS_RECORD_FIELDS, type GpsRecord, readTrack, replay } from "@gps-workshop/shared";
import { HISTORY_FIELD, redisKeys } from "../redis-keys.ts";

const service = "replayer"; // in front of every log line
const config = readEnv(service, replayerEnv); // GPS_FILE, REPLAY_SPEED, REPLAY_LOOP, REDIS_URL…
const { GPS_FILE: file, REPLAY_SPEED: speed, REPLAY_LOOP: loop, REPLAY_FROM: from } = config;
const log = new ReplayLog(service, { file, rows: await checkTrack(service, file, from), speed, loop, from });
const keys = redisKeys(config.REDIS_KEY_PREFIX);
const redis = createRedisClient({ url: config.REDIS_URL, password: config.REDIS_PASSWORD_FILE, service });
const trim = { strategy: "MAXLEN", strategyModifier: "~", threshold: config.HISTORY_LENGTH } as const;
let due: GpsRecord | undefined; // the newest record that came due and is not written yet
let writing: Promise<void> | undefined; // writeDue(), while it runs

// One write at a time: a record that comes due meanwhile waits, and a newer one takes its place (the
// older is not written), so a slow Redis costs records, never time. One MULTI/EXEC per record: a reader
// never sees a state that the history lacks. MAXLEN ~ trims whole blocks: cheaper than an exact length.
async function writeDue(): Promise<void> {
  for (let record = due; record !== undefined; record = due) {
    due = undefined;
    const json = JSON.stringify(record, GPS_RECORD_FIELDS); // the fields in wire order
    await redis
      .multi()
      .set(keys.state, json)
      .xAdd(keys.history, "*", { [HISTORY_FIELD]: json }, { TRIM: trim })
      .exec()
      .then(log.written, log.notWritten);
  }
  writing = undefined;
}

async function replayTrack(signal: AbortSignal): Promise<void> {
  log.started();
  for await (const { record, row, pass } of replay(() => readTrack(file), { speed, loop, from, signal })) {
    log.due(row, pass);
    if (due !== undefined) log.notWritten(); // replaced before Redis was free to take it
    due = record;
    writing ??= writeDue();
  }
  await writing;
  log.finished(signal.aborted);
  redis.destroy();
}

const stop = new AbortController();
let replaying = Promise.resolve();
// SIGTERM, SIGINT: the replay ends at once, after its writes in flight; then the process exits 0.
onShutdown(service, () => {
  stop.abort();
  return replaying;
});
await redis.connect(); // resolves once Redis answers: node-redis retries until then
replaying = replayTrack(stop.signal); // until the last pass ends, or a signal
