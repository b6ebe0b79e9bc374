import { connectRedis, startRedisServer } from "@gps-workshop/shared/testing";
import type { RedisClientType } from "redis";
import { expect, onTestFinished, test } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import { idOf, recordAt, replayRecord } from "./support/records.ts";
import { openSse } from "./support/sse-client.ts";
import { startWeb } from "./support/web.ts";

/** How many bytes this Redis has sent to its clients since it started. */
async function redisOutputBytes(client: RedisClientType): Promise<number> {
  const info = await client.info("stats");
  return Number(/^total_net_output_bytes:(\d+)/m.exec(info)?.[1]);
}

test("serves a crowd of browsers that connect at once from one read of the history", async () => {
  // A Redis of its own: the test counts every byte it sends.
  const server = await startRedisServer();
  onTestFinished(() => server.close());
  const web = await startWeb(server.url, {});
  const writer = await connectRedis(server.url);
  const records = Array.from({ length: 300 }, (_, i) => recordAt(1_700_000_000 + i));
  for (const record of records) await replayRecord(writer, redisKeys(), record);
  const snapshotBytes = records.reduce((total, record) => total + JSON.stringify(record).length, 0);

  const before = await redisOutputBytes(writer);
  const clients = await Promise.all(Array.from({ length: 100 }, () => openSse(`${web.url}/events`)));
  onTestFinished(() => {
    for (const client of clients) client.close();
  });
  for (const client of clients) {
    await client.untilGpsEvents(300);
    expect(client.gpsEvents.map((event) => event.id)).toEqual(records.map(idOf));
  }
  const sent = (await redisOutputBytes(writer)) - before;
  // One read per browser would be 100 snapshots; shared reads cost a few.
  expect(sent).toBeLessThan(5 * snapshotBytes);
});
