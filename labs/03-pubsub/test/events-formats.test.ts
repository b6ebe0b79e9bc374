import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { connectRedis, test } from "@gps-workshop/shared/testing";
import express from "express";
import { expect, onTestFinished } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import type { GpsEvent } from "../src/web/gps-event.ts";
import { Hub } from "../src/web/hub.ts";
import { Relay } from "../src/web/relay.ts";
import { eventStream, type StreamContext } from "../src/web/routes/events.ts";
import { Snapshots } from "../src/web/snapshots.ts";
import { sseFrame } from "../src/web/sse.ts";
import { jsonFormat, type SseFormat } from "../src/web/sse-format.ts";
import { recordAt } from "./support/records.ts";
import { openSse } from "./support/sse-client.ts";

/** Wraps a format to count how often it renders a record. */
function counting(format: SseFormat) {
  const counter = {
    renders: 0,
    format: {
      gps(event: GpsEvent) {
        counter.renders++;
        return format.gps(event);
      },
      status: (status) => format.status(status),
    } satisfies SseFormat,
  };
  return counter;
}

test("serves a second stream format through the same hub, rendering each record once per format", async ({
  redis,
}) => {
  const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
  const reader = await connectRedis(redis.url);
  const subscriber = await connectRedis(redis.url);
  const publisher = await connectRedis(redis.url);
  const hub = new Hub({ heartbeatMs: 60_000, status: "connected" });
  const relay = new Relay({ subscriber, channel: keys.channel, hub, log: () => {} });
  await relay.start();
  const context: StreamContext = {
    hub,
    snapshots: new Snapshots({ redis: reader, keys, length: 300 }),
    maxQueueBytes: 256 * 1024,
    retryMs: 2000,
    log: () => {},
  };
  const html: SseFormat = {
    gps: (event) =>
      sseFrame({ event: "position", id: String(event.id), data: `<b>${event.record.latitude}</b>` }),
    status: (status) => sseFrame({ event: "status", data: `<i>${status}</i>` }),
  };
  const json = counting(jsonFormat);
  const fragments = counting(html);
  const app = express();
  app.get("/events", eventStream(context, json.format));
  app.get("/fragments", eventStream(context, fragments.format));
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  onTestFinished(() => {
    hub.close();
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jsonClients = await Promise.all(Array.from({ length: 10 }, () => openSse(`${base}/events`)));
  const htmlClients = await Promise.all(Array.from({ length: 10 }, () => openSse(`${base}/fragments`)));

  const records = [0, 1, 2].map((i) => recordAt(1_700_000_000 + i));
  for (const record of records) await publisher.publish(keys.channel, JSON.stringify(record));

  for (const client of jsonClients) await client.untilGpsEvents(3);
  for (const client of htmlClients) {
    await client.until(
      () => client.frames.filter((frame) => frame.event === "position").length === 3,
      "3 fragments",
    );
    expect(client.frames.filter((frame) => frame.event === "position").map((frame) => frame.data)).toEqual(
      records.map((record) => `<b>${record.latitude}</b>`),
    );
  }
  expect(json.renders).toBe(3);
  expect(fragments.renders).toBe(3);
});
