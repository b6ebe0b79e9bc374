import type { RedisClientType } from "redis";
import type { RedisKeys } from "../redis-keys.ts";
import type { GpsEvent } from "./gps-event.ts";
import { readRecent } from "./history.ts";

export interface DashboardStateOptions {
  /** For reading the recent records (GET, XREVRANGE). */
  redis: RedisClientType;
  keys: RedisKeys;
  /** How many records the page is drawn from, at most: the newest. */
  capacity: number;
  log: (line: string) => void;
}

/**
 * The records the page's widgets are drawn from: one copy per web process, shared by every
 * browser, so that a thousand open pages cost one list and one rendering per event.
 *
 * It follows one timeline, in the order the records were published. The newest record published
 * again is ignored; a record older than the newest starts the timeline over (a replayer that
 * started its track again, or someone who published a record from the past), so that the charts
 * always run forwards in time.
 */
export class DashboardState {
  readonly #options: DashboardStateOptions;
  #events: GpsEvent[] = [];
  #version = 0;
  /** While a load is running: the live events received meanwhile, to add after the read. */
  #arrivedDuringLoad: GpsEvent[] | undefined;
  #loading: Promise<void> | undefined;

  constructor(options: DashboardStateOptions) {
    this.#options = options;
  }

  /** The most records held. */
  get capacity(): number {
    return this.#options.capacity;
  }

  /** Oldest first. */
  get events(): readonly GpsEvent[] {
    return this.#events;
  }

  /** Changes whenever the records do: renderings are cached under it. */
  get version(): number {
    return this.#version;
  }

  /** A live event, from the subscription. */
  add(event: GpsEvent): void {
    this.#arrivedDuringLoad?.push(event);
    this.#append(event);
  }

  /**
   * (Re)reads the recent records from Redis: at start, and after the subscription was lost and
   * restored (whatever was published meanwhile never reached this process). Live events that
   * arrive during the read are kept and added after it. A Redis that came back without its data
   * has nothing to say: the records held so far stay, as they do when the read fails (logged).
   */
  load(): Promise<void> {
    this.#loading ??= this.#loadOnce().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #loadOnce(): Promise<void> {
    const { redis, keys, capacity, log } = this.#options;
    const arrived: GpsEvent[] = [];
    this.#arrivedDuringLoad = arrived;
    try {
      const { events } = await readRecent(redis, keys, capacity);
      if (events.length === 0) return;
      // The live events received during the read, but those the read found already.
      const read = new Set(events.map(({ id }) => id));
      this.#events = [];
      for (const event of [...events, ...arrived.filter(({ id }) => !read.has(id))]) this.#append(event);
      this.#version++;
    } catch (error) {
      log(`web: could not read the recent records for the page: ${String(error)}`);
    } finally {
      this.#arrivedDuringLoad = undefined;
    }
  }

  #append(event: GpsEvent): void {
    const newest = this.#events.at(-1);
    if (newest !== undefined && event.id === newest.id) return;
    if (newest !== undefined && event.record.timestamp < newest.record.timestamp) this.#events = [];
    this.#events.push(event);
    if (this.#events.length > this.#options.capacity) this.#events.shift();
    this.#version++;
  }
}
