import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import path from "node:path";
import { freePort, startNodeProcess, test } from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished } from "vitest";
import { openSse } from "./support/sse-client.ts";

const MAIN = path.resolve(import.meta.dirname, "../src/web/main.ts");

/** `node src/web/main.ts` with the given environment, as a container would run it. */
const runWeb = (env: Record<string, string>) => startNodeProcess(MAIN, { env });

describe("the web process", () => {
  test("exits 0 on SIGTERM, ending the open event streams", async ({ redis }) => {
    const port = await freePort();
    const web = runWeb({ PORT: String(port), REDIS_URL: redis.url });
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status, { timeout: 20_000 })
      .toBe(200);
    const clients = await Promise.all([1, 2, 3].map(() => openSse(`${url}/events`)));
    for (const client of clients) await client.until(() => client.frames.length > 0, "the retry frame");

    web.child.kill("SIGTERM");
    expect(await web.exited).toEqual({ code: 0, signal: null });
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
    // One line per connection for the outage, not one per reconnection attempt.
    expect(web.stderr().match(/^web: cannot reach redis at /gm)).toHaveLength(1);
    expect(web.stderr().match(/^web \(subscription\): cannot reach redis at /gm)).toHaveLength(1);
  });

  test("exits 1 with one line, and does not claim to listen, when its port is taken", async ({ redis }) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;

    const web = runWeb({ PORT: String(port), REDIS_URL: redis.url });

    expect((await web.exited).code).toBe(1);
    expect(web.stderrLines().filter((line) => line.startsWith("web:") && !line.includes("redis"))).toEqual([
      expect.stringMatching(new RegExp(`^web: cannot listen on port ${port}: .*EADDRINUSE`)),
    ]);
    expect(web.stderr()).not.toContain("listening");
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
