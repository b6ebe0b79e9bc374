import path from "node:path";
import { freePort, startNodeProcess } from "@gps-workshop/shared/testing";
import { describe, expect, it, vi } from "vitest";
import { startSilentApi } from "./support/web-fake-api.ts";

const WEB = path.resolve(import.meta.dirname, "../src/web/main.ts");

/** Runs the web as students and containers do: `node src/web/main.ts`, configured by `env`. */
const spawnWeb = (env: Record<string, string>) => startNodeProcess(WEB, { env });

describe("the web process", () => {
  it("serves on PORT and exits 0 within a second of SIGTERM, even with a blocking request in progress", async () => {
    // An API that never answers: the blocking request waits for good.
    const api = await startSilentApi();
    const port = await freePort();
    const web = spawnWeb({ PORT: String(port), API_URL: api.url });
    await web.waitForStderr(`web: listening on http://localhost:${port}`, 10_000);
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    const pending = fetch(`http://localhost:${port}/avg-speed?seconds=60`).catch(() => undefined);
    // The request has gone through the web to the API, which sits on it.
    await vi.waitFor(() => expect(api.connections()).toBe(1));

    const started = performance.now();
    web.child.kill("SIGTERM");
    const { code } = await web.exited;

    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(web.stderr()).toContain("web: SIGTERM received, shutting down");
    await pending;
    api.close();
  });

  it("stops at once with one line naming a bad variable, and exit code 2", async () => {
    const web = spawnWeb({ API_URL: "ftp://api:8000" });

    const { code } = await web.exited;

    expect(code).toBe(2);
    expect(web.stderr().trim().split("\n")).toEqual([
      expect.stringMatching(/^web: bad configuration: API_URL: .* \(got "ftp:\/\/api:8000"\)$/),
    ]);
  });
});
