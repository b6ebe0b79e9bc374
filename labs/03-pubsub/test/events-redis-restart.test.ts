import { setTimeout as delay } from "node:timers/promises";
import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { connectRedis, startRedisServer } from "@gps-workshop/shared/testing";
import { createClient } from "redis";
import { expect, onTestFinished, test } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import { publishRecord, recordAt } from "./support/records.ts";
import { openSse, type SseClient } from "./support/sse-client.ts";
import { getJson, startWeb } from "./support/web.ts";

const T0 = 1_700_000_000;
const RECONNECTING = JSON.stringify({ redis: "reconnecting" });
const CONNECTED = JSON.stringify({ redis: "connected" });

test("keeps browsers connected through a Redis restart, tells them, and streams again after it", async () => {
  const server = await startRedisServer();
  onTestFinished(() => server.close());
  const web = await startWeb(server.url, { heartbeatMs: 100 });
  const keys = redisKeys();
  const clients: SseClient[] = await Promise.all([1, 2, 3].map(() => openSse(`${web.url}/events`)));
  onTestFinished(() => {
    for (const client of clients) client.close();
  });
  await publishRecord(await connectRedis(server.url), keys, recordAt(T0));
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
  const id = await publishRecord(after, keys, recordAt(T0 + 1));
  for (const client of clients) {
    await client.until(() => client.gpsEvents.at(-1)?.id === id, "the record after");
    expect(client.isEnded).toBe(false);
    // Still the first response: one retry frame, the browser never had to reconnect.
    expect(client.frames.filter((frame) => frame.retry !== undefined)).toHaveLength(1);
  }
  expect(first.statuses).toEqual([RECONNECTING, CONNECTED]);
  expect(await after.pubSubNumSub(keys.channel)).toEqual({ [keys.channel]: 1 });
});

test("a connected client misses nothing in the history across Redis restarts, and gets nothing twice", async () => {
  const server = await startRedisServer();
  onTestFinished(() => server.close());
  const web = await startWeb(server.url, {});
  const keys = redisKeys();
  const client = await openSse(`${web.url}/events`);
  onTestFinished(() => client.close());

  // A publisher that writes as the replayer does, every 20 ms, and reconnects within 20 ms of
  // Redis coming back. Which of it and the web is ready first after a restart is a race, so once
  // a round it also drops the web's subscription right before writing: that record is certain
  // to be published while nobody listens.
  const publisher = createClient({
    url: server.url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 20 },
  });
  publisher.on("error", () => {});
  await publisher.connect();
  onTestFinished(() => publisher.destroy());
  const written: string[] = [];
  let unheard = 0;
  let paused = false;
  let dropSubscription = false;
  let stopped = false;
  const publishing = (async () => {
    for (let i = 0; !stopped; i++) {
      await delay(20);
      if (paused || !publisher.isReady) continue;
      const record = recordAt(T0 + i);
      const json = JSON.stringify(record, GPS_RECORD_FIELDS);
      try {
        const drop = dropSubscription;
        dropSubscription = false;
        // Sent together: Redis runs the transaction straight after closing the subscription.
        const [, [id]] = await Promise.all([
          drop ? publisher.sendCommand(["CLIENT", "KILL", "TYPE", "pubsub"]) : undefined,
          publisher.multi().xAdd(keys.history, "*", { record: json }).set(keys.state, json).exec(),
        ]);
        written.push(String(id));
        // Nobody listening: the web is not subscribed again yet.
        if ((await publisher.publish(keys.channel, JSON.stringify({ id, record }))) === 0) unheard++;
      } catch {
        // Redis went away between two commands: tried again on the next round.
      }
    }
  })();
  const caughtUp = () =>
    client.until(() => client.gpsEvents.at(-1)?.id === written.at(-1), "the last record", 20_000);

  // Four restarts at least, and more while no record has yet fallen in the gap between Redis
  // coming back and the web subscribing again: which of the two reconnects first is a race.
  for (let restart = 0; restart < 4 || (unheard === 0 && restart < 12); restart++) {
    // Records flow again first: the publisher may be ready a second after the web is.
    let before = written.length;
    await client.until(() => written.length >= before + 5, "new records", 20_000);
    dropSubscription = true;
    before = written.length;
    await client.until(() => written.length >= before + 5, "records after the subscription's loss");
    // Nothing is lost in Redis itself (it keeps no data across a restart here): stop writing first.
    paused = true;
    await caughtUp();
    await server.stop();
    paused = false;
    await server.start();
    await client.until(() => client.statuses.at(-1) === CONNECTED, "connected again", 20_000);
    await caughtUp();
  }
  stopped = true;
  await publishing;
  await caughtUp();

  expect(unheard).toBeGreaterThan(0);
  expect(client.gpsEvents.map((event) => event.id)).toEqual(written);
  expect(client.isEnded).toBe(false);
}, 120_000);
