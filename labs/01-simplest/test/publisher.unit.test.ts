import { createServer, type Server, type Socket } from "node:net";
import { hostname } from "node:os";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { startListener, startService, WAIT } from "./support/processes.ts";

const publisherEnv = (port: number, extra: Record<string, string> = {}) => ({
  LISTENER_HOST: "127.0.0.1",
  LISTENER_PORT: String(port),
  PUBLISH_INTERVAL_MS: "20",
  ...extra,
});

/** A bare TCP server standing in for the listener; `onConnection` decides what to do with each. */
async function fakeListener(port: number, onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  onTestFinished(() => {
    server.close();
  });
  return server;
}

/** A fake listener that keeps everything publishers send. */
async function collector(port: number): Promise<{ received(): string }> {
  let received = "";
  await fakeListener(port, (socket) => {
    socket.setEncoding("utf8").on("data", (text: string) => {
      received += text;
    });
  });
  return { received: () => received };
}

describe("the publisher", () => {
  it("sends 'Hello from <PUB_NAME>! <time>' lines at the configured interval", async () => {
    const port = await freePort();
    const listener = await collector(port);
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "alice" }));

    await vi.waitFor(() => expect(listener.received().split("\n").length).toBeGreaterThan(5), WAIT);
    const [first, second] = listener.received().split("\n");
    expect(first).toMatch(/^Hello from alice! \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The interval is a wait between lines: never shorter.
    const gap = Date.parse(second?.split("! ")[1] ?? "") - Date.parse(first?.split("! ")[1] ?? "");
    expect(gap).toBeGreaterThanOrEqual(20);
    expect(publisher.stderrLines()).toEqual([
      `publisher: alice publishing to 127.0.0.1:${port} every 20 ms`,
      `publisher: connected to 127.0.0.1:${port}`,
    ]);
  });

  it("names itself after the hostname and sends every second when PUB_NAME and PUBLISH_INTERVAL_MS are not set", async () => {
    const port = await freePort();
    const listener = await collector(port);
    const publisher = startService("publisher", { LISTENER_HOST: "127.0.0.1", LISTENER_PORT: String(port) });

    await vi.waitFor(() => expect(listener.received()).toContain(`Hello from ${hostname()}! `), WAIT);
    expect(publisher.stderr()).toContain(`${hostname()} publishing to 127.0.0.1:${port} every 1000 ms`);
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

  it("waits about twice as long after each connection that breaks at once, and afresh once one holds", async () => {
    const port = await freePort();
    const accepted: number[] = [];
    let hold = false;
    await fakeListener(port, (socket) => {
      accepted.push(performance.now());
      // Hang up at once, or, when told to, once two lines have come (a connection that held).
      if (!hold) return socket.destroy();
      let lines = 0;
      socket.on("data", (chunk: Buffer) => {
        lines += chunk.toString().split("\n").length - 1;
        if (lines >= 2) socket.destroy();
      });
    });
    startService("publisher", publisherEnv(port, { PUBLISH_INTERVAL_MS: "100" }));

    await vi.waitFor(() => expect(accepted.length).toBeGreaterThanOrEqual(5), { ...WAIT, timeout: 15_000 });
    // Each wait is drawn between half and all of a ceiling that starts at 200 ms and doubles.
    const gaps = accepted.slice(1, 5).map((at, i) => at - (accepted[i] ?? 0));
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i);
    });

    // After five failures in a row the next wait is at least 1.6 s. A connection that holds for
    // an interval starts the count again: the one after it comes an interval and 200 ms later.
    hold = true;
    const held = accepted.length;
    await vi.waitFor(() => expect(accepted.length).toBeGreaterThan(held + 1), { ...WAIT, timeout: 15_000 });
    const afterHold = (accepted[held + 1] ?? 0) - (accepted[held] ?? 0);
    expect(afterHold).toBeLessThan(1600);
  });

  it("reconnects after the listener restarts, and its lines arrive again", async () => {
    const port = await freePort();
    const first = await startListener(port);
    const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "survivor" }));
    await vi.waitFor(() => expect(first.lines().length).toBeGreaterThan(2), WAIT);

    expect(await first.stop()).toEqual({ code: 0, signal: null });
    // The listener ends each connection with a FIN, even while lines are in flight: no reset.
    await vi.waitFor(() => expect(publisher.stderr()).toContain(`lost 127.0.0.1:${port}`), WAIT);
    expect(publisher.stderr()).toContain(`lost 127.0.0.1:${port} (closed by the other end)`);
    const second = await startListener(port);

    await vi.waitFor(() => expect(second.lines().length).toBeGreaterThan(2), WAIT);
    for (const line of second.lines()) expect(line).toMatch(/^Hello from survivor! /);
    expect(publisher.stderr().match(/connected to/g)).toHaveLength(2);
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "exits 0 on %s while connected, ending its stream cleanly",
    async (signal) => {
      const port = await freePort();
      const listener = await startListener(port);
      const publisher = startService("publisher", publisherEnv(port, { PUB_NAME: "leaver" }));
      await vi.waitFor(() => expect(listener.lines().length).toBeGreaterThan(0), WAIT);

      expect(await publisher.stop(signal)).toEqual({ code: 0, signal: null });
      expect(publisher.stderr()).toContain(`publisher: ${signal} received, shutting down`);
      // The listener saw a clean end of stream, not a reset, and only whole lines.
      await vi.waitFor(() => expect(listener.stderr()).toMatch(/left after \d+ lines/), WAIT);
      expect(listener.stderr()).not.toMatch(/ECONNRESET/);
      for (const line of listener.lines()) expect(line).toMatch(/^Hello from leaver! \S+Z$/);
    },
  );

  it("exits 0 on SIGTERM while it is still retrying", async () => {
    const port = await freePort();
    const publisher = startService("publisher", publisherEnv(port));
    await vi.waitFor(() => expect(publisher.stderr()).toContain("cannot reach"), WAIT);

    expect(await publisher.stop()).toEqual({ code: 0, signal: null });
  });

  it.each([
    ["PUBLISH_INTERVAL_MS", "often", "expected a whole number"],
    ["PUBLISH_INTERVAL_MS", "0", "expected a whole number >= 1"],
    ["LISTENER_PORT", "99999", "expected a whole number <= 65535"],
    ["PUB_NAME", "alice\nbob", 'expected one line of text (got "alice\\nbob")'],
  ])("stops at once with exit code 2 and one line naming %s=%j", async (name, value, reason) => {
    const publisher = startService("publisher", { [name]: value });
    expect(await publisher.exited).toEqual({ code: 2, signal: null });
    expect(publisher.stderrLines()).toHaveLength(1);
    expect(publisher.stderr()).toContain(`publisher: bad configuration: ${name}: ${reason}`);
  });
});
