import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { type WebTestContext, webTest } from "../support/context.ts";
import { publishRecord, recordAt } from "../support/records.ts";
import { logTail, openEventStream } from "./support.ts";

const T0 = 1_773_504_000;

const events = (ctx: WebTestContext, headers: Record<string, string> = {}) =>
  openEventStream(`${ctx.url}/events`, { headers, context: () => logTail("web", ctx.logs) });

describe("lab03.sse-resume", () => {
  test("sends the newest entries after an id far behind, found by id when timestamps repeat", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { snapshotLength: 4 });
    // The replayer started its track again: the timestamps of the first five records come back.
    const ids: string[] = [];
    for (const i of [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]) {
      ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));
    }

    const [farBehind, near] = await Promise.all([
      events(ctx, { "Last-Event-ID": ids[1] ?? "" }),
      events(ctx, { "Last-Event-ID": ids[6] ?? "" }),
    ]);

    // At most snapshotLength of them, the newest: the live records that follow leave no gap.
    expect((await farBehind.until("gps_state", 4)).map(({ id }) => id)).toEqual(ids.slice(6));
    const resumed = await near.until("gps_state", 3);
    expect(resumed.map(({ id }) => id)).toEqual(ids.slice(7));
    expect(resumed.map(({ data }) => JSON.parse(data).timestamp - T0)).toEqual([2, 3, 4]);
  });

  test("splits the data at a lone carriage return too, and gives an event without an id no id line", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const stream = await events(ctx);
    // JSON allows a carriage return between its tokens; a browser ends a line there.
    const alert = '{"type":"cr",\r"speed_kmh":31.5}';

    await ctx.publisher.publish(ctx.keys.alerts, alert);

    expect(await stream.until("alert", 1)).toEqual([
      { event: "alert", data: '{"type":"cr",\n"speed_kmh":31.5}', dataLines: 2 },
    ]);
  });
});
