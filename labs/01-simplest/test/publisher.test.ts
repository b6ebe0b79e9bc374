import { createServer, type Server } from "node:net";
import { hostname } from "node:os";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it, vi } from "vitest";
import { startListener, startService, WAIT } from "./support/processes.ts";

const publisherEnv = (port: number, extra: Record<string, string> = {}) => ({
  LISTENER_HOST: "127.0.0.1",
  LISTENER_PORT: String(port),
  PUBLISH_INTERVAL_MS: "20",
  ...extra,
});

/** A bare TCP server standing in for the listener: collects what publishers send. */
async function collector(port: number): Promise<{ server: Server; received(): string }> {
  let received = "";
  const server = createServer((socket) => {
    socket.setEncoding("utf8").on("data", (text: string) => {
      received += text;
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, received: () => received };
}

describe("the publisher", () => {
  it("sends 'Hello from <PUB_NAME>! <time>' lines at the configured interval", async () => {
    const port = await freePort();
    const listener = await collector(port);
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "alice" }));

    await vi.waitFor(() => expect(listener.received().split("\n").length).toBeGreaterThan(5), WAIT);
    const [first, second] = listener.received().split("\n");
    expect(first).toMatch(/^Hello from alice! \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const gap = Date.parse(second?.split("! ")[1] ?? "") - Date.parse(first?.split("! ")[1] ?? "");
    expect(gap).toBeGreaterThanOrEqual(15);
    expect(publisher.stderr()).toContain("publisher: connected to 127.0.0.1:");
    await publisher.stop();
    listener.server.close();
  });

  it("names itself after the hostname when PUB_NAME is not set", async () => {
    const port = await freePort();
    const listener = await collector(port);
    startService("publisher", publisherEnv(port));

    await vi.waitFor(() => expect(listener.received()).toContain(`Hello from ${hostname()}! `), WAIT);
    listener.server.close();
  });

  it("waits for a listener that is not up yet, saying so once, then publishes", async () => {
    const port = await freePort();
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "early" }));
    await vi.waitFor(
      () => expect(publisher.stderr()).toContain(`cannot reach 127.0.0.1:${port} (ECONNREFUSED)`),
      WAIT,
    );

    const listener = await startListener(port);
    await vi.waitFor(() => expect(listener.lines()[0]).toMatch(/^Hello from early! /), WAIT);
    // However many attempts were refused before the listener came up, one line said so.
    expect(publisher.stderr().match(/cannot reach/g)).toHaveLength(1);
    expect(publisher.stderr()).toMatch(/cannot reach .*\n.*connected to 127\.0\.0\.1:\d+\n$/);
  });

  it("reconnects after the listener restarts, and its lines arrive again", async () => {
    const port = await freePort();
    const first = await startListener(port);
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "survivor" }));
    await vi.waitFor(() => expect(first.lines().length).toBeGreaterThan(2), WAIT);

    expect(await first.stop()).toMatchObject({ code: 0 });
    await vi.waitFor(() => expect(publisher.stderr()).toContain(`lost 127.0.0.1:${port}`), WAIT);
    const second = await startListener(port);

    await vi.waitFor(() => expect(second.lines().length).toBeGreaterThan(2), WAIT);
    for (const line of second.lines()) expect(line).toMatch(/^Hello from survivor! /);
    expect(publisher.stderr().match(/connected to/g)).toHaveLength(2);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("exits 0 within 1 s on %s while connected", async (signal) => {
    const port = await freePort();
    const listener = await startListener(port);
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "leaver" }));
    await vi.waitFor(() => expect(listener.lines().length).toBeGreaterThan(0), WAIT);

    const exit = await publisher.stop(signal);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(1000);
    // The listener saw a clean end of stream, not a reset.
    await vi.waitFor(() => expect(listener.stderr()).toMatch(/left after \d+ lines/), WAIT);
    expect(listener.stderr()).not.toMatch(/ECONNRESET/);
  });

  it("exits 0 within 1 s on SIGTERM while it is still retrying", async () => {
    const port = await freePort();
    const publisher = startService("publisher", publisherEnv(port));
    await vi.waitFor(() => expect(publisher.stderr()).toContain("cannot reach"), WAIT);

    const exit = await publisher.stop();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(1000);
  });

  it("stops at once with exit code 2 and one line naming a bad PUBLISH_INTERVAL_MS", async () => {
    const publisher = startService("publisher", { PUBLISH_INTERVAL_MS: "often" });
    expect(await publisher.exited).toMatchObject({ code: 2 });
    expect(publisher.stderr()).toBe(
      'publisher: PUBLISH_INTERVAL_MS must be a whole number from 1 to 3600000, got "often"\n',
    );
  });
});
