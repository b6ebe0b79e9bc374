import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GPS_RECORD_FIELDS, GpsRecordSchema } from "@gps-workshop/shared";
import {
  connectRedis,
  followStream,
  type StreamEntry,
  startNodeProcess,
  startRedisServer,
  test,
} from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, onTestFinished, vi } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";

const FIRST = 1_773_504_000;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "replayer-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A course CSV with one row every `step` seconds, moving north 0.0001° a row. */
async function writeTrack(rows: number, step: number): Promise<string> {
  const lines = Array.from(
    { length: rows },
    (_, i) => `${FIRST + i * step},${(37.87 + i * 0.0001).toFixed(4)},-122.26`,
  );
  const file = path.join(dir, `${randomUUID()}.csv`);
  await writeFile(file, `timestamp,latitude,longitude\n${lines.join("\n")}\n`);
  return file;
}

const REPLAYER = path.resolve(import.meta.dirname, "../src/replayer/main.ts");

/** Runs `node src/replayer/main.ts` as students and containers do, configured by `env` alone. */
const startReplayer = (env: Record<string, string>) => startNodeProcess(REPLAYER, { env });

/** A plain SUBSCRIBE client, as any subscriber would use: the messages it received so far. */
async function subscribe(url: string, channel: string): Promise<string[]> {
  const messages: string[] = [];
  const subscriber = await connectRedis(url);
  await subscriber.subscribe(channel, (message) => messages.push(message));
  return messages;
}

const timestampOf = (entry: StreamEntry) =>
  GpsRecordSchema.parse(JSON.parse(entry.message.record ?? "")).timestamp;

describe("the lab 03 replayer", () => {
  test("stores each record, then publishes it with the id of its history entry", async ({ redis }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const keys = redisKeys(prefix);
    const messages = await subscribe(redis.url, keys.channel);
    const monitor = await connectRedis(redis.url);
    const commands: string[] = [];
    await monitor.monitor((line) => commands.push(line));

    // Recorded 5 s apart: at 50× one record every 100 ms.
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: await writeTrack(12, 5),
      REPLAY_SPEED: "50",
      REPLAY_LOOP: "false",
      HISTORY_LENGTH: "500",
    });
    expect(await replayer.exited).toEqual({ code: 0, signal: null });
    await vi.waitFor(() => expect(messages).toHaveLength(12));

    // {"id":"<entry id>","record":{…}}: the id first, the record's 13 fields in wire order.
    const parsed = messages.map((message) => JSON.parse(message) as { id: string; record: object });
    for (const message of parsed) {
      expect(Object.keys(message)).toEqual(["id", "record"]);
      expect(Object.keys(message.record)).toEqual(GPS_RECORD_FIELDS);
    }
    expect(parsed.map(({ record }) => GpsRecordSchema.parse(record).timestamp - FIRST)).toEqual(
      Array.from({ length: 12 }, (_, i) => i * 5),
    );
    // The same record, under the same id, as the history's entries; the state is the last one.
    const client = await connectRedis(redis.url);
    const history = (await client.xRange(keys.history, "-", "+")) ?? [];
    expect(history.map(({ id, message }) => `{"id":"${id}","record":${message.record}}`)).toEqual(messages);
    expect(await client.get(keys.state)).toBe(history.at(-1)?.message.record);

    // On the wire, for each record: MULTI, SET, XADD with MAXLEN ~, EXEC, then PUBLISH.
    // MONITOR quotes each argument, escaping its double quotes as JSON.stringify does.
    const set = `"SET" "${keys.state}" ${JSON.stringify(history[3]?.message.record)}`;
    const at = commands.findIndex((line) => line.includes(set));
    expect(at).toBeGreaterThan(0);
    const sequence = commands.slice(at - 1, at + 4).map((line) => /\] "(\w+)"/.exec(line)?.[1]);
    expect(sequence).toEqual(["MULTI", "SET", "XADD", "EXEC", "PUBLISH"]);
    expect(commands[at + 1]).toContain(`"XADD" "${keys.history}" "MAXLEN" "~" "500" "*" "record"`);
    expect(commands[at + 3]).toContain(`"PUBLISH" "${keys.channel}" ${JSON.stringify(messages[3])}`);
  });

  test("on SIGTERM, finishes its write in flight, says what it wrote, and exits 0", async ({ redis }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const keys = redisKeys(prefix);
    const messages = await subscribe(redis.url, keys.channel);
    const replayer = startReplayer({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      GPS_FILE: await writeTrack(100, 1),
      REPLAY_SPEED: "20",
    });
    await replayer.waitForStderr("replayer: first record written to redis");

    replayer.child.kill("SIGTERM");

    expect(await replayer.exited).toEqual({ code: 0, signal: null });
    const client = await connectRedis(redis.url);
    const length = await client.xLen(keys.history);
    expect(replayer.stderrLines().slice(-2)).toEqual([
      "replayer: SIGTERM received, shutting down",
      `replayer: stopped: ${length} record${length === 1 ? "" : "s"} in 1 pass, ${length} written to redis, 0 not written`,
    ]);
    await vi.waitFor(() => expect(messages).toHaveLength(length));
  });
});

describe("the lab 03 replayer during a Redis outage", () => {
  test("publishes again on schedule after a restart, and counts exactly the records it could not write", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const keys = redisKeys();
    const history = await followStream(server.url, keys.history);
    // One row a second at 10×: a record every 100 ms.
    const replayer = startReplayer({
      REDIS_URL: server.url,
      GPS_FILE: await writeTrack(3000, 1),
      REPLAY_SPEED: "10",
    });
    const before = await subscribe(server.url, keys.channel);
    await vi.waitFor(() => expect(before.length).toBeGreaterThan(5), { timeout: 10_000 });

    // Frozen, Redis leaves the write in flight unanswered while 15 more records come due (the
    // length of this first part of the outage); then it stops, and the write fails.
    await server.pause();
    await sleep(1500);
    await server.stop();
    const lastBefore = before.at(-1) ?? "";
    await replayer.waitForStderr("replayer: redis down (");
    await server.start();
    const up = await replayer.waitForStderr("replayer: redis up again after");
    const after = await subscribe(server.url, keys.channel);
    await vi.waitFor(() => expect(after.length).toBeGreaterThan(5), { timeout: 5_000 });
    replayer.child.kill("SIGTERM");
    expect(await replayer.exited).toEqual({ code: 0, signal: null });
    const [, written, notWritten] =
      /, (\d+) written to redis, (\d+) not written$/.exec(replayer.stderr().trim()) ?? [];
    await vi.waitFor(() => expect(history).toHaveLength(Number(written)));

    // It went on from where the schedule says, not where it stopped: the timestamps after the
    // outage are ahead; and the ids of the restarted Redis's entries are above those before.
    const timestamps = history.map(timestampOf);
    expect(timestamps).toEqual(timestamps.toSorted((a, b) => a - b));
    const idOf = (message: string) => (JSON.parse(message) as { id: string }).id;
    expect(Number(idOf(after[0] ?? "").split("-")[0])).toBeGreaterThan(
      Number(idOf(lastBefore).split("-")[0]),
    );
    // What it said matches what a reader of the history saw: the records missing across the
    // outage are the number in the "up again" line, and all those missing, its last line's.
    const gaps = timestamps.flatMap((t, i) => {
      const gap = i > 0 ? t - (timestamps[i - 1] ?? 0) - 1 : 0;
      return gap > 0 ? [gap] : [];
    });
    const meanwhile = Number(/: (\d+) records? (?:was|were) not written meanwhile$/.exec(up)?.[1]);
    expect(Math.max(...gaps)).toBe(meanwhile);
    expect(gaps.reduce((sum, gap) => sum + gap, 0)).toBe(Number(notWritten));
    expect(replayer.stderrLines().filter((line) => line.includes("redis down ("))).toHaveLength(1);
  });
});
