import path from "node:path";
import { freePort, startNodeProcess, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { openSse } from "./support/sse-client.ts";

const MAIN = path.resolve(import.meta.dirname, "../src/web/main.ts");

/** `node src/web/main.ts` with the given environment, as a container would run it. */
const runWeb = (env: Record<string, string>) => startNodeProcess(MAIN, { env });

describe("the web process", () => {
  test("exits 0 within a second of SIGTERM, ending the open event streams", async ({ redis }) => {
    const port = await freePort();
    const web = runWeb({ PORT: String(port), REDIS_URL: redis.url });
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status, { timeout: 20_000 })
      .toBe(200);
    const clients = await Promise.all([1, 2, 3].map(() => openSse(`${url}/events`)));
    for (const client of clients) await client.until(() => client.frames.length > 0, "the retry frame");

    const signalledAt = performance.now();
    web.child.kill("SIGTERM");
    const { code } = await web.exited;
    expect(code).toBe(0);
    expect(performance.now() - signalledAt).toBeLessThan(1000);
    for (const client of clients) await client.ended;
    expect(web.stderr()).toContain("web: SIGTERM received, shutting down");
  });

  test("runs without Redis, alive but not ready, and still exits 0 on SIGTERM", async () => {
    const [port, nobody] = await Promise.all([freePort(), freePort()]);
    const web = runWeb({ PORT: String(port), REDIS_URL: `redis://127.0.0.1:${nobody}` });
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status, { timeout: 20_000 })
      .toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 503, detail: "the Redis connection is not ready" });

    web.child.kill("SIGTERM");
    expect((await web.exited).code).toBe(0);
    // One line for the outage, not one per reconnection attempt.
    expect(web.stderr().match(/web: redis unavailable/g)).toHaveLength(1);
  });

  test.each([
    ["PORT", "70000"],
    ["REDIS_URL", "localhost:6379"],
    ["SNAPSHOT_LENGTH", "2.5"],
    ["HEARTBEAT_MS", "often"],
  ])("exits 2 with one line naming %s when it is %s", async (name, value) => {
    const web = runWeb({ [name]: value });
    const { code } = await web.exited;
    expect(code).toBe(2);
    const lines = web.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^web: bad configuration: ${name}: `));
  });
});
