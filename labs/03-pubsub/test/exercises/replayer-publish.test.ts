import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { connectRedis, startNodeProcess, type TestRedis, test } from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished, vi } from "vitest";
import { redisKeys } from "../../src/redis-keys.ts";
import { logTail } from "./support.ts";

// lab03.replayer-publish: the replayer runs as `npm run dev:replayer` runs it, on a short track, and
// a plain subscriber listens on gps_state meanwhile.

const REPLAYER = path.resolve(import.meta.dirname, "../../src/replayer/main.ts");
const ROWS = 8;

/** Plays a track of ROWS rows once, fast; resolves with the messages and the history entries. */
async function replayOnce(redis: TestRedis) {
  const prefix = `${redis.prefix}${randomUUID()}:`;
  const keys = redisKeys(prefix);
  const file = path.join(tmpdir(), `lab03-publish-${randomUUID()}.csv`);
  const rows = Array.from({ length: ROWS }, (_, i) => `${1_773_504_000 + i},${37.87 + i / 10_000},-122.26`);
  await writeFile(file, `timestamp,latitude,longitude\n${rows.join("\n")}\n`);
  onTestFinished(() => rm(file, { force: true }));
  const messages: string[] = [];
  await (await connectRedis(redis.url)).subscribe(keys.channel, (message) => messages.push(message));

  const replayer = startNodeProcess(REPLAYER, {
    env: {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: file,
      REPLAY_SPEED: "100",
      REPLAY_LOOP: "false",
    },
  });
  expect(await replayer.exited, logTail("replayer", replayer.stderr())).toEqual({ code: 0, signal: null });
  const client = await connectRedis(redis.url);
  const history = (await client.xRange(keys.history, "-", "+")) ?? [];
  expect(history, "the history's entries").toHaveLength(ROWS);
  await vi.waitFor(
    () =>
      expect(messages.length, `messages on ${keys.channel}. ${logTail("replayer", replayer.stderr())}`).toBe(
        ROWS,
      ),
    { timeout: 2000 },
  );
  return { messages, history };
}

describe("lab03.replayer-publish", () => {
  test("publishes each record it stores on gps_state, with the id of its history entry", async ({
    redis,
  }) => {
    const { messages, history } = await replayOnce(redis);

    const parsed = messages.map((message) => JSON.parse(message) as { id: unknown; record: unknown });
    expect(parsed.map(({ id }) => id)).toEqual(history.map(({ id }) => id));
    expect(parsed.map(({ record }) => record)).toEqual(
      history.map(({ message }) => JSON.parse(message.record ?? "")),
    );
  });

  test('sends {"id","record"} in this order, the record\'s 13 fields in wire order, as stored', async ({
    redis,
  }) => {
    const { messages, history } = await replayOnce(redis);

    const [first] = messages.map((message) => JSON.parse(message) as { record: object });
    expect(Object.keys(first ?? {})).toEqual(["id", "record"]);
    expect(Object.keys(first?.record ?? {})).toEqual(GPS_RECORD_FIELDS);
    // Byte for byte: the record's JSON as the history holds it.
    expect(messages).toEqual(history.map(({ id, message }) => `{"id":"${id}","record":${message.record}}`));
  });
});
