/**
 * Server-sent events (text/event-stream), for both of the web's streams: each frame is a few
 * `field: value` lines and a blank line, and the browser's EventSource (or htmx's hx-sse)
 * dispatches it as one event. A `Stream` is one browser's response, with a bound on what waits
 * for it.
 */
import type { Request, Response } from "express";

/** The web's own link to Redis, as the browsers are told it (`event: status`). */
export type RedisStatus = "connected" | "reconnecting";

/** One event: `event: <name>` if it has one, `id: <id>` if it has one, its data, and a blank line. */
export function sseFrame({ event, id, data }: { event?: string; id?: string; data: string }): string {
  // #region solution lab03.sse-resume
  let frame = event === undefined ? "" : `event: ${event}\n`;
  // The browser sends the last id it saw back as `Last-Event-ID` when it reconnects.
  if (id !== undefined) frame += `id: ${id}\n`;
  // A line break (\r\n, \r or \n) would end the field: each line of the data gets its own `data:`.
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
  // #endregion
}

export const statusFrame = (redis: RedisStatus) =>
  sseFrame({ event: "status", data: JSON.stringify({ redis }) });

/** A comment: ignored by browsers, but it keeps proxies from closing a quiet connection. */
export const HEARTBEAT = ": heartbeat\n\n";

export interface AudienceOptions {
  /** How long a browser waits before reconnecting. */
  retryMs: number;
  /** Bytes that may wait for a browser that stopped reading before it is cut off. */
  maxQueueBytes: number;
  /** Between two heartbeats. */
  heartbeatMs: number;
  log(line: string): void;
}

/** The browsers on one stream, and what they all get: heartbeats, status changes, the end. */
export class Audience {
  readonly streams = new Set<Stream>();
  slowClientsDropped = 0;
  readonly #options: AudienceOptions;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: AudienceOptions) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.toAll(HEARTBEAT), options.heartbeatMs).unref();
  }

  /** Answers with an event stream, and adds it; undefined for HEAD (curl -I: the headers only). */
  join(req: Request, res: Response, status: RedisStatus): Stream | undefined {
    const stream = new Stream(res, this.#options.retryMs, this.#options.maxQueueBytes, () => {
      this.streams.delete(stream);
      this.slowClientsDropped++;
      this.#options.log("web: disconnected a client that stopped reading");
    });
    if (req.method === "HEAD") return void stream.end();
    if (status !== "connected") stream.write(statusFrame(status));
    this.streams.add(stream);
    res.once("close", () => this.streams.delete(stream));
    return stream;
  }

  toAll(frame: Buffer | string): void {
    const bytes = Buffer.from(frame);
    for (const stream of this.streams) stream.write(bytes);
  }

  get queuedBytes(): number {
    let total = 0;
    for (const stream of this.streams) total += stream.res.writableLength;
    return total;
  }

  /** Ends every stream (shutdown). */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const stream of this.streams) stream.end();
  }
}

/**
 * One browser's event stream. While its history is read, live frames wait (`hold`); then it gets
 * the history, and the frames that waited but those the history holds (`release`): a frame whose
 * entry id is not after the last one sent is dropped. Every record once, in order.
 */
export class Stream {
  readonly res: Response;
  /** The id of the newest history entry sent, until a live record after it has come. */
  historyEnd: string | undefined;
  readonly #maxQueueBytes: number;
  readonly #onCutOff: () => void;
  #waiting: { frame: Buffer; id: string | undefined }[] | undefined;
  /** Bytes that may wait on top of the bound: the history, sent at once. */
  #allowance = 0;

  /** Answers with an event stream: the headers, then how long to wait before reconnecting. */
  constructor(res: Response, retryMs: number, maxQueueBytes: number, onCutOff: () => void) {
    this.res = res;
    this.#maxQueueBytes = maxQueueBytes;
    this.#onCutOff = onCutOff;
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      // nginx and its kind: pass each event on at once, do not buffer the stream.
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${retryMs}\n\n`);
  }

  hold(): void {
    this.#waiting = [];
  }

  release(history: Buffer, last: string | undefined): void {
    this.historyEnd = last;
    this.#allowance = history.length;
    this.write(history);
    const waiting = this.#waiting ?? [];
    this.#waiting = undefined;
    for (const { frame, id } of waiting) this.send(frame, id);
  }

  /** A record's frame, with its history entry id if it has one: held while the history is read, then
   *  sent unless the history had it. Once, in order, after the history. */
  send(frame: Buffer, id: string | undefined): void {
    // #region solution lab03.fan-out
    if (this.#waiting) return void this.#waiting.push({ frame, id });
    if (id !== undefined && this.historyEnd !== undefined) {
      if (!isAfter(id, this.historyEnd)) return;
      // Past the history: the relay sends each record once and in order, nothing more to compare.
      this.historyEnd = undefined;
    }
    this.write(frame);
    // #endregion
  }

  /**
   * A browser that stops reading lets the bytes pile up: past the bound it is cut off, so that it
   * can neither hold up the others nor grow the server's memory. Its EventSource reconnects with
   * `Last-Event-ID`, and resumes from the history.
   */
  write(frame: Buffer | string): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.write(frame);
    // Node's buffer and the socket's: what the browser has not taken yet.
    if (this.res.writableLength <= this.#maxQueueBytes + this.#allowance) return;
    this.res.destroy();
    this.#onCutOff();
  }

  end(): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end();
  }
}

/** Whether entry id `a` comes after `b`: by milliseconds, then by sequence, as Redis orders them. */
export function isAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}
