import { setTimeout as delay } from "node:timers/promises";
import { GPS_RECORD_FIELDS, type GpsRecord } from "@gps-workshop/shared";
import {
  attributeOf,
  connectRedis,
  startRedisServer,
  tableTimestamps,
  test,
} from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished, vi } from "vitest";
import { redisKeys } from "../src/redis-keys.ts";
import { webTest } from "./support/context.ts";
import {
  expectValidHtml,
  outOfBand,
  pageFrames,
  stateValue,
  tableAfter,
  untilPageFrames,
} from "./support/page-html.ts";
import { publishRecord, recordAt } from "./support/records.ts";
import { openSse } from "./support/sse-client.ts";
import { startWeb } from "./support/web.ts";

// The page "GPS Reactive Replayer" (GET /) and its stream of HTML frames (GET /ui/events),
// against a real Redis.

const T0 = 1_700_000_000;
const UNTIL = { timeout: 5000, interval: 20 };
const SCRIPT = "<script>alert(1)</script>";
const IMAGE = '"><img src=x onerror=alert(1)>';
/** What every frame swaps, whatever happened to the table. */
const WIDGETS = {
  ...Object.fromEntries(GPS_RECORD_FIELDS.map((field) => [`[data-field=${field}] dd`, "innerHTML"])),
  "#track-drawing": "outerHTML",
  "#charts": "outerHTML",
  "#samples-title .count": "outerHTML",
  "#samples caption": "innerHTML",
  "#last-update": "outerHTML",
};

async function html(url: string): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe("GET /", () => {
  test("renders the page with its widgets and one hx-sse connection, and no polling", async ({ redis }) => {
    const ctx = await webTest(redis);

    const page = await html(`${ctx.url}/`);

    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<title>GPS Reactive Replayer</title>");
    for (const id of [
      "connection",
      "last-update",
      "latency-latest",
      "latency-p50",
      "latency-p95",
      "samples",
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
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
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
    for (const i of [0, 1, 2]) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));

    const page = await vi.waitFor(async () => {
      const { body } = await html(`${ctx.url}/`);
      expect(tableTimestamps(body)).toEqual([T0 + 2, T0 + 1, T0]);
      return body;
    }, UNTIL);

    expect(stateValue(page, "timestamp")).toBe("2023-11-14 22:13:22");
    expect(JSON.parse(attributeOf(page, "track-drawing", "data-track") ?? "[]")).toHaveLength(3);
    expect(page).toMatch(/<span class="count">\(3\)<\/span>/);
  });

  test("reads the newest records already in Redis when the web starts", async ({ redis }) => {
    const writer = await connectRedis(redis.url);
    const keyPrefix = `${redis.prefix}${crypto.randomUUID()}:`;
    for (const i of [0, 1, 2, 3]) await publishRecord(writer, redisKeys(keyPrefix), recordAt(T0 + i));

    const web = await startWeb(redis.url, { keyPrefix, dashboardLength: 3 });

    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${web.url}/`)).body)).toEqual([T0 + 3, T0 + 2, T0 + 1]),
      UNTIL,
    );
  });

  test("is valid HTML, and so is each kind of frame", async ({ redis }) => {
    const ctx = await webTest(redis);
    for (const i of [0, 1]) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    const client = await ctx.connect("/ui/events");
    await untilPageFrames(client, 1);
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 2));
    await untilPageFrames(client, 2);
    // The track starts over: the table is replaced.
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0));
    const [snapshot, added, replaced] = await untilPageFrames(client, 3);

    await expectValidHtml((await html(`${ctx.url}/`)).body);
    expect(outOfBand(snapshot?.data ?? "")).toMatchObject({ "#samples tbody": "innerHTML" });
    expect(outOfBand(added?.data ?? "")).toMatchObject({ "#samples tbody": "afterbegin" });
    expect(outOfBand(replaced?.data ?? "")).toMatchObject({ "#samples tbody": "innerHTML" });
    for (const frame of [snapshot, added, replaced]) await expectValidHtml(frame?.data ?? "");
  });
});

describe("GET /ui/events", () => {
  test("sends the whole dashboard on connecting, then a frame with only what changed", async ({ redis }) => {
    const ctx = await webTest(redis, { instance: "web-test-2" });
    for (const i of [0, 1]) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    await vi.waitFor(() => expect(ctx.web.stats().events_relayed).toBe(2), UNTIL);
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${ctx.url}/`)).body)).toHaveLength(2),
      UNTIL,
    );

    const client = await ctx.connect("/ui/events");
    const [snapshot] = await untilPageFrames(client, 1);

    expect(client.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(outOfBand(snapshot?.data ?? "")).toEqual({ ...WIDGETS, "#samples tbody": "innerHTML" });
    expect(tableTimestamps(snapshot?.data ?? "")).toEqual([T0 + 1, T0]);
    expect(attributeOf(snapshot?.data ?? "", "last-update", "data-kind")).toBe("snapshot");
    // Not news: the snapshot gives the latency script nothing to measure.
    expect(attributeOf(snapshot?.data ?? "", "last-update", "data-received-at")).toBeUndefined();

    const before = Date.now();
    const id = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 2));
    const [, frame] = await untilPageFrames(client, 2);
    const after = Date.now();

    const data = frame?.data ?? "";
    expect(frame?.id).toBe(id);
    expect(outOfBand(data)).toEqual({
      ...WIDGETS,
      "#samples tbody": "afterbegin",
      "#samples tbody tr:nth-child(n+50)": "delete",
    });
    expect(tableTimestamps(data)).toEqual([T0 + 2]);
    expect(stateValue(data, "timestamp")).toBe("2023-11-14 22:13:22");
    expect(data).toContain('<span class="count" hx-swap-oob="outerHTML:#samples-title .count">(3)</span>');
    expect(attributeOf(data, "last-update", "data-kind")).toBe("event");
    expect(attributeOf(data, "last-update", "data-event-id")).toBe(id);
    const receivedAt = Number(attributeOf(data, "last-update", "data-received-at"));
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(after);
    expect(data).toContain("pushed by web instance <code>web-test-2</code>");
  });

  test("sends at most 4 frames a second whatever the rate, the table whole, and the newest record last", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect("/ui/events");
    await untilPageFrames(client, 1);

    const startedAt = performance.now();
    let last = "";
    // About 200 records a second for 1.5 s.
    for (let i = 0; i < 300; i++) {
      last = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
      await delay(5);
    }
    await client.until(() => pageFrames(client).at(-1)?.id === last, "the newest record's frame");
    const elapsed = performance.now() - startedAt;

    const frames = pageFrames(client).slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    const gaps = frames.slice(1).map((frame, i) => frame.receivedAt - (frames[i]?.receivedAt ?? 0));
    // 250 ms apart as sent; the network may bring two a little closer.
    expect(Math.min(...gaps)).toBeGreaterThan(200);
    expect(tableAfter(frames)).toEqual(Array.from({ length: 50 }, (_, i) => T0 + 299 - i));
    expect(stateValue(frames.at(-1)?.data ?? "", "timestamp")).toBe("2023-11-14 22:18:19");
    for (const frame of frames) expect(tableTimestamps(frame.data ?? "").length).toBeLessThanOrEqual(50);
  });

  test("renders each frame once and sends the same bytes to every page", async ({ redis }) => {
    const ctx = await webTest(redis);
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0));
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${ctx.url}/`)).body)).toHaveLength(1),
      UNTIL,
    );
    const clients = await Promise.all(Array.from({ length: 10 }, () => ctx.connect("/ui/events")));
    await Promise.all(clients.map((client) => untilPageFrames(client, 1)));
    const rendered = ctx.web.stats().page_updates_rendered;

    for (const i of [1, 2, 3]) {
      await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
      await Promise.all(clients.map((client) => untilPageFrames(client, 1 + i)));
    }

    expect(ctx.web.stats().page_updates_rendered).toBe(rendered + 3);
    const received = clients.map((client) => pageFrames(client).map(({ id, data }) => ({ id, data })));
    for (const frames of received) expect(frames).toEqual(received[0]);
  });

  test("sends the whole dashboard again to a page that reconnects with Last-Event-ID", async ({ redis }) => {
    const ctx = await webTest(redis);
    const ids: string[] = [];
    for (const i of [0, 1, 2]) ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${ctx.url}/`)).body)).toHaveLength(3),
      UNTIL,
    );

    const client = await ctx.connect("/ui/events", { "Last-Event-ID": ids[1] ?? "" });
    const [snapshot] = await untilPageFrames(client, 1);

    expect(tableTimestamps(snapshot?.data ?? "")).toEqual([T0 + 2, T0 + 1, T0]);
  });

  test("ignores a record of the same moment as the newest, and starts over at an older one", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const client = await ctx.connect("/ui/events");
    await untilPageFrames(client, 1);
    const publish = async (timestamp: number, frames: number) => {
      await publishRecord(ctx.publisher, ctx.keys, recordAt(timestamp));
      return (await untilPageFrames(client, frames)).at(-1)?.data ?? "";
    };

    await publish(T0, 2);
    expect(tableTimestamps(await publish(T0 + 1, 3))).toEqual([T0 + 1]);
    // The same moment again, then a replayer that plays its track again: older records.
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 1));
    const restarted = await publish(T0, 4);
    expect(outOfBand(restarted)).toMatchObject({ "#samples tbody": "innerHTML" });
    expect(tableTimestamps(restarted)).toEqual([T0]);
    expect(tableAfter(pageFrames(client))).toEqual([T0]);
    expect(tableTimestamps(await publish(T0 + 1, 5))).toEqual([T0 + 1]);
    expect(tableAfter(pageFrames(client))).toEqual([T0 + 1, T0]);
  });

  test("tells the page, as status events, when the web loses Redis and when it is back", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const web = await startWeb(server.url, {});
    const publisher = await connectRedis(server.url);
    await publishRecord(publisher, redisKeys(), recordAt(T0));
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${web.url}/`)).body)).toHaveLength(1),
      UNTIL,
    );
    const client = await openSse(`${web.url}/ui/events`);
    onTestFinished(() => client.close());
    await untilPageFrames(client, 1);

    // Killed, not stopped: Redis comes back without the data it had.
    await server.stop();
    await client.until(() => client.statuses.length >= 1, "a status event", 10_000);
    await server.start();
    await client.until(() => client.statuses.length >= 2, "a second status event", 20_000);
    expect(client.statuses).toEqual([
      JSON.stringify({ redis: "reconnecting" }),
      JSON.stringify({ redis: "connected" }),
    ]);

    await vi.waitFor(() => publishRecord(publisher, redisKeys(), recordAt(T0 + 100)), {
      timeout: 10_000,
      interval: 200,
    });
    // An empty Redis has nothing to say about the records shown so far: they stay.
    await client.until(() => tableAfter(pageFrames(client)).length === 2, "the record after", 10_000);
    expect(tableAfter(pageFrames(client))).toEqual([T0 + 100, T0]);
  });

  test("reads from the history what was published while its subscription was down", async () => {
    const server = await startRedisServer();
    onTestFinished(() => server.close());
    const web = await startWeb(server.url, {});
    const keys = redisKeys();
    const admin = await connectRedis(server.url);
    await publishRecord(admin, keys, recordAt(T0));
    const client = await openSse(`${web.url}/events`);
    onTestFinished(() => client.close());
    await client.untilGpsEvents(1);

    // Close the web's subscription and write at once, in one transaction: the message reaches nobody.
    const json = JSON.stringify(recordAt(T0 + 1));
    const [, , id] = await admin
      .multi()
      .clientKill({ filter: "TYPE", type: "pubsub" })
      .set(keys.state, json)
      .xAdd(keys.history, "*", { record: json })
      .exec();
    await admin.publish(keys.channel, JSON.stringify({ id, record: recordAt(T0 + 1) }));

    // The web subscribes again, reads the history after the last record it relayed, and relays it.
    await client.untilGpsEvents(2, 10_000);
    expect(client.gpsEvents.at(-1)).toEqual({ id, record: recordAt(T0 + 1) });
    await vi.waitFor(
      async () => expect(tableTimestamps((await html(`${web.url}/`)).body)).toEqual([T0 + 1, T0]),
      UNTIL,
    );
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
    const client = await ctx.connect("/ui/events");
    await untilPageFrames(client, 1);
    const valid: GpsRecord = recordAt(T0);
    const publish = (message: unknown) => ctx.publisher.publish(ctx.keys.channel, JSON.stringify(message));

    // Markup in place of numbers or of the id: not records, dropped by the relay.
    for (const field of ["timestamp", "latitude", "elevation", "satellites"] as const) {
      await publish({ record: { ...valid, [field]: SCRIPT } });
      await publish({ record: { ...valid, [field]: IMAGE } });
    }
    await publish({ id: IMAGE, record: valid });
    await ctx.publisher.publish(ctx.keys.channel, `${SCRIPT}${IMAGE}`);
    // Markup beside the numbers: a valid record, whose unknown fields are left out.
    await publish({
      id: "1-0",
      record: { ...valid, note: SCRIPT, provider: IMAGE, [IMAGE]: SCRIPT },
      [IMAGE]: 1,
    });
    const [, frame] = await untilPageFrames(client, 2);

    expect(ctx.web.stats()).toMatchObject({ events_relayed: 1, invalid_messages: 10 });
    expect(tableTimestamps(frame?.data ?? "")).toEqual([T0]);
    expectNoMarkup(frame?.data ?? "");
    expectNoMarkup((await html(`${ctx.url}/`)).body);
  });

  test("escapes the instance's name, the one text on the page that does not come from a number", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { instance: `${IMAGE}${SCRIPT}` });
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0));
    const client = await ctx.connect("/ui/events");
    await untilPageFrames(client, 1);
    await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + 1));
    const [snapshot, frame] = await untilPageFrames(client, 2);
    const page = (await html(`${ctx.url}/`)).body;

    for (const text of [page, snapshot?.data ?? "", frame?.data ?? ""]) {
      expectNoMarkup(text);
      expect(text).toContain(
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
      );
    }
  });
});
