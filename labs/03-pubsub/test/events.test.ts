import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { webTest } from "./support/context.ts";
import { idOf, recordAt, replayRecord } from "./support/records.ts";
import { getJson } from "./support/web.ts";

const T0 = 1_700_000_000;

describe("GET /events", () => {
  test("relays a message published by any client to 20 concurrent clients, in order, with ids", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const clients = await Promise.all(Array.from({ length: 20 }, () => ctx.connect()));
    const records = [0, 1, 2, 3, 4].map((i) => recordAt(T0 + i + 0.25));
    for (const record of records) await ctx.publisher.publish(ctx.keys.channel, JSON.stringify(record));

    for (const client of clients) {
      await client.untilGpsEvents(records.length);
      expect(client.gpsEvents).toEqual(records.map((record) => ({ id: idOf(record), record })));
    }
    const frame = clients[0]?.frames.find((each) => each.event === "gps_state");
    expect(frame?.id).toBe("1700000000250");
  });

  test("answers with an event stream that is not cached nor buffered by proxies", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect();
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(client.response.headers["cache-control"]).toBe("no-cache");
    expect(client.response.headers["x-accel-buffering"]).toBe("no");
  });

  test("answers HEAD with the stream's headers and ends at once", async ({ redis }) => {
    const ctx = await webTest(redis);
    const response = await fetch(`${ctx.url}/events`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(ctx.web.stats().clients).toBe(0);
  });

  test("does not relay invalid messages, and counts them", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect();
    await ctx.publisher.publish(ctx.keys.channel, "not json");
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify({ ...recordAt(T0), latitude: 200 }));
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify(recordAt(T0 + 1)));

    await client.untilGpsEvents(1);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([idOf(recordAt(T0 + 1))]);
    const { body } = await getJson(`${ctx.url}/stats`);
    expect(body).toMatchObject({ events_relayed: 1, invalid_messages: 2 });
    // One line for the burst: the log is rate-limited.
    expect(ctx.logs).toEqual([expect.stringContaining("ignored an invalid message on")]);
  });

  test("sends retry first, then the history oldest first, to a client that connects late", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const records = [0, 1, 2].map((i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(ctx.publisher, ctx.keys, record);

    const client = await ctx.connect();
    await client.untilGpsEvents(3);
    expect(client.frames[0]).toMatchObject({ retry: 2000 });
    // The current state is the history's last entry: it is not sent twice.
    expect(client.gpsEvents.map((event) => event.id)).toEqual(records.map(idOf));
    const next = recordAt(T0 + 3);
    await replayRecord(ctx.publisher, ctx.keys, next);
    await client.untilGpsEvents(4);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([...records, next].map(idOf));
  });

  test("ends the snapshot with the current state when the history does not hold it yet", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const records = [0, 1].map((i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(ctx.publisher, ctx.keys, record);
    const current = recordAt(T0 + 2);
    await ctx.publisher.set(ctx.keys.state, JSON.stringify(current));

    const client = await ctx.connect();
    await client.untilGpsEvents(3);
    expect(client.gpsEvents.map((event) => event.record)).toEqual([...records, current]);
  });

  test("caps the snapshot at the last snapshotLength records", async ({ redis }) => {
    const ctx = await webTest(redis, { snapshotLength: 5 });
    const records = Array.from({ length: 8 }, (_, i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(ctx.publisher, ctx.keys, record);

    const client = await ctx.connect();
    await client.untilGpsEvents(5);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 8));
    await client.untilGpsEvents(6);
    expect(client.gpsEvents.map((event) => event.id)).toEqual(
      [...records.slice(3), recordAt(T0 + 8)].map(idOf),
    );
  });

  test("gives every client each record exactly once and in order while records stream in", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { snapshotLength: 1000 });
    const records = Array.from({ length: 300 }, (_, i) => recordAt(T0 + i));
    const connecting = [];
    for (const [i, record] of records.entries()) {
      // Clients connect while the replayer writes: each snapshot read races live messages.
      if (i % 25 === 0) connecting.push(ctx.connect());
      await replayRecord(ctx.publisher, ctx.keys, record);
    }
    const clients = await Promise.all(connecting);
    for (const client of clients) {
      await client.until(() => client.gpsEvents.at(-1)?.id === idOf(recordAt(T0 + 299)), "the last record");
      expect(client.gpsEvents.map((event) => event.id)).toEqual(records.map(idOf));
    }
  });

  test("sends a heartbeat comment on an idle stream", async ({ redis }) => {
    const ctx = await webTest(redis, { heartbeatMs: 50 });
    const client = await ctx.connect();
    await client.until(() => client.frames.some((frame) => frame.comment === "heartbeat"), "a heartbeat");
    expect(client.frames[0]).toMatchObject({ retry: 2000 });
  });
});

describe("resuming with Last-Event-ID", () => {
  async function historyOfFive(redis: Parameters<typeof webTest>[0]) {
    const ctx = await webTest(redis);
    const records = Array.from({ length: 5 }, (_, i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(ctx.publisher, ctx.keys, record);
    return { ctx, ids: records.map(idOf) };
  }

  test("sends only the events after the Last-Event-ID header", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("", { "Last-Event-ID": ids[2] ?? "" });
    await client.untilGpsEvents(2);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(3);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([ids[3], ids[4], idOf(recordAt(T0 + 5))]);
  });

  test("sends only the events after ?lastEventId= for clients that cannot set headers", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect(`?lastEventId=${ids[3]}`);
    await client.untilGpsEvents(1);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(2);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([ids[4], idOf(recordAt(T0 + 5))]);
  });

  test("sends nothing from the history to a client that is up to date", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("", { "Last-Event-ID": ids[4] ?? "" });
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(1);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([idOf(recordAt(T0 + 5))]);
  });

  test("sends the full snapshot for an id the history no longer holds", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("", { "Last-Event-ID": "1600000000000" });
    await client.untilGpsEvents(5);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(6);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([...ids, idOf(recordAt(T0 + 5))]);
  });

  test("rejects a Last-Event-ID that is not an event id with 400 problem JSON", async ({ redis }) => {
    const ctx = await webTest(redis);
    const response = await fetch(`${ctx.url}/events`, { headers: { "Last-Event-ID": "yesterday" } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await response.json()).toMatchObject({
      status: 400,
      title: "Bad Request",
      parameter: "Last-Event-ID",
      detail: expect.stringContaining('"yesterday"'),
    });
    const query = await getJson(`${ctx.url}/events?lastEventId=1.5`);
    expect(query).toMatchObject({ status: 400, body: { parameter: "lastEventId" } });
  });
});

describe("one subscription per process", () => {
  test("subscribes once to Redis whatever the number of clients", async ({ redis }) => {
    const ctx = await webTest(redis);
    await Promise.all(Array.from({ length: 20 }, () => ctx.connect()));
    expect(ctx.web.stats().clients).toBe(20);
    expect(await ctx.publisher.pubSubNumSub(ctx.keys.channel)).toEqual({ [ctx.keys.channel]: 1 });
  });

  test("forgets a client that disconnects", async ({ redis }) => {
    const ctx = await webTest(redis);
    const clients = await Promise.all([ctx.connect(), ctx.connect()]);
    expect((await getJson(`${ctx.url}/stats`)).body).toMatchObject({ clients: 2 });
    for (const client of clients) client.close();
    await expect.poll(async () => (await getJson(`${ctx.url}/stats`)).body).toMatchObject({ clients: 0 });
  });
});

describe("health", () => {
  test("answers /healthz and /readyz with 200 when both Redis connections are ready", async ({ redis }) => {
    const ctx = await webTest(redis);
    expect(await getJson(`${ctx.url}/healthz`)).toMatchObject({ status: 200 });
    expect(await getJson(`${ctx.url}/readyz`)).toMatchObject({ status: 200 });
  });

  test("answers an unknown path with 404 problem JSON", async ({ redis }) => {
    const ctx = await webTest(redis);
    expect(await getJson(`${ctx.url}/nope`)).toMatchObject({
      status: 404,
      type: "application/problem+json; charset=utf-8",
      body: { status: 404, title: "Not Found" },
    });
  });
});
