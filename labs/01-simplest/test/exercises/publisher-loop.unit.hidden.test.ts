// Hidden check of the exercise lab01.publisher-loop: a listener that goes away twice.
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { startService } from "../support/processes.ts";
import { collector, eventually, helloTimes } from "./support.ts";

describe("the publisher's loop", () => {
  it("comes back each time the listener goes away twice, within 5 s of its return after a long outage", async () => {
    const port = await freePort();
    const publisher = startService("publisher", {
      LISTENER_HOST: "127.0.0.1",
      LISTENER_PORT: String(port),
      PUB_NAME: "survivor",
      PUBLISH_INTERVAL_MS: "50",
    });
    const first = await collector(port);
    await eventually({ publisher }, () => expect(first.lines().length).toBeGreaterThanOrEqual(2));

    await first.close(); // goes away, and is back at once
    const second = await collector(port);
    await eventually({ publisher }, () => expect(second.lines().length).toBeGreaterThanOrEqual(2));

    await second.close(); // goes away for 7 s: long enough for the waits to reach their 5 s cap
    await sleep(7000);
    const third = await collector(port);
    await eventually({ publisher }, () => expect(third.lines().length).toBeGreaterThanOrEqual(1), 6000);
    for (const listener of [first, second, third]) helloTimes(listener.lines(), "survivor");
  });
});
