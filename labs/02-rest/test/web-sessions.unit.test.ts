import { randomUUID } from "node:crypto";
import { gpsRecord, tableTimestamps } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import type { WebOptions } from "../src/web/app.ts";
import { startFakeApi } from "./support/web-fake-api.ts";
import { startWeb } from "./support/web-server.ts";

// What the web remembers of each open page, seen as a page sees it: through its polls.

/** The web in front of a fake API; `poll(page, timestamp)` has the API give that record, then polls. */
async function startPolling(options: Omit<WebOptions, "apiUrl" | "log"> = {}) {
  const fake = await startFakeApi();
  const web = await startWeb({ ...options, apiUrl: fake.url });
  return async (page: string, timestamp: number) => {
    fake.answer("GET /gps_state", { status: 200, body: JSON.stringify(gpsRecord({ timestamp })) });
    return tableTimestamps((await web.html(`/poll?page=${page}&period=5`)).body);
  };
}

describe("a page's samples", () => {
  it("are shown newest first, once per timestamp", async () => {
    const poll = await startPolling();
    const page = randomUUID();

    for (const timestamp of [1, 2, 2]) await poll(page, timestamp);

    expect(await poll(page, 3)).toEqual([3, 2, 1]);
  });

  it("take a late record in its place (the replayer was restarted), still once", async () => {
    const poll = await startPolling();
    const page = randomUUID();
    for (const timestamp of [10, 20, 30, 15, 20]) await poll(page, timestamp);

    expect(await poll(page, 5)).toEqual([30, 20, 15, 10, 5]);
  });

  it("are bounded: past the limit, the oldest go", async () => {
    const poll = await startPolling({ sessions: { maxSamples: 3 } });
    const page = randomUUID();
    for (const timestamp of [1, 2, 3, 4]) await poll(page, timestamp);

    expect(await poll(page, 5)).toEqual([5, 4, 3]);
  });
});

describe("the pages the web remembers", () => {
  it("are each a table of their own", async () => {
    const poll = await startPolling();
    const [a, b] = [randomUUID(), randomUUID()];
    await poll(a, 1);

    expect(await poll(b, 2)).toEqual([2]);
    expect(await poll(a, 3)).toEqual([3, 1]);
  });

  it("are bounded: beyond the limit, the page polled least recently starts again", async () => {
    const poll = await startPolling({ sessions: { maxPages: 2 } });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await poll(a, 1);
    await poll(b, 1);
    await poll(a, 2); // a is now more recent than b

    await poll(c, 3);

    expect(await poll(a, 4)).toEqual([4, 2, 1]);
    expect(await poll(b, 5)).toEqual([5]);
  });

  it("forget a page that has not polled for the idle time, and only that one", async () => {
    let now = 1_700_000_000_000;
    const poll = await startPolling({ sessions: { idleMs: 60_000 }, now: () => now });
    const [idle, active] = [randomUUID(), randomUUID()];
    await poll(idle, 1);
    now += 30_000;
    await poll(active, 1);
    now += 30_000;
    await poll(active, 2);

    now += 1; // 60 001 ms since idle last polled

    expect(await poll(active, 3)).toEqual([3, 2, 1]);
    expect(await poll(idle, 4)).toEqual([4]);
  });
});
