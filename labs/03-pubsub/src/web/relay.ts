/**
 * The lesson of lab 03: ONE Redis subscription per process, fanned out to every browser over
 * server-sent events. The replayer adds each record to the `gps_history` stream, then publishes
 * it with the entry's id. Those ids only ever grow (record timestamps repeat when a track starts
 * over), so they are the SSE ids, and every hand-over compares them:
 * - a browser that connects gets the history first, then the live records, none twice;
 * - a browser that reconnects sends `Last-Event-ID`, and gets only the entries after it;
 * - after a lost connection, what was published meanwhile reached nobody: it is read back.
 * Watch it: curl -N http://localhost:8502/events
 */
import { once } from "node:events";
import type { RedisClient } from "@gps-workshop/service/redis";
import type { Request, Response } from "express";
import type { RedisKeys } from "../redis-keys.ts";
import { gpsFrame, lastEventId, parseMessage, type Relayed, readHistory, throttled } from "./messages.ts";
import { Audience, type AudienceOptions, isAfter, type RedisStatus, statusFrame } from "./sse.ts";

export interface RelayOptions {
  /** `redis` reads the history; `subscriber` is the subscription's own connection. */
  redis: RedisClient;
  subscriber: RedisClient;
  keys: RedisKeys;
  /** History entries a new browser gets, and entries read at start (for `onRecord`). */
  snapshotLength: number;
  backlog: number;
  streams: AudienceOptions;
  /** Told of every record, and of the subscription's state, before the browsers: the page. */
  onRecord(relayed: Relayed): void;
  onStatus(status: RedisStatus): void;
  log(line: string): void;
}

export class Relay {
  status: RedisStatus = "connected";
  readonly counts = { events_relayed: 0, invalid_messages: 0 };
  readonly audience: Audience;
  /** Since start(): node-redis subscribes again by itself after a reconnection. */
  subscribed = false;
  readonly #options: RelayOptions;
  /** The newest entry relayed; `#held`: live messages that arrive until the history has been read. */
  #last: string | undefined;
  #held: Relayed[] | undefined;
  #catchingUp: Promise<void> | undefined;
  #readAgain = false;
  readonly #warn = throttled((line) => this.#options.log(line));
  readonly #reads = new Map<string, Promise<{ frames: Buffer; last: string | undefined }>>();
  #lastRead: Promise<unknown> = Promise.resolve();

  constructor(options: RelayOptions) {
    this.#options = options;
    this.audience = new Audience(options.streams);
    options.subscriber.on("reconnecting", () => {
      this.#held ??= [];
      this.#setStatus("reconnecting");
    });
    options.subscriber.on("ready", () => {
      this.#setStatus("connected");
      if (this.subscribed) void this.#catchUp();
    });
  }

  /** Subscribes, then reads the newest `backlog` entries. Call it once the subscriber is connected. */
  async start(): Promise<void> {
    this.#held = [];
    await this.#options.subscriber.subscribe(this.#options.keys.channel, this.#onMessage);
    this.subscribed = true;
    await this.#catchUp();
  }

  /** GET /events: the history after `Last-Event-ID` (or the newest entries), then every record live. */
  readonly events = async (req: Request, res: Response): Promise<void> => {
    const after = lastEventId(req);
    const stream = this.audience.join(req, res, this.status);
    if (stream === undefined) return;
    // Held from before the read: a record published meanwhile waits, and is dropped if the read has it.
    stream.hold();
    const { frames, last } = await this.#readHistory(after);
    stream.release(frames, last ?? after);
  };

  /** The history after `after`. One read at a time: those who connect meanwhile share the next one,
   *  and its bytes; it starts after all of them are registered, so that none misses a record. */
  #readHistory(after: string | undefined): Promise<{ frames: Buffer; last: string | undefined }> {
    let read = this.#reads.get(after ?? "");
    if (read) return read;
    read = this.#lastRead.then(async () => {
      this.#reads.delete(after ?? "");
      const history = await readHistory(this.#options, after, this.#options.snapshotLength);
      return { frames: Buffer.from(history.map(gpsFrame).join("")), last: history.at(-1)?.id };
    });
    this.#reads.set(after ?? "", read);
    this.#lastRead = read;
    return read;
  }

  readonly #onMessage = (text: string): void => {
    const relayed = parseMessage(text);
    if (typeof relayed !== "string")
      return void (this.#held ? this.#held.push(relayed) : this.#relay(relayed));
    this.counts.invalid_messages++;
    this.#warn(`web: ignored an invalid message on ${this.#options.keys.channel}: ${relayed}`);
  };

  /** Every record, live or read back from the history, to the page and to every client of /events. */
  #relay(relayed: Relayed): void {
    // Read from the history and then received live, or published twice: once is enough.
    if (relayed.id !== undefined && this.#last !== undefined && !isAfter(relayed.id, this.#last)) return;
    this.#last = relayed.id ?? this.#last;
    this.counts.events_relayed++;
    // In node-redis's listener, a throw would drop the connection: here it costs this record only.
    try {
      // #region solution lab03.fan-out
      this.#options.onRecord(relayed);
      // One frame, the same bytes for every client connected now.
      const frame = Buffer.from(gpsFrame(relayed));
      for (const stream of this.audience.streams) stream.send(frame, relayed.id);
      // #endregion
    } catch (error) {
      this.#warn(`web: could not relay a record: ${String(error)}`);
    }
  }

  /** Reads the entries after the last one relayed (at start, the newest), holding live ones meanwhile. */
  #catchUp(): Promise<void> {
    this.#held ??= [];
    this.#readAgain = true;
    this.#catchingUp ??= (async () => {
      const { redis, backlog } = this.#options;
      while (this.#readAgain) {
        this.#readAgain = false;
        // The reading connection reconnects on its own schedule; its errors are failed attempts.
        while (!redis.isReady) await once(redis, "ready").catch(() => {});
        const entries = await readHistory(this.#options, this.#last, this.#last ? undefined : backlog);
        for (const relayed of entries) this.#relay(relayed);
      }
      for (const relayed of this.#held ?? []) this.#relay(relayed);
      this.#held = undefined;
    })().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  #setStatus(status: RedisStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.audience.toAll(statusFrame(status));
    this.#options.onStatus(status);
  }
}
