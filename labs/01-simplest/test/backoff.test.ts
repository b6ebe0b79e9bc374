import { describe, expect, it } from "vitest";
import { createBackoff } from "../src/backoff.ts";

const delays = (count: number, next: () => number): number[] => Array.from({ length: count }, next);

describe("createBackoff", () => {
  it("doubles the delay after each failure, up to the cap", () => {
    const backoff = createBackoff({ initialMs: 200, maxMs: 5000, random: () => 0.999_999 });
    expect(delays(8, backoff.next)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it("never waits less than half the current ceiling", () => {
    const backoff = createBackoff({ initialMs: 200, maxMs: 5000, random: () => 0 });
    expect(delays(7, backoff.next)).toEqual([100, 200, 400, 800, 1600, 2500, 2500]);
  });

  it("draws each delay between half the ceiling and the ceiling", () => {
    const backoff = createBackoff({ initialMs: 200, maxMs: 5000 });
    const ceilings = [200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000];
    for (const ceiling of ceilings) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it("stays bounded after a very long outage", () => {
    const backoff = createBackoff({ initialMs: 200, maxMs: 5000, random: () => 0.5 });
    delays(5000, backoff.next);
    expect(backoff.next()).toBe(3750);
  });

  it("starts again from the shortest delay after a success", () => {
    const backoff = createBackoff({ initialMs: 200, maxMs: 5000, random: () => 0.999_999 });
    delays(5, backoff.next);
    backoff.reset();
    expect(delays(2, backoff.next)).toEqual([200, 400]);
  });
});
