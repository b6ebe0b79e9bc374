import type { ServerResponse } from "node:http";
import type { SseFormat } from "./sse-format.ts";

interface QueuedFrame {
  bytes: Buffer;
  /** The event id, to drop a live event that the snapshot already holds. */
  id: number | undefined;
}

export interface SseConnectionOptions {
  format: SseFormat;
  /** How many bytes may wait for a slow client before it is disconnected. */
  maxQueueBytes: number;
  /** Called once, when the connection is closed because its queue passed the bound. */
  onOverflow: () => void;
}

/**
 * One browser's event stream. Frames go to the socket while it takes them; once `write()`
 * reports a full buffer, the next frames wait in a queue until `drain`. The queue is bounded:
 * past `maxQueueBytes` the client is disconnected. Its EventSource then reconnects with
 * `Last-Event-ID` and resumes from the history, so a slow client loses nothing, and it can
 * neither hold up the others nor grow the server's memory.
 */
export class SseConnection {
  readonly format: SseFormat;
  readonly #res: ServerResponse;
  readonly #maxQueueBytes: number;
  readonly #onOverflow: () => void;
  #queue: QueuedFrame[] = [];
  #queuedBytes = 0;
  #holding = false;
  #waitingForDrain = false;
  #snapshotIds: ReadonlySet<number> | undefined;

  constructor(res: ServerResponse, options: SseConnectionOptions) {
    this.#res = res;
    this.format = options.format;
    this.#maxQueueBytes = options.maxQueueBytes;
    this.#onOverflow = options.onOverflow;
    res.once("close", () => {
      this.#queue = [];
      this.#queuedBytes = 0;
      res.off("drain", this.#onDrain);
    });
  }

  /** Bytes waiting in this connection's queue. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Sends a frame, or queues it behind the frames the socket has not taken yet. */
  send(bytes: Buffer, id?: number): void {
    if (this.#isClosed()) return;
    if (this.#holding) {
      this.#enqueue({ bytes, id });
    } else if (this.#inSnapshot(id)) {
      return;
    } else if (this.#waitingForDrain) {
      this.#enqueue({ bytes, id });
    } else {
      this.#write(bytes);
    }
  }

  /** Queues frames instead of sending them, until `release()`: while the snapshot is being read. */
  hold(): void {
    this.#holding = true;
  }

  /**
   * Sends the snapshot, then the frames queued while it was read. Live events the snapshot
   * already holds are dropped, so the browser gets every event once and in order.
   */
  release(snapshot: Buffer, snapshotIds: ReadonlySet<number>): void {
    this.#holding = false;
    if (this.#isClosed()) return;
    this.#snapshotIds = snapshotIds;
    const queued = this.#queue;
    this.#queue = [];
    if (snapshot.length > 0) {
      // First in line, and exempt from the bound: the snapshot's size is capped by configuration.
      this.#queue.push({ bytes: snapshot, id: undefined });
    }
    for (const frame of queued) {
      if (!this.#inSnapshot(frame.id)) this.#queue.push(frame);
    }
    this.#queuedBytes = this.#queue.reduce((total, frame) => total + frame.bytes.length, 0);
    this.#flush();
  }

  /** Ends the stream cleanly (server shutdown); frames still queued are dropped. */
  end(): void {
    if (this.#isClosed()) return;
    this.#res.end();
  }

  /**
   * Whether a live event was in the snapshot. The snapshot is read on another Redis connection
   * than the subscription, so a record published just before the read can reach the
   * subscription after the snapshot. Redis delivers messages in order, though: once one
   * arrives that the snapshot did not hold, no older one can follow, and the ids are forgotten.
   */
  #inSnapshot(id: number | undefined): boolean {
    if (id === undefined || this.#snapshotIds === undefined) return false;
    if (this.#snapshotIds.has(id)) return true;
    this.#snapshotIds = undefined;
    return false;
  }

  #isClosed(): boolean {
    return this.#res.destroyed || this.#res.writableEnded;
  }

  #write(bytes: Buffer): void {
    if (!this.#res.write(bytes)) {
      this.#waitingForDrain = true;
      this.#res.once("drain", this.#onDrain);
    }
  }

  readonly #onDrain = (): void => {
    this.#waitingForDrain = false;
    this.#flush();
  };

  #flush(): void {
    while (!this.#holding && !this.#waitingForDrain && !this.#isClosed()) {
      const frame = this.#queue.shift();
      if (frame === undefined) return;
      this.#queuedBytes -= frame.bytes.length;
      this.#write(frame.bytes);
    }
  }

  #enqueue(frame: QueuedFrame): void {
    this.#queue.push(frame);
    this.#queuedBytes += frame.bytes.length;
    if (this.#queuedBytes > this.#maxQueueBytes) {
      this.#queue = [];
      this.#queuedBytes = 0;
      this.#res.destroy();
      this.#onOverflow();
    }
  }
}
