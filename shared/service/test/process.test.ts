import { createServer } from "node:net";
import path from "node:path";
import { freePort, startNodeProcess } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";

const entry = path.join(import.meta.dirname, "fixtures/service.ts");

async function startService(env: Record<string, string> = {}) {
  const port = await freePort();
  const service = startNodeProcess(entry, { env: { PORT: String(port), ...env } });
  await service.waitForStderr(`demo: listening on http://localhost:${port}`);
  return service;
}

describe("a service's process", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("on %s, says so, closes, and exits 0", async (signal) => {
    const service = await startService();
    service.child.kill(signal);
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.stderrLines()).toEqual(
      expect.arrayContaining([`demo: ${signal} received, shutting down`, "demo: closed"]),
    );
  });

  it("exits 1 and says why when its close hangs past the delay", async () => {
    const service = await startService({ CLOSE: "hang" });
    service.child.kill("SIGTERM");
    expect((await service.exited).code).toBe(1);
    expect(service.stderr()).toContain("demo: shutdown took longer than 300 ms, exiting anyway");
  });

  it("exits 1 when its close fails", async () => {
    const service = await startService({ CLOSE: "fail" });
    service.child.kill("SIGTERM");
    expect((await service.exited).code).toBe(1);
  });

  it("stops with one line and exit 1 when its port is taken", async () => {
    const taken = createServer().listen(0);
    await new Promise((resolve) => taken.once("listening", resolve));
    const address = taken.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const service = startNodeProcess(entry, { env: { PORT: String(port) } });
      expect((await service.exited).code).toBe(1);
      expect(service.stderrLines()).toEqual([
        expect.stringMatching(`^demo: cannot listen on port ${port}: .*EADDRINUSE`),
      ]);
    } finally {
      taken.close();
    }
  });
});
