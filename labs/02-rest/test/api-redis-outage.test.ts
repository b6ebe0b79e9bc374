import { gpsRecord, type RedisServer, startRedisServer } from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./support/api-eventually.ts";
import { expectProblem } from "./support/api-problem.ts";
import { writeRecord } from "./support/api-records.ts";
import { clientAddress, watchRedis } from "./support/api-redis-watch.ts";
import { startApi } from "./support/api-server.ts";

// A Redis of this file's own, to stop and start again.
let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
});

/** Fetches and says how long the answer took, in ms. */
async function timedFetch(url: string, init?: RequestInit): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  return { response, ms: performance.now() - started };
}

describe("when Redis is unreachable", () => {
  it("answers 503 problem JSON at once, then recovers by itself when Redis is back", async () => {
    const api = await startApi({ url: server.url, prefix: "" });
    await writeRecord(api.writer, api.keys, gpsRecord());
    expect((await fetch(`${api.url}/gps_state`)).status).toBe(200);

    await server.stop();

    await eventually(async () => expect((await fetch(`${api.url}/readyz`)).status).toBe(503), {
      timeout: 5000,
    });
    for (const [method, path] of [
      ["GET", "/gps_state"],
      ["GET", "/readyz"],
      ["GET", "/compute_avg_speed?time_window_seconds=10"],
      ["POST", "/request_to_compute_avg_speed?time_window_seconds=10"],
      ["GET", "/get_avg_speed_task_status?task_id=6b1f4c1e-8d4f-4c39-9a57-2b7f1c2d3e4f"],
    ]) {
      const { response, ms } = await timedFetch(`${api.url}${path}`, { method });
      const problem = await expectProblem(response, 503);
      expect(problem.detail).toMatch(/^Redis is unavailable/);
      expect(ms).toBeLessThan(1000);
    }
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

    await server.start();

    await eventually(async () => expect((await fetch(`${api.url}/readyz`)).status).toBe(200), {
      timeout: 15_000,
      interval: 200,
    });
    // The restarted Redis kept nothing: no state until the replayer writes again.
    await expectProblem(await fetch(`${api.url}/gps_state`), 503);
    await eventually(() => writeRecord(api.writer, api.keys, gpsRecord()), {
      timeout: 15_000,
      interval: 200,
    });
    expect((await fetch(`${api.url}/gps_state`)).status).toBe(200);
    // One line when the connection was lost and one when it was back, not one per retry.
    expect(api.logs.filter((line) => line.includes("unavailable"))).toHaveLength(1);
    expect(api.logs.filter((line) => line.includes("connected"))).toHaveLength(2);
  });

  it("answers a blocking request with 503 problem JSON as soon as Redis goes away mid-window", async () => {
    const api = await startApi({ url: server.url, prefix: "" });
    await writeRecord(api.writer, api.keys, gpsRecord());
    const watch = await watchRedis(server.url);
    const writer = await clientAddress(api.writer);
    const response = timedFetch(`${api.url}/compute_avg_speed?time_window_seconds=60`);
    await eventually(() =>
      expect(watch.commandsOn(api.keys.history, writer).map(({ args }) => args[0])).toContain("XREAD"),
    );

    const stopping = performance.now();
    await server.stop();
    await watch.close();

    const { response: answer } = await response;
    const problem = await expectProblem(answer, 503);
    expect(problem.detail).toMatch(/^Redis is unavailable/);
    expect(performance.now() - stopping).toBeLessThan(3000);
    await server.start();
  });
});
