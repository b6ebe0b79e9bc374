import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectRedis, startNodeProcess, startRedisServer, test } from "@gps-workshop/shared/testing";
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

const timestampOf = (json: string) => (JSON.parse(json) as { timestamp: number }).timestamp;

describe("the lab 03 replayer", () => {
  test("publishes every record in order, storing state and history in the same transaction", async ({
    redis,
  }) => {
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

    expect(messages.map((message) => timestampOf(message) - FIRST)).toEqual(
      Array.from({ length: 12 }, (_, i) => i * 5),
    );
    // The bare record: the 13 fields in wire order, null for the readings the track lacks.
    expect(Object.keys(JSON.parse(messages[0] ?? ""))).toEqual([
      "timestamp",
      "latitude",
      "longitude",
      "elevation",
      "accuracy",
      "bearing",
      "speed_meters_per_second",
      "satellites",
      "hdop",
      "vdop",
      "pdop",
      "distance_meters",
      "elapsed_time_seconds",
    ]);
    const client = await connectRedis(redis.url);
    expect(await client.get(keys.state)).toBe(messages.at(-1));
    const history = (await client.xRange(keys.history, "-", "+")) ?? [];
    expect(history.map((entry) => entry.message.record)).toEqual(messages);

    // On the wire, for each record: MULTI, SET, XADD with MAXLEN ~, PUBLISH, EXEC.
    // MONITOR quotes each argument, escaping its double quotes as JSON.stringify does.
    const set = `"SET" "${keys.state}" ${JSON.stringify(messages[3])}`;
    const at = commands.findIndex((line) => line.includes(set));
    expect(at).toBeGreaterThan(0);
    const transaction = commands.slice(at - 1, at + 4).map((line) => /\] "(\w+)"/.exec(line)?.[1]);
    expect(transaction).toEqual(["MULTI", "SET", "XADD", "PUBLISH", "EXEC"]);
    expect(commands[at + 1]).toContain(`"XADD" "${keys.history}" "MAXLEN" "~" "500" "*" "record"`);
    expect(commands[at + 2]).toContain(`"PUBLISH" "${keys.channel}"`);
  });

  test("survives a Redis restart: says so once, then publishes again on schedule", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const keys = redisKeys();
    const replayer = startReplayer({
      REDIS_URL: server.url,
      GPS_FILE: await writeTrack(50, 1),
      REPLAY_SPEED: "10",
    });
    await replayer.waitForStderr("replayer: replaying");
    const before = await subscribe(server.url, keys.channel);
    await vi.waitFor(() => expect(before.length).toBeGreaterThan(2), { timeout: 5_000 });

    await server.stop();
    await replayer.waitForStderr("replayer: redis down (");
    const lastBefore = timestampOf(before.at(-1) ?? "");
    await server.start();
    await replayer.waitForStderr("replayer: redis up again after");
    const after = await subscribe(server.url, keys.channel);
    await vi.waitFor(() => expect(after.length).toBeGreaterThan(2), { timeout: 5_000 });

    // The replay kept its schedule: it went on from where the clock says, not where it stopped.
    const timestamps = after.map(timestampOf);
    expect(timestamps[0]).toBeGreaterThan(lastBefore + 5);
    expect(timestamps).toEqual(timestamps.toSorted((a, b) => a - b));
    expect(replayer.child.exitCode).toBeNull();
    expect(replayer.stderrLines().filter((line) => line.includes("redis down"))).toHaveLength(1);
  });
});
