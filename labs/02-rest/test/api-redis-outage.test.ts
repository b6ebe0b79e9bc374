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

describe("when Redis is unreachable", () => {
  // Redis stays down until server.start() below: a request that waited for it would never be answered.
  it("answers 503 problem JSON with Retry-After meanwhile, then recovers by itself when Redis is back", async () => {
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
      const response = await fetch(`${api.url}${path}`, { method });
      const problem = await expectProblem(response, 503);
      expect(problem.detail).toMatch(/^Redis is unavailable/);
      expect(response.headers.get("retry-after")).toBe("1");
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
    expect(api.logs.filter((line) => line.startsWith("api: cannot reach redis"))).toHaveLength(1);
    expect(api.logs.filter((line) => line.startsWith("api: reconnected to redis"))).toHaveLength(1);
  });

  it("answers a blocking request with 503 problem JSON as soon as Redis goes away mid-window", async () => {
    const api = await startApi({ url: server.url, prefix: "" });
    await writeRecord(api.writer, api.keys, gpsRecord());
    const watch = await watchRedis(server.url);
    const writer = await clientAddress(api.writer);
    const response = fetch(`${api.url}/compute_avg_speed?time_window_seconds=60`);
    await eventually(() =>
      expect(watch.commandsOn(api.keys.history, writer).map(({ args }) => args[0])).toContain("XREAD"),
    );

    await server.stop();
    await watch.close();

    // Well before the 60-s window is over (the test would time out first).
    const problem = await expectProblem(await response, 503);
    expect(problem.detail).toMatch(/^Redis is unavailable/);
    await server.start();
  });

  it("answers /readyz 503 within a second when Redis accepts connections but does not answer", async () => {
    const api = await startApi({ url: server.url, prefix: "" });
    await eventually(async () => expect((await fetch(`${api.url}/readyz`)).status).toBe(200), {
      timeout: 15_000,
      interval: 200,
    });

    // Redis answers nothing for 2 s, but keeps its connections open.
    await api.writer.sendCommand(["CLIENT", "PAUSE", "2000", "ALL"]);

    const problem = await expectProblem(await fetch(`${api.url}/readyz`), 503);
    expect(problem.detail).toMatch(/^Redis is unavailable/);
  });
});
