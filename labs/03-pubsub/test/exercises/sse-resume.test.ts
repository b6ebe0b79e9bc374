import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { type WebTestContext, webTest } from "../support/context.ts";
import { publishRecord, recordAt } from "../support/records.ts";
import { logTail, openEventStream } from "./support.ts";

// lab03.sse-resume: the web in this process against the test's Redis, and /events read as a
// browser's EventSource reads it. The records are in the history before a client connects.

const T0 = 1_773_504_000;

/** Opens /events; a wait that fails says what the web logged. */
const events = (ctx: WebTestContext, query = "", headers: Record<string, string> = {}) =>
  openEventStream(`${ctx.url}/events${query}`, { headers, context: () => logTail("web", ctx.logs) });

/** `count` records written and published as the replayer does; their history entry ids. */
async function publishRecords(ctx: WebTestContext, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));
  return ids;
}

describe("lab03.sse-resume", () => {
  test("frames each record as its event name, its id and its data, then a blank line", async ({ redis }) => {
    const ctx = await webTest(redis);
    const ids = await publishRecords(ctx, 3);

    const stream = await events(ctx);

    expect(await stream.until("gps_state", 3)).toEqual(
      ids.map((id, i) => ({
        event: "gps_state",
        id,
        data: JSON.stringify(recordAt(T0 + i), GPS_RECORD_FIELDS),
        dataLines: 1,
      })),
    );
  });

  test("splits a payload of several lines into one data line each", async ({ redis }) => {
    const ctx = await webTest(redis);
    const stream = await events(ctx);
    // Alerts are relayed as they were published: this one is indented over five lines.
    const alert = JSON.stringify({ type: "speeding", speed_kmh: 31.5, limit_kmh: 25 }, null, 2);

    await ctx.publisher.publish(ctx.keys.alerts, alert);

    expect(await stream.until("alert", 1)).toEqual([{ event: "alert", data: alert, dataLines: 5 }]);
  });

  test("sends only the history entries after Last-Event-ID, from the header or ?lastEventId=", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const ids = await publishRecords(ctx, 5);

    const [byHeader, byQuery, tooOld] = await Promise.all([
      events(ctx, "", { "Last-Event-ID": ids[2] ?? "" }),
      events(ctx, `?lastEventId=${ids[3]}`),
      // Older than the whole history: the history.
      events(ctx, "", { "Last-Event-ID": "1-0" }),
    ]);

    const idsOf = async (stream: typeof byHeader, count: number) =>
      (await stream.until("gps_state", count)).map(({ id }) => id);
    expect(await idsOf(byHeader, 2)).toEqual(ids.slice(3));
    expect(await idsOf(byQuery, 1)).toEqual(ids.slice(4));
    expect(await idsOf(tooOld, 5)).toEqual(ids);
  });
});
