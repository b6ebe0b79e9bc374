import type { Clock } from "@gps-workshop/shared";

/**
 * A clock that stands still until the test moves it, so a time window can be played step by
 * step: `set(400)` means "400 ms have passed since the clock was made".
 */
export class ManualClock implements Clock {
  #now = 0;
  #sleepers: { deadline: number; wake: () => void }[] = [];

  now(): number {
    return this.#now;
  }

  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (deadline <= this.#now) return resolve();
      const sleeper = {
        deadline,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Moves the clock forward to `time` and wakes whoever was waiting for it. */
  set(time: number): void {
    if (time < this.#now) throw new RangeError(`the clock cannot go back from ${this.#now} to ${time}`);
    this.#now = time;
    const due = this.#sleepers.filter((sleeper) => sleeper.deadline <= time);
    this.#sleepers = this.#sleepers.filter((sleeper) => sleeper.deadline > time);
    for (const sleeper of due) sleeper.wake();
  }
}
