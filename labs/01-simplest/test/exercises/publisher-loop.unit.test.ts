// Checks of the exercise lab01.publisher-loop: the publisher (src/publisher.ts, run as a process)
// against bare TCP servers standing in for the listener. Each asserts what such a listener sees.
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { startService } from "../support/processes.ts";
import { collector, eventually, fakeListener, helloTimes } from "./support.ts";

function startPublisher(port: number, name: string, intervalMs: number) {
  return startService("publisher", {
    LISTENER_HOST: "127.0.0.1",
    LISTENER_PORT: String(port),
    PUB_NAME: name,
    PUBLISH_INTERVAL_MS: String(intervalMs),
  });
}

describe("the publisher's loop", () => {
  it("sends one 'Hello from <PUB_NAME>! <time>' line per interval", async () => {
    const port = await freePort();
    const listener = await collector(port);
    const publisher = startPublisher(port, "alice", 100);

    await eventually({ publisher }, () => expect(listener.lines().length).toBeGreaterThanOrEqual(4));
    const times = helloTimes(listener.lines(), "alice");
    // Each line is stamped when it is sent, at least an interval after the one before
    // (less 5 ms: timers and clocks count whole milliseconds).
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    for (const gap of gaps) expect(gap, "ms between two lines").toBeGreaterThanOrEqual(95);
  });

  it("waits for a listener that is not up yet, then sends it its lines", async () => {
    const port = await freePort();
    const publisher = startPublisher(port, "early", 100);
    await publisher.waitForStderr("publishing to");
    await sleep(500); // the listener comes up half a second after the publisher

    const listener = await collector(port);
    await eventually({ publisher }, () => expect(listener.lines().length).toBeGreaterThanOrEqual(2));
    helloTimes(listener.lines(), "early");
  });

  it("waits about twice as long after each connection the listener drops at once, and afresh once one holds", async () => {
    const port = await freePort();
    const accepted: number[] = []; // when each connection came, in ms
    let hungUp = 0; // when the fifth connection, the one that held, was closed
    await fakeListener(port, (socket) => {
      accepted.push(performance.now());
      if (accepted.length < 5) return socket.destroy(); // hangs up at once: a failure
      if (accepted.length > 5) return;
      // The fifth holds for two lines, so for an interval, then hangs up.
      let lines = 0;
      socket.setEncoding("utf8").on("data", (text: string) => {
        lines += text.split("\n").length - 1;
        if (lines < 2 || hungUp) return;
        hungUp = performance.now();
        socket.destroy();
      });
    });
    const publisher = startPublisher(port, "knocker", 100);

    await eventually({ publisher }, () => expect(accepted.length).toBeGreaterThanOrEqual(6), 15_000);
    // The waits are drawn between half and all of 200, 400, 800, 1600 ms (less 5 ms of timer slack).
    accepted.slice(1, 5).forEach((at, i) => {
      expect(at - (accepted[i] ?? 0), `ms between attempts ${i + 1} and ${i + 2}`).toBeGreaterThanOrEqual(
        100 * 2 ** i - 5,
      );
    });
    // After a connection that held for an interval the wait is short again: between 100 and
    // 200 ms, where five failures in a row would have made it 2.5 s at least.
    expect((accepted[5] ?? 0) - hungUp, "ms from a connection that held to the next").toBeLessThan(1000);
  });

  it("stops making lines while the listener does not read, and sends them all whole once it does", async () => {
    const port = await freePort();
    // 60 kB lines, one per millisecond: the socket buffers fill in a fraction of a second.
    const name = "x".repeat(60_000);
    let stalled: Socket | undefined;
    let rest = "";
    const lines: string[] = [];
    await fakeListener(port, (socket) => {
      if (stalled) return socket.destroy(); // one connection only
      stalled = socket;
      socket.pause(); // reads nothing until resumed
      socket.setEncoding("utf8").on("data", (text: string) => {
        const parts = (rest + text).split("\n");
        rest = parts.pop() ?? "";
        lines.push(...parts);
      });
    });
    const publisher = startPublisher(port, name, 1);
    await eventually({ publisher }, () => expect(stalled).toBeDefined());

    await sleep(2000); // the listener does not read for 2 s
    const resumedAt = Date.now();
    stalled?.resume();
    // Read until a line made after that arrives.
    await eventually({ publisher }, () =>
      expect(Date.parse(lines.at(-1)?.slice(-24) ?? "")).toBeGreaterThan(resumedAt),
    );

    const times = helloTimes(lines, name);
    // A publisher that waits for "drain" made no line during most of those 2 s; one that does
    // not kept making one a millisecond, queued in its memory.
    const longest = Math.max(...times.slice(1).map((time, i) => time - (times[i] ?? 0)));
    expect(longest, "the longest pause between two lines, in ms").toBeGreaterThanOrEqual(1000);
  });

  it("exits 0 on SIGTERM, both while connected and while waiting to retry, sending only whole lines", async () => {
    const port = await freePort();
    const listener = await collector(port);
    const connected = startPublisher(port, "leaver", 50);
    await eventually({ publisher: connected }, () =>
      expect(listener.lines().length).toBeGreaterThanOrEqual(2),
    );

    expect(await connected.stop("SIGTERM"), "how the connected publisher exited").toEqual({
      code: 0,
      signal: null,
    });
    await eventually({}, () => expect(listener.closed(), "connections closed").toBe(1));
    expect(listener.text()).toMatch(/\n$/);
    helloTimes(listener.lines(), "leaver");

    const retrying = startPublisher(await freePort(), "waiter", 50); // nothing listens there
    await retrying.waitForStderr("publishing to");
    await sleep(500); // a few attempts refused, and a wait before the next
    expect(await retrying.stop("SIGTERM"), "how the retrying publisher exited").toEqual({
      code: 0,
      signal: null,
    });
  });
});
