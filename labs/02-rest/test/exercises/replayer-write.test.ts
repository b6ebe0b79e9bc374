// Checks of the exercise lab02.replayer-write (npm run exercises -- hint lab02.replayer-write).
import { GPS_RECORD_FIELDS, readTrack } from "@gps-workshop/shared";
import { connectRedis, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { freshKeys, replayOnce, writeTrack } from "../support/replayer-run.ts";

/** The records of a track as the replayer sends them: JSON, the fields in wire order. */
async function wireJson(track: string): Promise<string[]> {
  const records: string[] = [];
  for await (const record of readTrack(track)) records.push(JSON.stringify(record, GPS_RECORD_FIELDS));
  return records;
}

describe("the replayer's write", () => {
  test("writes the last record to gps_state as JSON, its 13 fields in wire order", async ({ redis }) => {
    const track = await writeTrack(4);
    const keys = freshKeys(redis);
    const client = await connectRedis(redis.url);

    const log = await replayOnce(redis, keys, track);

    expect(await client.get(keys.state), log()).toBe((await wireJson(track)).at(-1));
  });

  test("appends each record to gps_history as an entry record <json>, in order", async ({ redis }) => {
    const track = await writeTrack(4);
    const keys = freshKeys(redis);
    const client = await connectRedis(redis.url);

    const log = await replayOnce(redis, keys, track);

    const entries = (await client.xRange(keys.history, "-", "+")) ?? [];
    const expected = (await wireJson(track)).map((json) => ({ record: json }));
    expect(
      entries.map(({ message }) => message),
      log(),
    ).toEqual(expected);
  });

  test("trims gps_history to about HISTORY_LENGTH entries, the newest", async ({ redis }) => {
    const track = await writeTrack(4);
    const keys = freshKeys(redis);
    const client = await connectRedis(redis.url);
    // An earlier run left 1000 entries.
    const earlier = client.multi();
    for (let i = 0; i < 1000; i++) earlier.xAdd(keys.history, "*", { record: "{}" });
    await earlier.exec();

    const log = await replayOnce(redis, keys, track, { HISTORY_LENGTH: "200" });

    // MAXLEN ~ trims whole blocks of up to 100 entries: between 200 and 300 remain, the newest.
    const length = await client.xLen(keys.history);
    expect(length, log()).toBeGreaterThanOrEqual(200);
    expect(length, log()).toBeLessThan(300);
    const newest = await client.xRevRange(keys.history, "+", "-", { COUNT: 1 });
    expect(newest?.[0]?.message).toEqual({ record: (await wireJson(track)).at(-1) });
  });
});
