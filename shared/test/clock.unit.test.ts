import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.ts";

describe("systemClock", () => {
  it("never wakes before the deadline, although a bare timer often fires early", async () => {
    for (let i = 0; i < 20; i++) {
      const deadline = systemClock.now() + 2 + (i % 5) + 0.5;
      await systemClock.sleepUntil(deadline);
      expect(systemClock.now()).toBeGreaterThanOrEqual(deadline);
    }
  });

  it("resolves at once for a deadline in the past", async () => {
    let resolved = false;
    const sleeping = systemClock.sleepUntil(systemClock.now() - 1000).then(() => {
      resolved = true;
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(resolved).toBe(true);
    await sleeping;
  });

  it("rejects with the signal's reason when aborted while waiting", async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleepUntil(systemClock.now() + 60_000, controller.signal);
    const reason = new Error("replay stopped");
    queueMicrotask(() => controller.abort(reason));

    await expect(sleeping).rejects.toBe(reason);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const reason = new Error("already stopped");
    await expect(systemClock.sleepUntil(systemClock.now() + 60_000, AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
  });

  it("leaves no abort listener behind on a long-lived signal", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await systemClock.sleepUntil(systemClock.now() + 0.5, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
