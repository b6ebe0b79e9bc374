import type { Clock } from "@gps-workshop/shared";

/**
 * The computations of one kind in progress in this process (blocking requests, or background
 * tasks): how many, against a limit; when the next one is due to end; and a way for shutdown to
 * wait for all of them.
 */
export class Computations {
  readonly #limit: number;
  readonly #clock: Clock;
  // Each computation, settled or not, with the clock time at which it should be over.
  readonly #ends = new Map<Promise<void>, number>();

  constructor(limit: number, clock: Clock) {
    this.#limit = limit;
    this.#clock = clock;
  }

  get full(): boolean {
    return this.#ends.size >= this.#limit;
  }

  /** Whole seconds until the first one is due to end, at least 1: the Retry-After of a refusal. */
  retryAfterSeconds(): number {
    if (this.#ends.size === 0) return 1;
    const first = Math.min(...this.#ends.values());
    return Math.max(1, Math.ceil((first - this.#clock.now()) / 1000));
  }

  /** Counts `work` until it settles; `end` is the clock time at which it should be over. */
  track(work: Promise<unknown>, end: number): void {
    const settled: Promise<void> = work.then(
      () => this.#forget(settled),
      () => this.#forget(settled),
    );
    this.#ends.set(settled, end);
  }

  #forget(work: Promise<void>): void {
    this.#ends.delete(work);
  }

  /** Resolves once everything tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.all(this.#ends.keys());
  }
}
