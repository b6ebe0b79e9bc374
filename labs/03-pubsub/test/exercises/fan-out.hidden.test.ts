import { test } from "@gps-workshop/shared/testing";
import { describe, expect, vi } from "vitest";
import { webTest } from "../support/context.ts";
import { stateValue } from "../support/page-html.ts";
import { historyIds, publishRecord, recordAt } from "../support/records.ts";
import { type EventStream, logTail, openEventStream } from "./support.ts";

const T0 = 1_773_504_000;

describe("lab03.fan-out", () => {
  test("gives each record once, in order, to clients that connect while records stream in, and to the page", async ({
    redis,
  }) => {
    const ctx = await webTest(redis, { snapshotLength: 1000 });
    const context = () => logTail("web", ctx.logs);
    const page = await openEventStream(`${ctx.url}/ui/events`, { context });
    const connecting: Promise<EventStream>[] = [];
    for (let i = 0; i < 200; i++) {
      // Each client's history is read while live records keep coming: the hand-over between them.
      if (i % 25 === 10) connecting.push(openEventStream(`${ctx.url}/events`, { context }));
      await publishRecord(ctx.publisher, ctx.keys, { ...recordAt(T0 + i), satellites: i % 50 });
    }
    const ids = await historyIds(ctx.publisher, ctx.keys);

    for (const client of await Promise.all(connecting)) {
      expect((await client.until("gps_state", ids.length)).map(({ id }) => id)).toEqual(ids);
    }
    // The page's frames are its unnamed events: the newest shows the last record.
    await vi.waitFor(
      () => expect(stateValue(page.events.at(-1)?.data ?? "", "satellites"), context()).toBe("49"),
      { timeout: 3000 },
    );
  });
});
