import type { GpsRecord } from "@gps-workshop/shared";
import { LRUCache } from "lru-cache";

/** What the web keeps for one open page (a tab): how often it polls, and the samples it received, oldest first. */
export interface PageSession {
  period: number;
  samples: GpsRecord[];
}

export interface PageLimits {
  /** Pages remembered at most: past it, the page polled least recently is forgotten. */
  maxPages: number;
  /** Samples kept per page: past it, the oldest go. */
  maxSamples: number;
  /** A page that has not polled for this long is forgotten (its tab was closed). */
  idleMs: number;
}

/**
 * The pages being served, each under the random id that it sends with every poll, so that each
 * tab has a table of its own. `now`: milliseconds; the clock is read at every look-up
 * (ttlResolution 0), so that a test can move it.
 */
export function pageSessions({ maxPages, maxSamples, idleMs }: PageLimits, now: () => number) {
  const sessions = new LRUCache<string, PageSession>({
    max: maxPages,
    ttl: idleMs,
    perf: { now },
    ttlResolution: 0,
  });
  return {
    /** The page's session, now the most recent. A page seen for the first time, or forgotten, starts empty. */
    resume(page: string, period: number): PageSession {
      const session = sessions.get(page) ?? { period, samples: [] };
      sessions.set(page, session);
      return session;
    },
    /**
     * Adds a record to the page's samples, once: polling faster than the replayer writes brings the
     * same record twice. Kept in time order (a restarted replayer sends older records).
     */
    addSample({ samples }: PageSession, record: GpsRecord): void {
      if (samples.some((sample) => sample.timestamp === record.timestamp)) return;
      samples.push(record);
      samples.sort((a, b) => a.timestamp - b.timestamp);
      if (samples.length > maxSamples) samples.shift();
    },
  };
}
