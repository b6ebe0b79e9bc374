import type { GpsEvent } from "./gps-event.ts";
import { sseComment } from "./sse.ts";
import type { SseConnection } from "./sse-connection.ts";
import type { RedisStatus, SseFormat } from "./sse-format.ts";

const HEARTBEAT = Buffer.from(sseComment("heartbeat"));

/**
 * The fan-out: every connected browser, and what is broadcast to them. A broadcast is rendered
 * once per format and encoded once, then the same bytes are handed to each connection, so a
 * thousand browsers cost a thousand socket writes and nothing more.
 */
export class Hub {
  readonly #connections = new Set<SseConnection>();
  readonly #heartbeat: NodeJS.Timeout;
  #status: RedisStatus;
  #slowClientsDropped = 0;

  constructor(options: { heartbeatMs: number; status: RedisStatus }) {
    this.#status = options.status;
    // One timer for all connections; unref'd so it never keeps the process alive alone.
    this.#heartbeat = setInterval(() => {
      for (const connection of this.#connections) connection.send(HEARTBEAT);
    }, options.heartbeatMs).unref();
  }

  get clients(): number {
    return this.#connections.size;
  }

  get status(): RedisStatus {
    return this.#status;
  }

  get slowClientsDropped(): number {
    return this.#slowClientsDropped;
  }

  /** Bytes waiting for slow clients, all connections together. */
  get queuedBytes(): number {
    let total = 0;
    for (const connection of this.#connections) total += connection.queuedBytes;
    return total;
  }

  add(connection: SseConnection): void {
    this.#connections.add(connection);
  }

  remove(connection: SseConnection): void {
    this.#connections.delete(connection);
  }

  /** Counts a connection closed for being too slow. */
  countSlowClientDropped(): void {
    this.#slowClientsDropped++;
  }

  broadcast(event: GpsEvent): void {
    this.#sendToAll((format) => format.gps(event), event.id);
  }

  /** Tells every browser about a change of the Redis subscription; repeats are ignored. */
  setStatus(status: RedisStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#sendToAll((format) => format.status(status));
  }

  /** Ends every stream (shutdown) and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const connection of this.#connections) connection.end();
    this.#connections.clear();
  }

  #sendToAll(render: (format: SseFormat) => string, id?: number): void {
    const frames = new Map<SseFormat, Buffer>();
    for (const connection of this.#connections) {
      let frame = frames.get(connection.format);
      if (frame === undefined) {
        frame = Buffer.from(render(connection.format));
        frames.set(connection.format, frame);
      }
      connection.send(frame, id);
    }
  }
}
