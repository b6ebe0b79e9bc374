import { randomUUID } from "node:crypto";
import type { GpsRecord } from "@gps-workshop/shared";
import {
  attributeOf,
  connectRedis,
  startRedisServer,
  tableTimestamps,
  test,
} from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished, vi } from "vitest";
import { type RedisKeys, redisKeys } from "../src/redis-keys.ts";
import { webTest } from "./support/context.ts";
import { outOfBand, pageUpdates, stateValue, untilPageUpdates } from "./support/page-html.ts";
import { idOf, recordAt, replayRecord } from "./support/records.ts";
import { openSse, type SseClient } from "./support/sse-client.ts";
import { type RunningWeb, startWeb } from "./support/web.ts";

// The page "GPS Reactive Replayer" (GET /) and its stream of HTML updates (GET /ui/events),
// against a real Redis.

const T0 = 1_700_000_000;
const UNTIL = { timeout: 5000, interval: 20 };
const SCRIPT = "<script>alert(1)</script>";
const IMAGE = '"><img src=x onerror=alert(1)>';
const WIDGETS = { "state-card": "true", "track-drawing": "true", charts: "true", samples: "outerMorph" };

async function html(url: string): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Opens the page's stream, closed when the test ends. */
async function openPageStream(base: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await openSse(`${base}/ui/events`, headers);
  onTestFinished(() => client.close());
  return client;
}

/** Waits until the web has relayed `count` records in all. */
async function untilRelayed(web: RunningWeb, count: number): Promise<void> {
  await vi.waitFor(() => expect(web.web.stats().events_relayed).toBe(count), UNTIL);
}

describe("GET /", () => {
  test("renders the page with its widgets and one hx-sse connection, and no polling", async ({ redis }) => {
    const ctx = await webTest(redis);

    const page = await html(`${ctx.url}/`);

    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<title>GPS Reactive Replayer</title>");
    expect(page.body).toContain("<h1>GPS Reactive Replayer</h1>");
    for (const id of [
      "connection",
      "last-update",
      "latency-latest",
      "latency-p50",
      "latency-p95",
      ...Object.keys(WIDGETS),
    ]) {
      expect(page.body, id).toContain(`id="${id}"`);
    }
    expect(page.body.match(/hx-sse:connect="[^"]*"/g)).toEqual(['hx-sse:connect="/ui/events"']);
    // htmx, then its extension, not deferred: the extension is registered before htmx sets the page up.
    const htmx = page.body.indexOf('<script src="/vendor/htmx/htmx.min.js"></script>');
    const sse = page.body.indexOf('<script src="/vendor/htmx/ext/hx-sse.js"></script>');
    expect(htmx).toBeGreaterThan(0);
    expect(sse).toBeGreaterThan(htmx);
    expect(page.body).not.toMatch(/hx-trigger|hx-get|every \d/);
    // The table before the first record: empty, and the stamp says so.
    expect(tableTimestamps(page.body)).toEqual([]);
    expect(page.body).toContain("No record yet");
  });

  test("sends a strict Content-Security-Policy, runs no inline script, and names the instance", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { instance: "web-test-1" });

    const page = await html(`${ctx.url}/`);

    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain("unsafe");
    expect(page.headers.get("x-served-by")).toBe("web-test-1");
    // Every script has a src: none is inline, and no element has an inline event handler.
    expect(page.body.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/[^"]+"/.test(tag))).toBe(true);
    expect(page.body).not.toMatch(/\son[a-z]+=/);
    expect(page.body).toContain("<code>web-test-1</code>");
  });

  test("serves every script and stylesheet it links to from this server", async ({ redis }) => {
    const ctx = await webTest(redis);
    const page = await html(`${ctx.url}/`);
    const links = [...page.body.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map(([, path]) => path ?? "");

    expect(links).toEqual(
      expect.arrayContaining(["/vendor/htmx/ext/hx-sse.js", "/assets/connection.js", "/assets/latency.js"]),
    );
    for (const path of links) {
      const response = await fetch(`${ctx.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/javascript|css|svg/);
    }
  });

  test("draws the records published so far, newest first, with the latest in the state card", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const records = [0, 1, 2].map((i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(ctx.publisher, ctx.keys, record);
    await untilRelayed(ctx, 3);

    const page = await html(`${ctx.url}/`);

    expect(tableTimestamps(page.body)).toEqual([T0 + 2, T0 + 1, T0]);
    expect(stateValue(page.body, "timestamp")).toBe("2023-11-14 22:13:22");
    expect(JSON.parse(attributeOf(page.body, "track-drawing", "data-track") ?? "[]")).toHaveLength(3);
    expect(page.body).toMatch(/<span class="count">\(3\)<\/span>/);
  });

  test("reads the records already in Redis when the web starts", async ({ redis }) => {
    const keyPrefix = `${redis.prefix}${randomUUID()}:`;
    const writer = await connectRedis(redis.url);
    const records = [0, 1, 2, 3].map((i) => recordAt(T0 + i));
    for (const record of records) await replayRecord(writer, redisKeys(keyPrefix), record);

    const web = await startWeb(redis.url, { keyPrefix, dashboardLength: 3 });

    // The newest three: the dashboard keeps `dashboardLength` records.
    expect(tableTimestamps((await html(`${web.url}/`)).body)).toEqual([T0 + 3, T0 + 2, T0 + 1]);
  });
});

describe("GET /ui/events", () => {
  test("sends the whole dashboard on connecting, then one update per record with its id and receive time", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { instance: "web-test-2" });
    for (const record of [recordAt(T0), recordAt(T0 + 1)]) {
      await replayRecord(ctx.publisher, ctx.keys, record);
    }
    await untilRelayed(ctx, 2);

    const client = await openPageStream(ctx.url);
    const [snapshot] = await untilPageUpdates(client, 1);

    expect(client.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(snapshot?.id).toBe(idOf(recordAt(T0 + 1)));
    expect(outOfBand(snapshot?.data ?? "")).toEqual({ ...WIDGETS, "last-update": "true" });
    expect(tableTimestamps(snapshot?.data ?? "")).toEqual([T0 + 1, T0]);
    expect(attributeOf(snapshot?.data ?? "", "last-update", "data-kind")).toBe("snapshot");
    // Not news: the snapshot gives the latency script nothing to measure.
    expect(attributeOf(snapshot?.data ?? "", "last-update", "data-received-at")).toBeUndefined();

    const before = Date.now();
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 2));
    const [, update] = await untilPageUpdates(client, 2);
    const after = Date.now();

    const data = update?.data ?? "";
    expect(update?.id).toBe(idOf(recordAt(T0 + 2)));
    expect(outOfBand(data)).toEqual({ ...WIDGETS, "last-update": "true" });
    expect(tableTimestamps(data)).toEqual([T0 + 2, T0 + 1, T0]);
    expect(stateValue(data, "satellites")).toBe("9");
    expect(attributeOf(data, "last-update", "data-kind")).toBe("event");
    expect(attributeOf(data, "last-update", "data-event-id")).toBe(idOf(recordAt(T0 + 2)));
    const receivedAt = Number(attributeOf(data, "last-update", "data-received-at"));
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(after);
    expect(data).toContain("pushed by web instance <code>web-test-2</code>");
  });

  test("renders each record's update once and sends the same bytes to every page", async ({ redis }) => {
    const ctx = await webTest(redis);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0));
    await untilRelayed(ctx, 1);
    const rendered = ctx.web.stats().page_updates_rendered;

    const clients = await Promise.all(Array.from({ length: 10 }, () => openPageStream(ctx.url)));
    await Promise.all(clients.map((client) => untilPageUpdates(client, 1)));
    // Ten pages connected to an unchanged dashboard: one rendering for all of them.
    expect(ctx.web.stats().page_updates_rendered).toBe(rendered + 1);

    for (const i of [1, 2, 3]) await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    const updates = await Promise.all(clients.map((client) => untilPageUpdates(client, 4)));

    expect(ctx.web.stats().page_updates_rendered).toBe(rendered + 1 + 3);
    const first = updates[0]?.map(({ id, data }) => ({ id, data }));
    expect(first?.map(({ id }) => id)).toEqual([0, 1, 2, 3].map((i) => idOf(recordAt(T0 + i))));
    for (const received of updates) expect(received.map(({ id, data }) => ({ id, data }))).toEqual(first);
  });

  test("sends the whole dashboard again to a page that reconnects with Last-Event-ID", async ({ redis }) => {
    const ctx = await webTest(redis);
    for (const i of [0, 1, 2]) await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    await untilRelayed(ctx, 3);

    const client = await openPageStream(ctx.url, { "Last-Event-ID": idOf(recordAt(T0 + 1)) });
    const [snapshot] = await untilPageUpdates(client, 1);

    // Each update holds every widget: replaying the missed records one by one would be more bytes.
    expect(tableTimestamps(snapshot?.data ?? "")).toEqual([T0 + 2, T0 + 1, T0]);
  });

  test("ignores the newest record published again, and starts over at an older one", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await openPageStream(ctx.url);
    await untilPageUpdates(client, 1);

    for (const timestamp of [T0, T0 + 1, T0 + 1]) {
      await ctx.publisher.publish(ctx.keys.channel, JSON.stringify(recordAt(timestamp)));
    }
    const updates = await untilPageUpdates(client, 4);
    expect(tableTimestamps(updates[3]?.data ?? "")).toEqual([T0 + 1, T0]);

    // A replayer that plays its track again: records seen before, but older than the newest.
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify(recordAt(T0)));
    await ctx.publisher.publish(ctx.keys.channel, JSON.stringify(recordAt(T0 + 1)));
    const [, , , , restarted, next] = await untilPageUpdates(client, 6);
    expect(tableTimestamps(restarted?.data ?? "")).toEqual([T0]);
    expect(tableTimestamps(next?.data ?? "")).toEqual([T0 + 1, T0]);
  });

  test("tells the page, as status events, when the web loses Redis and when it is back", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const web = await startWeb(server.url, {});
    const publisher = await connectRedis(server.url);
    await replayRecord(publisher, redisKeys(), recordAt(T0));
    await untilRelayed(web, 1);
    const client = await openPageStream(web.url);
    await untilPageUpdates(client, 1);
    const statuses = () => client.frames.filter((frame) => frame.event === "status").map(({ data }) => data);

    // Killed, not stopped: Redis comes back without the data it had.
    await server.stop();
    await client.until(() => statuses().length >= 1, "a status event", 10_000);
    await server.start();
    await client.until(() => statuses().length >= 2, "a second status event", 20_000);

    expect(statuses()).toEqual([
      JSON.stringify({ redis: "reconnecting" }),
      JSON.stringify({ redis: "connected" }),
    ]);
    await vi.waitFor(
      async () => {
        await replayRecord(publisher, redisKeys(), recordAt(T0 + 100));
        expect(pageUpdates(client).length).toBeGreaterThanOrEqual(2);
      },
      { timeout: 10_000, interval: 500 },
    );
    // An empty Redis has nothing to say about the records shown so far: they stay.
    expect(tableTimestamps(pageUpdates(client).at(-1)?.data ?? "")).toEqual([T0 + 100, T0]);
  });

  test("reads again what was published while its subscription was down", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const web = await startWeb(server.url, {});
    const admin = await connectRedis(server.url);
    const keys: RedisKeys = redisKeys();
    await replayRecord(admin, keys, recordAt(T0));
    await untilRelayed(web, 1);

    // Close the web's subscription and publish at once, in one transaction: the message reaches nobody.
    const json = JSON.stringify(recordAt(T0 + 1));
    await admin
      .multi()
      .clientKill({ filter: "TYPE", type: "pubsub" })
      .set(keys.state, json)
      .xAdd(keys.history, "*", { record: json })
      .publish(keys.channel, json)
      .exec();

    // The web resubscribes, reads the history again, and the page has the record all the same.
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${web.url}/`)).body)).toEqual([T0 + 1, T0]),
      UNTIL,
    );
    expect(web.web.stats().events_relayed).toBe(1);
  });
});

describe("untrusted input", () => {
  /** No markup made it into the HTML: no tag of its own, and no way out of an attribute. */
  function expectNoMarkup(text: string) {
    expect(text).not.toContain("<script>alert");
    expect(text).not.toContain("<img");
    expect(text).not.toContain(IMAGE);
  }

  test("never renders markup published on the channel: the records carry numbers only", async ({ redis }) => {
    const ctx = await webTest(redis);
    const client = await openPageStream(ctx.url);
    await untilPageUpdates(client, 1);
    const valid: GpsRecord = recordAt(T0);

    // Markup in place of numbers: not records, dropped by the relay.
    for (const field of ["timestamp", "latitude", "elevation", "satellites"] as const) {
      await ctx.publisher.publish(ctx.keys.channel, JSON.stringify({ ...valid, [field]: SCRIPT }));
      await ctx.publisher.publish(ctx.keys.channel, JSON.stringify({ ...valid, [field]: IMAGE }));
    }
    await ctx.publisher.publish(ctx.keys.channel, `${SCRIPT}${IMAGE}`);
    // Markup beside the numbers: a valid record, whose unknown fields are left out.
    await ctx.publisher.publish(
      ctx.keys.channel,
      JSON.stringify({ ...valid, note: SCRIPT, provider: IMAGE, [IMAGE]: SCRIPT }),
    );
    const [, update] = await untilPageUpdates(client, 2);

    expect(ctx.web.stats()).toMatchObject({ events_relayed: 1, invalid_messages: 9 });
    expect(tableTimestamps(update?.data ?? "")).toEqual([T0]);
    expectNoMarkup(update?.data ?? "");
    expectNoMarkup((await html(`${ctx.url}/`)).body);
  });

  test("escapes the instance's name, the one text on the page that does not come from a number", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { instance: `${IMAGE}${SCRIPT}` });
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0));
    await untilRelayed(ctx, 1);
    const client = await openPageStream(ctx.url);
    await replayRecord(ctx.publisher, ctx.keys, recordAt(T0 + 1));
    const [snapshot, update] = await untilPageUpdates(client, 2);
    const page = (await html(`${ctx.url}/`)).body;

    for (const text of [page, snapshot?.data ?? "", update?.data ?? ""]) {
      expectNoMarkup(text);
      expect(text).toContain(
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
      );
    }
  });
});
