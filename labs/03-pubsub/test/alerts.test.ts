import { test } from "@gps-workshop/shared/testing";
import { describe, expect, vi } from "vitest";
import { webTest } from "./support/context.ts";
import { expectValidHtml, outOfBand, pageFrames } from "./support/page-html.ts";

// The web's second channel, gps_alerts (what services of your own publish, such as the speed
// alerts), against a real Redis: relayed to /events and to the page's Alerts panel.

const SCRIPT = "<script>alert(1)</script>";
const UNTIL = { timeout: 5000, interval: 20 };

const page = async (url: string) => (await fetch(url)).text();
const alertItems = (html: string) => [...html.matchAll(/<li data-type="([^"]*)"/g)].map(([, type]) => type);

describe("gps_alerts", () => {
  test("relays each alert to /events as it was published, and to the page at the top of its Alerts panel", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const [events, frames] = await Promise.all([ctx.connect(), ctx.connect("/ui/events")]);
    const alert = JSON.stringify({ type: "speeding", speed_kmh: 30.6, limit_kmh: 25, note: SCRIPT });

    await ctx.publisher.publish(ctx.keys.alerts, alert);

    await events.until(() => events.frames.some((frame) => frame.event === "alert"), "an alert");
    expect(events.frames.find((frame) => frame.event === "alert")).toMatchObject({ data: alert });
    await frames.until(() => pageFrames(frames).length >= 2, "the alert's frame");
    const data = pageFrames(frames)[1]?.data ?? "";
    expect(outOfBand(data)).toEqual({
      "#alert-list li:nth-child(n+10)": "delete",
      "#alert-list": "afterbegin",
    });
    expect(data).toContain("<strong>speeding</strong> · speed_kmh 30.6 · limit_kmh 25 · note &lt;script&gt;");
    expect(data).not.toContain(SCRIPT);
  });

  test("shows the newest 10 alerts, newest first, to a page that loads", async ({ redis }) => {
    const ctx = await webTest(redis);
    for (let i = 0; i < 12; i++)
      await ctx.publisher.publish(ctx.keys.alerts, JSON.stringify({ type: `a${i}` }));

    await vi.waitFor(async () => expect(alertItems(await page(ctx.url))[0]).toBe("a11"), UNTIL);
    const html = await page(ctx.url);
    expect(alertItems(html)).toEqual(["a11", "a10", "a9", "a8", "a7", "a6", "a5", "a4", "a3", "a2"]);
    await expectValidHtml(html);
  });

  test("ignores a message that is not a JSON object with a type, and logs one line for a burst", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    for (const message of [
      "not json",
      "[1]",
      JSON.stringify({ type: "" }),
      JSON.stringify({ type: "x".repeat(5000) }),
    ]) {
      await ctx.publisher.publish(ctx.keys.alerts, message);
    }
    await ctx.publisher.publish(ctx.keys.alerts, JSON.stringify({ type: "valid" }));

    await vi.waitFor(async () => expect(alertItems(await page(ctx.url))).toEqual(["valid"]), UNTIL);
    expect(ctx.logs.filter((line) => line.includes("gps_alerts"))).toEqual([
      `web: ignored an invalid message on ${ctx.keys.alerts}: expected a JSON object of 4 KB at most, with a "type" of 1 to 60 characters`,
    ]);
  });
});
