import { randomUUID } from "node:crypto";
import path from "node:path";
import { connectRedis, startNodeProcess, startRedisServer, test } from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished, vi } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";

const SUBSCRIBER = path.resolve(import.meta.dirname, "../src/subscriber/main.ts");

/** Runs the subscriber as `npm run subscribe` does: `node src/subscriber/main.ts [args]`. */
const startSubscriber = (args: string[], env: Record<string, string> = {}) =>
  startNodeProcess(SUBSCRIBER, { args, env });

const RECORD = {
  timestamp: 1_773_504_000,
  latitude: 37.87,
  longitude: -122.26,
  elevation: null,
  accuracy: 4,
  bearing: null,
  speed_meters_per_second: 3.2,
  satellites: 9,
  hdop: null,
  vdop: null,
  pdop: null,
  distance_meters: 3.1,
  elapsed_time_seconds: 1,
};

describe("the subscriber", () => {
  test("prints the record of each message published on gps_state on its own line, and exits 0 on Ctrl-C", async ({
    redis,
  }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const channel = redisKeys(prefix).channel;
    const subscriber = startSubscriber([], { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    await subscriber.waitForStderr(`subscriber: listening on channel ${channel}`);

    const client = await connectRedis(redis.url);
    const records = [RECORD, { ...RECORD, timestamp: RECORD.timestamp + 1 }];
    await client.publish(channel, JSON.stringify({ id: "1773504000000-0", record: records[0] }));
    // Typed by hand, a message may have no id.
    await client.publish(channel, JSON.stringify({ record: records[1] }));
    await client.publish(`${prefix}another_channel`, "not for us");
    await vi.waitFor(() =>
      expect(subscriber.stdout()).toBe(`${records.map((record) => JSON.stringify(record)).join("\n")}\n`),
    );

    subscriber.child.kill("SIGINT");
    expect(await subscriber.exited).toEqual({ code: 0, signal: null });
  });

  test("indents the record with --pretty, and prints a message of another form as it came", async ({
    redis,
  }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const channel = redisKeys(prefix).channel;
    const subscriber = startSubscriber(["--pretty"], { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    await subscriber.waitForStderr("subscriber: listening on channel");

    const client = await connectRedis(redis.url);
    await client.publish(channel, JSON.stringify({ id: "1773504000000-0", record: RECORD }));
    await client.publish(channel, "hello");
    await client.publish(channel, JSON.stringify(RECORD));

    await vi.waitFor(() =>
      expect(subscriber.stdout()).toBe(
        `${JSON.stringify(RECORD, null, 2)}\nhello\n${JSON.stringify(RECORD)}\n`,
      ),
    );
    expect(subscriber.stdout()).toContain('\n  "latitude": 37.87,\n');
  });

  test("says when Redis cannot be reached, keeps trying, and subscribes once it can", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    await server.stop();
    const subscriber = startSubscriber([], { REDIS_URL: server.url });
    const host = new URL(server.url).host;
    await subscriber.waitForStderr(`subscriber: cannot reach redis at ${host} (`);

    await server.start();
    await subscriber.waitForStderr("subscriber: listening on channel gps_state");
    const client = await connectRedis(server.url);
    await client.publish("gps_state", "{}");

    await vi.waitFor(() => expect(subscriber.stdout()).toBe("{}\n"));
    expect(subscriber.stderr().match(/cannot reach redis/g)).toHaveLength(1);
  });

  test("prints its usage with --help and exits 0", async () => {
    const subscriber = startSubscriber(["--help"]);

    expect(await subscriber.exited).toEqual({ code: 0, signal: null });
    expect(subscriber.stdout()).toMatch(/^Usage: npm run subscribe -w labs\/03-pubsub/);
    expect(subscriber.stdout()).toContain("--pretty");
    expect(subscriber.stderr()).toBe("");
  });

  test.each([
    [["--bogus"], "subscriber: Unknown option '--bogus' (see --help)"],
    [["extra"], "subscriber: Unexpected argument 'extra' (see --help)"],
    [["--pretty=yes"], "subscriber: Option '--pretty' does not take an argument (see --help)"],
  ])("exits 2 with one line for the bad command line %j", async (args, line) => {
    const subscriber = startSubscriber(args);

    expect(await subscriber.exited).toEqual({ code: 2, signal: null });
    expect(subscriber.stderr()).toBe(`${line}\n`);
    expect(subscriber.stdout()).toBe("");
  });

  test("exits 2 with one line naming a bad REDIS_URL", async () => {
    const subscriber = startSubscriber([], { REDIS_URL: "http://localhost:6379" });

    expect(await subscriber.exited).toEqual({ code: 2, signal: null });
    expect(subscriber.stderr()).toMatch(/^subscriber: bad configuration: REDIS_URL: [^\n]+\n$/);
  });
});
