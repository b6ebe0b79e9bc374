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

/**
 * How close to the deadline the timer hands over to event-loop yields. A Node timer fires up to
 * ~1.7 ms early and, on an idle machine, up to ~1.5 ms late (libuv keeps a cached, whole-millisecond
 * time), so it is aimed 1.5 ms early and never set below Node's 1 ms minimum.
 */
const YIELD_WINDOW_MS = 1.5;
const MIN_TIMER_MS = 1;

/**
 * The real clock. `setTimeout` alone wakes about a millisecond late, later under load, and a
 * replayer that waits once per record would add that up. So `sleepUntil` sleeps on a timer
 * until shortly before the deadline, then yields to the event loop with `setImmediate` (a few
 * microseconds per turn when idle; other callbacks still run in between) until the deadline has
 * passed. The price is about 2 ms (never more than 2.5 ms) of busy event loop per sleep: negligible at
 * one record per second, ~15-20% of a core at 100 per second, most of a core at 1,000 per second.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleepUntil(deadline, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        clearImmediate(immediate);
        reject(signal?.reason);
      };
      const check = () => {
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        } else if (remaining - YIELD_WINDOW_MS >= MIN_TIMER_MS) {
          // Re-checked when it fires: the timer may also wake early.
          timer = setTimeout(check, remaining - YIELD_WINDOW_MS);
        } else {
          immediate = setImmediate(check);
        }
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      check();
    });
  },
};
