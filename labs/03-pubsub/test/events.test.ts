import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { webTest } from "./support/context.ts";
import { historyIds, publishRecord, recordAt } from "./support/records.ts";
import { getJson } from "./support/web.ts";

const T0 = 1_700_000_000;

describe("GET /events", () => {
  test("relays each record published to 20 concurrent clients, in order, with its history entry's id", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const clients = await Promise.all(Array.from({ length: 20 }, () => ctx.connect()));
    const records = [0, 1, 2, 3, 4].map((i) => recordAt(T0 + i + 0.25));
    const ids: string[] = [];
    for (const record of records) ids.push(await publishRecord(ctx.publisher, ctx.keys, record));

    for (const client of clients) {
      await client.untilGpsEvents(records.length);
      expect(client.gpsEvents).toEqual(records.map((record, i) => ({ id: ids[i], record })));
    }
    expect(ids[0]).toMatch(/^\d{13}-\d+$/);
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

  test("relays a record published by hand without an id, and no id goes with it", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect();
    const record = recordAt(T0);
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify({ record }));

    await client.untilGpsEvents(1);
    expect(client.gpsEvents).toEqual([{ id: "", record }]);
    expect(client.frames.find((frame) => frame.event === "gps_state")).not.toHaveProperty("id");
  });

  test("does not relay invalid messages, counts them, and logs one line for a burst", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect();
    const valid = recordAt(T0);
    for (const message of [
      "not json",
      JSON.stringify(valid),
      JSON.stringify({ record: { ...valid, latitude: 200 } }),
      JSON.stringify({ id: "yesterday", record: valid }),
    ]) {
      await ctx.publisher.publish(ctx.keys.channel, message);
    }
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify({ id: "1-0", record: recordAt(T0 + 1) }));

    await client.untilGpsEvents(1);
    expect(client.gpsEvents.map((event) => event.id)).toEqual(["1-0"]);
    expect((await getJson(`${ctx.url}/stats`)).body).toMatchObject({
      events_relayed: 1,
      invalid_messages: 4,
    });
    expect(ctx.logs.filter((line) => line.includes("invalid"))).toEqual([
      `web: ignored an invalid message on ${ctx.keys.channel}: not JSON`,
    ]);
  });

  test("sends retry first, then the history oldest first, to a client that connects late", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const ids: string[] = [];
    for (const i of [0, 1, 2]) ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));

    const client = await ctx.connect();
    await client.untilGpsEvents(3);
    expect(client.frames[0]).toMatchObject({ retry: 2000 });
    expect(client.gpsEvents.map((event) => event.id)).toEqual(ids);
    ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 3)));
    await client.untilGpsEvents(4);
    expect(client.gpsEvents.map((event) => event.id)).toEqual(ids);
  });

  test("caps the history sent on connecting at the last snapshotLength records", async ({ redis }) => {
    const ctx = await webTest(redis, { snapshotLength: 5 });
    for (let i = 0; i < 8; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));

    const client = await ctx.connect();
    await client.untilGpsEvents(5);
    const next = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 8));
    await client.untilGpsEvents(6);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([
      ...(await historyIds(ctx.publisher, ctx.keys)).slice(3, 8),
      next,
    ]);
  });

  test("gives every client each record exactly once and in order while records stream in", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { snapshotLength: 1000 });
    const connecting = [];
    for (let i = 0; i < 300; i++) {
      // Clients connect while records are published: each history read races live messages.
      if (i % 25 === 0) connecting.push(ctx.connect());
      await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    }
    const clients = await Promise.all(connecting);
    const ids = await historyIds(ctx.publisher, ctx.keys);
    for (const client of clients) {
      await client.until(() => client.gpsEvents.at(-1)?.id === ids.at(-1), "the last record");
      expect(client.gpsEvents.map((event) => event.id)).toEqual(ids);
    }
  });

  test("streams the live records after the history when the track starts over with the history kept", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    // A first pass of the track, then the replayer starts it again: the same timestamps.
    for (let i = 0; i < 20; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    for (let i = 0; i < 5; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    const client = await ctx.connect();
    await client.untilGpsEvents(25);

    const live: string[] = [];
    for (let i = 5; i < 8; i++) live.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));

    await client.until(() => client.gpsEvents.length === 28, "3 live records after the history", 2000);
    expect(client.gpsEvents.slice(25).map((event) => event.id)).toEqual(live);
    expect(client.gpsEvents.slice(25).map((event) => event.record.timestamp)).toEqual([
      T0 + 5,
      T0 + 6,
      T0 + 7,
    ]);
  });

  test("sends a heartbeat comment on a quiet stream", async ({ redis }) => {
    const ctx = await webTest(redis, { heartbeatMs: 50 });
    const client = await ctx.connect();
    await client.until(() => client.frames.some((frame) => frame.comment === "heartbeat"), "a heartbeat");
    expect(client.frames[0]).toMatchObject({ retry: 2000 });
  });
});

describe("resuming with Last-Event-ID", () => {
  async function historyOfFive(redis: Parameters<typeof webTest>[0]) {
    const ctx = await webTest(redis);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));
    return { ctx, ids };
  }

  test("sends only the entries after the Last-Event-ID header, then the live ones", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("/events", { "Last-Event-ID": ids[2] ?? "" });
    await client.untilGpsEvents(2);
    const next = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(3);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([ids[3], ids[4], next]);
  });

  test("sends only the entries after ?lastEventId= for clients that cannot set headers", async ({
    redis,
  }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect(`/events?lastEventId=${ids[3]}`);
    await client.untilGpsEvents(1);
    const next = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(2);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([ids[4], next]);
  });

  test("sends nothing from the history to a client that is up to date", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("/events", { "Last-Event-ID": ids[4] ?? "" });
    const next = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 5));
    await client.untilGpsEvents(1);
    expect(client.gpsEvents.map((event) => event.id)).toEqual([next]);
  });

  test("sends the newest snapshotLength entries for an id older than the history", async ({ redis }) => {
    const { ctx, ids } = await historyOfFive(redis);
    const client = await ctx.connect("/events", { "Last-Event-ID": "1-0" });
    await client.untilGpsEvents(5);
    expect(client.gpsEvents.map((event) => event.id)).toEqual(ids);
  });

  test("rejects a Last-Event-ID that is not a history entry id with 400 problem JSON", async ({ redis }) => {
    const ctx = await webTest(redis);
    for (const bad of ["yesterday", "1700000000000", "1-2-3"]) {
      const response = await fetch(`${ctx.url}/events`, { headers: { "Last-Event-ID": bad } });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(await response.json()).toMatchObject({
        status: 400,
        title: "Bad Request",
        parameter: "Last-Event-ID",
        detail: expect.stringContaining(`(got "${bad}")`),
      });
    }
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
    expect(await getJson(`${ctx.url}/healthz`)).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await getJson(`${ctx.url}/readyz`)).toMatchObject({ status: 200, body: { status: "ready" } });
  });

  test("answers an unknown path with 404 problem JSON, and names the instance on every answer", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { instance: "web-test-1" });
    const response = await fetch(`${ctx.url}/nope`);
    expect(response.headers.get("x-served-by")).toBe("web-test-1");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await response.json()).toMatchObject({ status: 404, title: "Not Found" });
  });
});
