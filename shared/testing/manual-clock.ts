import type { Clock } from "../src/clock.ts";

interface Sleeper {
  deadline: number;
  wake(): void;
}

export interface ManualClockOptions {
  /** The reading it starts at, in ms; 0 by default. */
  start?: number;
  /**
   * Jump straight to each deadline it is asked to sleep until, so that whatever waits on it runs
   * in microseconds, every wait ending exactly on time. Off by default: time stands still.
   */
  automatic?: boolean;
}

/**
 * A clock for tests that moves only when the test moves it, so timing can be played step by
 * step and every lateness is exactly what the code under test produced: `set(400)` means
 * "the clock now reads 400 ms", `advance(400)` "400 ms have passed".
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #automatic: boolean;
  readonly #sleepers = new Set<Sleeper>();

  constructor({ start = 0, automatic = false }: ManualClockOptions = {}) {
    this.#now = start;
    this.#automatic = automatic;
  }

  now(): number {
    return this.#now;
  }

  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#automatic && deadline > this.#now) this.set(deadline);
    if (deadline <= this.#now) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper = {
        deadline,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }

  /** Moves the clock forward to `time` and wakes whoever is due by then. */
  set(time: number): void {
    if (time < this.#now) throw new RangeError(`the clock cannot go back from ${this.#now} to ${time}`);
    this.#now = time;
    for (const sleeper of this.#sleepers) {
      if (sleeper.deadline > time) continue;
      this.#sleepers.delete(sleeper);
      sleeper.wake();
    }
  }

  /** Moves the clock forward by `ms`, waking whoever is due by then. */
  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  /** How many are waiting on the clock. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** The earliest deadline anyone is waiting for; undefined when nobody waits. */
  get nextDeadline(): number | undefined {
    const deadlines = [...this.#sleepers].map((sleeper) => sleeper.deadline);
    return deadlines.length === 0 ? undefined : Math.min(...deadlines);
  }
}
