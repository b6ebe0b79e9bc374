export interface BackoffOptions {
  /** Ceiling of the first delay, in milliseconds. */
  initialMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt, in milliseconds. */
  next(): number;
  /** Call after a success: the next failure starts again from the shortest delay. */
  reset(): void;
}

/**
 * Exponential backoff with jitter: the ceiling doubles after each failed attempt, up to `maxMs`,
 * and each delay is drawn between half the ceiling and the ceiling. The jitter keeps a crowd of
 * clients that lost the same server from all knocking at the same instant when it comes back.
 */
export function createBackoff({ initialMs, maxMs, random = Math.random }: BackoffOptions): Backoff {
  let failures = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, initialMs * 2 ** failures);
      failures += 1;
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    },
    reset() {
      failures = 0;
    },
  };
}
