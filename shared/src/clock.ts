import { setTimeout as sleep } from "node:timers/promises";

/**
 * The time source of everything that waits. Code takes a `Clock` instead of calling
 * `performance.now()` and `setTimeout` itself, so tests can hand it a clock they move by hand.
 */
export interface Clock {
  /** Monotonic milliseconds; only differences between two readings mean anything. */
  now(): number;
  /** Resolves once `now() >= deadline` (at once if already past); rejects with `signal.reason` on abort. */
  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()`, and timers aimed at the deadline itself. */
export const systemClock: Clock = {
  now: () => performance.now(),
  async sleepUntil(deadline, signal) {
    signal?.throwIfAborted();
    try {
      // A timer can fire up to a millisecond early (libuv counts whole milliseconds): sleep again.
      for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) {
        await sleep(left, undefined, { signal });
      }
    } catch (error) {
      signal?.throwIfAborted(); // the signal's reason, rather than Node's AbortError
      throw error;
    }
  },
};
