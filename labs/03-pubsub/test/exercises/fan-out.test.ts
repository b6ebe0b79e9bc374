import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { type WebTestContext, webTest } from "../support/context.ts";
import { publishRecord, recordAt } from "../support/records.ts";
import { getJson } from "../support/web.ts";
import { logTail, openEventStream } from "./support.ts";

// lab03.fan-out: the web in this process against the test's Redis; clients of /events connect
// before the records are published, so that each record reaches them live.

const T0 = 1_773_504_000;

const connect = (ctx: WebTestContext, count: number) =>
  Promise.all(
    Array.from({ length: count }, () =>
      openEventStream(`${ctx.url}/events`, { context: () => logTail("web", ctx.logs) }),
    ),
  );

describe("lab03.fan-out", () => {
  test("sends each record published to every one of 20 clients, once and in order, with its id", async ({
    redis,
  }) => {
    const ctx = await webTest(redis);
    const clients = await connect(ctx, 20);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await publishRecord(ctx.publisher, ctx.keys, recordAt(T0 + i)));

    for (const client of clients) {
      const received = await client.until("gps_state", 5);
      expect(received.map(({ id }) => id)).toEqual(ids);
      expect(received.map(({ data }) => JSON.parse(data).timestamp - T0)).toEqual([0, 1, 2, 3, 4]);
    }
  });

  test("holds one subscription for all its clients, and forgets those that disconnect", async ({ redis }) => {
    const ctx = await webTest(redis);
    const clients = await connect(ctx, 10);
    expect(await ctx.publisher.pubSubNumSub(ctx.keys.channel)).toEqual({ [ctx.keys.channel]: 1 });

    for (const client of clients.slice(5)) client.close();
    await expect.poll(async () => (await getJson(`${ctx.url}/stats`)).body).toMatchObject({ clients: 5 });
    const id = await publishRecord(ctx.publisher, ctx.keys, recordAt(T0));

    for (const client of clients.slice(0, 5)) {
      expect((await client.until("gps_state", 1)).map((event) => event.id)).toEqual([id]);
    }
    expect(await ctx.publisher.pubSubNumSub(ctx.keys.channel)).toEqual({ [ctx.keys.channel]: 1 });
  });
});
