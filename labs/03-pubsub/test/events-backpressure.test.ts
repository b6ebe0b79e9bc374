import { connect, type Socket } from "node:net";
import { test } from "@gps-workshop/shared/testing";
import { expect, onTestFinished } from "vitest";
import { webTest } from "./support/context.ts";
import { recordAt } from "./support/records.ts";

const T0 = 1_700_000_000;
const QUEUE_BOUND = 64 * 1024;

/** A client that sends its request and then never reads a byte of the response. */
function stalledClient(url: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) }, () => {
    socket.write(`GET /events HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
  });
  socket.pause();
  socket.on("error", () => {});
  onTestFinished(() => {
    socket.destroy();
  });
  return socket;
}

test("a client that stops reading neither delays the others nor grows the server's memory; it is dropped", async ({
  redis,
}) => {
  const ctx = await webTest(redis, { maxQueueBytes: QUEUE_BOUND });
  const healthy = await ctx.connect();
  stalledClient(ctx.url);
  await expect.poll(() => ctx.web.stats().clients).toBe(2);

  // Publish in batches until the stalled client's queue passes the bound: first the kernel's
  // socket buffers fill up, then Node's, then the queue. The healthy client must keep up all along.
  const batchLatencies: number[] = [];
  let published = 0;
  const deadline = performance.now() + 30_000;
  while (ctx.web.stats().slow_clients_dropped === 0) {
    expect(performance.now(), "the stalled client was never dropped").toBeLessThan(deadline);
    const batch = Array.from({ length: 200 }, () => {
      published++;
      return JSON.stringify({ id: `${published}-0`, record: recordAt(T0 + published) });
    });
    const sentAt = performance.now();
    await Promise.all(batch.map((json) => ctx.publisher.publish(ctx.keys.channel, json)));
    await healthy.untilGpsEvents(published, 2000);
    batchLatencies.push(performance.now() - sentAt);
    expect(ctx.web.stats().queued_bytes).toBeLessThanOrEqual(QUEUE_BOUND);
  }

  expect(ctx.web.stats()).toMatchObject({ slow_clients_dropped: 1, queued_bytes: 0 });
  await expect.poll(() => ctx.web.stats().clients).toBe(1);
  expect(healthy.gpsEvents).toHaveLength(published);
  expect(Math.max(...batchLatencies)).toBeLessThan(1000);
  expect(ctx.logs).toContainEqual(expect.stringContaining("disconnected a client that stopped reading"));

  // The healthy client is still served after the drop.
  published++;
  await ctx.publisher.publish(
    ctx.keys.channel,
    JSON.stringify({ id: `${published}-0`, record: recordAt(T0) }),
  );
  await healthy.untilGpsEvents(published);
});
