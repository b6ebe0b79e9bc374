import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.ts";

describe("systemClock", () => {
  it("reads monotonic milliseconds from performance.now()", () => {
    const before = performance.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(performance.now());
  });

  it("wakes at each deadline, never before it and typically well under a millisecond after", async () => {
    const lateness: number[] = [];
    for (let i = 0; i < 20; i++) {
      const deadline = systemClock.now() + 3 + (i % 7);
      await systemClock.sleepUntil(deadline);
      lateness.push(systemClock.now() - deadline);
    }
    lateness.sort((a, b) => a - b);
    // A bare setTimeout wakes up to ~1.7 ms early as often as late. The median, with a loose bound,
    // so that a stall of a loaded CI machine cannot fail the test.
    expect(lateness[0]).toBeGreaterThanOrEqual(0);
    expect(lateness[10]).toBeLessThan(5);
  });

  it("resolves at once for a deadline in the past", async () => {
    const start = systemClock.now();
    await systemClock.sleepUntil(start - 1000);
    expect(systemClock.now() - start).toBeLessThan(50);
  });

  it("rejects with the signal's reason when aborted while waiting", async () => {
    const controller = new AbortController();
    const start = systemClock.now();
    const sleeping = systemClock.sleepUntil(start + 60_000, controller.signal);
    const reason = new Error("replay stopped");
    queueMicrotask(() => controller.abort(reason));

    await expect(sleeping).rejects.toBe(reason);
    expect(systemClock.now() - start).toBeLessThan(1000);
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
