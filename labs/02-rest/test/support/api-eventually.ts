import { vi } from "vitest";

/**
 * `vi.waitFor` with room for a busy machine: retries `check` every 20 ms until it passes, for up
 * to 5 s by default (instead of 1 s), so that a loaded CI runner does not fail a correct test.
 */
export function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  return vi.waitFor(check, { timeout: 5000, interval: 20, ...options });
}
