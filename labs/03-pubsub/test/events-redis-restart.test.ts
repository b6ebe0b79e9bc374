import { connectRedis, startRedisServer } from "@gps-workshop/shared/testing";
import { expect, onTestFinished, test } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import { idOf, recordAt } from "./support/records.ts";
import { openSse, type SseClient } from "./support/sse-client.ts";
import { getJson, startWeb } from "./support/web.ts";

const T0 = 1_700_000_000;
const RECONNECTING = JSON.stringify({ redis: "reconnecting" });
const CONNECTED = JSON.stringify({ redis: "connected" });

test("keeps browsers connected through a Redis restart, tells them, and streams again after it", async () => {
  const server = await startRedisServer();
  onTestFinished(() => server.close());
  const web = await startWeb(server.url, { heartbeatMs: 100 });
  const { channel } = redisKeys();
  const clients: SseClient[] = await Promise.all([1, 2, 3].map(() => openSse(`${web.url}/events`)));
  onTestFinished(() => {
    for (const client of clients) client.close();
  });
  const before = await connectRedis(server.url);
  await before.publish(channel, JSON.stringify(recordAt(T0)));
  for (const client of clients) await client.untilGpsEvents(1);

  await server.stop();
  for (const client of clients)
    await client.until(() => client.statuses.includes(RECONNECTING), "reconnecting");
  const notReady = await getJson(`${web.url}/readyz`);
  expect(notReady).toMatchObject({ status: 503, type: "application/problem+json; charset=utf-8" });
  // Heartbeats go on during the outage.
  const first = clients[0] as SseClient;
  const seen = first.frames.length;
  await first.until(
    () => first.frames.slice(seen).some((frame) => frame.comment === "heartbeat"),
    "a heartbeat",
  );
  // A browser that connects meanwhile learns about the outage at once.
  const late = await openSse(`${web.url}/events`);
  clients.push(late);
  await late.until(() => late.statuses.includes(RECONNECTING), "reconnecting on connect");

  await server.start();
  for (const client of clients) {
    await client.until(() => client.statuses.includes(CONNECTED), "connected again", 20_000);
  }
  await expect.poll(async () => (await getJson(`${web.url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
  // node-redis subscribed again by itself: a record published now reaches every browser.
  const after = await connectRedis(server.url);
  await after.publish(channel, JSON.stringify(recordAt(T0 + 1)));
  for (const client of clients) {
    await client.until(() => client.gpsEvents.at(-1)?.id === idOf(recordAt(T0 + 1)), "the record after");
    expect(client.isEnded).toBe(false);
    // Still the first response: one retry frame, the browser never had to reconnect.
    expect(client.frames.filter((frame) => frame.retry !== undefined)).toHaveLength(1);
  }
  expect(first.statuses).toEqual([RECONNECTING, CONNECTED]);
  expect(await after.pubSubNumSub(channel)).toEqual({ [channel]: 1 });
});
