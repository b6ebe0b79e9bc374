import type { RedisClientType } from "redis";
import type { RedisKeys } from "../redis-keys.ts";
import { type Recent, readRecent } from "./history.ts";
import type { SseFormat } from "./sse-format.ts";

/** What a browser gets on connect, ready to write. */
export interface Snapshot {
  /** The frames, oldest first; often the very same buffer for many browsers. */
  frames: Buffer;
  /** The ids of every event in the window read, to drop live events that repeat them. */
  ids: ReadonlySet<number>;
}

/** Where a stream's snapshots come from: `Snapshots` reads Redis; the page's comes from its dashboard. */
export interface SnapshotSource {
  /** Called once the browser's connection is registered with the hub, so that nothing falls between. */
  get(format: SseFormat, lastEventId?: number): Promise<Snapshot>;
}

export interface SnapshotOptions {
  redis: RedisClientType;
  keys: RedisKeys;
  /** How many history entries a new browser gets at most. */
  length: number;
}

/**
 * The snapshots for browsers that connect: the recent records (see `readRecent`), or, for a
 * browser that reconnects with `Last-Event-ID`, only those after that id when the window still
 * holds it (otherwise all of them, as for a new browser).
 *
 * When a web process restarts, all its browsers reconnect within a second or two, so the work is
 * shared. A browser that connects while a read is in flight waits for the next read (the running
 * one may have started before the browser was registered, and miss a record published in
 * between); that next read serves every browser that arrived meanwhile. And as long as no record
 * is written, each read finds the same window, which is rendered once per format and starting
 * point: the browsers share the bytes.
 */
export class Snapshots implements SnapshotSource {
  readonly #options: SnapshotOptions;
  #running: Promise<Window> | undefined;
  #next: Promise<Window> | undefined;
  #latest: Window | undefined;

  constructor(options: SnapshotOptions) {
    this.#options = options;
  }

  /** Call it once the browser's connection is registered with the hub, so that nothing falls between. */
  async get(format: SseFormat, lastEventId?: number): Promise<Snapshot> {
    const window = await this.#read();
    return window.snapshot(format, lastEventId);
  }

  #read(): Promise<Window> {
    if (this.#next !== undefined) return this.#next;
    if (this.#running === undefined) return this.#start();
    const next = this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    this.#next = next;
    return next;
  }

  #start(): Promise<Window> {
    this.#next = undefined;
    const { redis, keys, length } = this.#options;
    const running = readRecent(redis, keys, length, this.#latest?.recent).then((recent) => {
      if (recent !== this.#latest?.recent) this.#latest = new Window(recent);
      return this.#latest;
    });
    this.#running = running;
    const done = () => {
      if (this.#running === running) this.#running = undefined;
    };
    running.then(done, done);
    return running;
  }
}

/** Renderings kept per format: resuming browsers mostly share a few starting points. */
const MAX_CACHED_STARTS = 8;

/** One window of recent records, and its renderings. */
class Window {
  readonly recent: Recent;
  readonly #ids: ReadonlySet<number>;
  readonly #renderings = new Map<SseFormat, { frames: string[]; fromIndex: Map<number, Buffer> }>();

  constructor(recent: Recent) {
    this.recent = recent;
    this.#ids = new Set(recent.events.map(({ id }) => id));
  }

  snapshot(format: SseFormat, lastEventId: number | undefined): Snapshot {
    const { events } = this.recent;
    const seen = lastEventId === undefined ? -1 : events.findLastIndex(({ id }) => id === lastEventId);
    const from = seen + 1;
    let rendering = this.#renderings.get(format);
    if (rendering === undefined) {
      rendering = { frames: events.map((event) => format.gps(event)), fromIndex: new Map() };
      this.#renderings.set(format, rendering);
    }
    let frames = rendering.fromIndex.get(from);
    if (frames === undefined) {
      frames = Buffer.from(rendering.frames.slice(from).join(""));
      if (rendering.fromIndex.size < MAX_CACHED_STARTS) rendering.fromIndex.set(from, frames);
    }
    return { frames, ids: this.#ids };
  }
}
