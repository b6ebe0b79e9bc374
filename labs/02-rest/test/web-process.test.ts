import path from "node:path";
import { freePort, startNodeProcess } from "@gps-workshop/shared/testing";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { startSilentApi } from "./support/web-fake-api.ts";

const WEB = path.resolve(import.meta.dirname, "../src/web/main.ts");

/** Runs the web as students and containers do: `node src/web/main.ts`, configured by `env`. */
const spawnWeb = (env: Record<string, string>) => startNodeProcess(WEB, { env });

describe("the web process", () => {
  it("serves on PORT, and on SIGTERM answers a blocking request in progress with 503, then exits 0", async () => {
    // An API that never answers: the blocking request waits for good.
    const api = await startSilentApi();
    onTestFinished(() => api.close());
    const port = await freePort();
    const web = spawnWeb({ PORT: String(port), API_URL: api.url });
    await web.waitForStderr(`web: listening on http://localhost:${port}`, 10_000);
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    const pending = fetch(`http://localhost:${port}/avg-speed?seconds=60`);
    // The request has gone through the web to the API, which sits on it.
    await vi.waitFor(() => expect(api.connections()).toBe(1));

    web.child.kill("SIGTERM");
    const answer = await pending;

    expect(answer.status).toBe(503);
    expect(await answer.text()).toContain('<p class="problem">The web service is shutting down.</p>');
    expect(await web.exited).toEqual({ code: 0, signal: null });
    expect(web.stderrLines()).toContain("web: SIGTERM received, shutting down");
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
