import { SampleLog } from "./sample-log.ts";

/** What the web keeps for one open page: the samples it has received, and how often it polls. */
export interface PageSession {
  readonly id: string;
  /** Seconds between two polls. */
  period: number;
  readonly samples: SampleLog;
}

export interface PageSessionsOptions {
  /** Pages remembered at most; past it, the least recently active one is forgotten. */
  maxSessions: number;
  /** Samples kept per page. */
  maxSamples: number;
  /** A page that has not polled for this long is forgotten (its tab was closed). */
  idleMs: number;
  /** Milliseconds; tests pass a clock they move. */
  now?: () => number;
}

/**
 * The pages being served, each keyed by the random id that the page sends with every poll, so
 * that each tab has a table of its own. Bounded in number and in time, without a timer: the Map keeps
 * the pages in order of last activity (each use moves a page to the end), so the forgotten ones
 * are always at the front.
 */
export class PageSessions {
  readonly #options: Required<PageSessionsOptions>;
  readonly #sessions = new Map<string, { session: PageSession; lastSeen: number }>();

  constructor(options: PageSessionsOptions) {
    this.#options = { now: Date.now, ...options };
  }

  /**
   * The session of the page with this id. A page seen for the first time, or forgotten (idle,
   * evicted, or the web was restarted), starts with an empty table and this period.
   */
  resume(id: string, period: number): PageSession {
    this.#forgetIdle();
    const session = this.#sessions.get(id)?.session ?? {
      id,
      period,
      samples: new SampleLog(this.#options.maxSamples),
    };
    // Deleted and set again: to the end of the Map, the most recently active.
    this.#sessions.delete(id);
    this.#sessions.set(id, { session, lastSeen: this.#options.now() });
    for (const oldest of this.#sessions.keys()) {
      if (this.#sessions.size <= this.#options.maxSessions) break;
      this.#sessions.delete(oldest);
    }
    return session;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #forgetIdle(): void {
    const cutoff = this.#options.now() - this.#options.idleMs;
    for (const [id, { lastSeen }] of this.#sessions) {
      if (lastSeen > cutoff) break;
      this.#sessions.delete(id);
    }
  }
}
