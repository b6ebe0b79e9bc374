import { launchBrowser, test } from "@gps-workshop/shared/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, vi } from "vitest";
import { axeViolations } from "./support/axe.ts";
import { type WebTestContext, webTest } from "./support/context.ts";
import { publishRecord, recordAt } from "./support/records.ts";

// The page in a real browser (Chromium, headless), with the web in this process: what htmx
// makes of the frames, and what axe-core makes of the page.

const T0 = 1_700_000_000;
const UNTIL = { timeout: 10_000, interval: 50 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function openPage(ctx: WebTestContext): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // Offline, the OpenStreetMap tiles fail to load: expected, and the SVG drawing shows.
    if (message.type() === "error" && !message.location().url.includes("tile.openstreetmap.org")) {
      errors.push(message.text());
    }
  });
  await page.goto(ctx.url);
  await vi.waitFor(
    async () => expect(await page.getAttribute("#connection", "data-state")).toBe("connected"),
    UNTIL,
  );
  return { page, errors };
}

const rows = (page: Page) =>
  page.$$eval("#samples tbody tr", (trs) => trs.map((tr) => Number(tr.getAttribute("data-timestamp"))));

describe("the page, in a browser", () => {
  test("keeps the newest 50 rows in order, and the state card and charts on the newest record, as frames arrive", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    for (let i = 0; i < 30; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    const { page, errors } = await openPage(ctx);

    // Faster than the page's four frames a second: each frame brings several rows.
    for (let i = 30; i < 200; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));

    const newest = Array.from({ length: 50 }, (_, i) => T0 + 199 - i);
    await vi.waitFor(async () => expect(await rows(page)).toEqual(newest), UNTIL);
    expect(await page.textContent("#samples-title .count")).toBe("(200)");
    expect(await page.textContent("#samples caption")).toBe("Newest first: the 50 newest of 200.");
    expect(await page.textContent('#state-card [data-field="timestamp"] .value')).toBe("2023-11-14 22:16:39");
    for (const id of ["chart-distance", "chart-speed", "chart-elevation"]) {
      const points = (await page.getAttribute(`#${id} polyline`, "points")) ?? "";
      expect(points.trim().split(/\s+/).length, id).toBe(30);
    }
    expect(await page.textContent("#last-update")).toMatch(
      /^\s*Record of 2023-11-14 22:16:39 UTC, pushed by/,
    );
    expect(errors).toEqual([]);
  });

  test("starts the table over when the track does", async ({ redis }) => {
    const ctx = await webTest(redis);
    for (let i = 0; i < 10; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    const { page } = await openPage(ctx);
    await vi.waitFor(async () => expect(await rows(page)).toHaveLength(10), UNTIL);

    for (const i of [0, 1, 2]) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));

    await vi.waitFor(async () => expect(await rows(page)).toEqual([T0 + 2, T0 + 1, T0]), UNTIL);
    expect(await page.textContent("#samples-title .count")).toBe("(3)");
  });

  test("breaks no rule of axe-core, before the first record and with records", async ({ redis }) => {
    const ctx = await webTest(redis);
    const { page } = await openPage(ctx);
    expect(await axeViolations(page)).toEqual([]);

    for (let i = 0; i < 60; i++) await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i));
    await vi.waitFor(async () => expect(await rows(page)).toHaveLength(50), UNTIL);
    expect(await axeViolations(page)).toEqual([]);
  });
});
