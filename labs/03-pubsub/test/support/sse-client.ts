import { type ClientRequest, type IncomingMessage, request } from "node:http";

/** One frame of a text/event-stream, as a browser's EventSource would parse it. */
export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  /** The text of a comment line (`: heartbeat`). */
  comment?: string;
  /** `performance.now()` when the frame was complete. */
  receivedAt: number;
}

/** A record relayed as a `gps_state` event. */
export interface GpsStateEvent {
  id: string;
  record: { timestamp: number } & Record<string, unknown>;
}

/**
 * A small SSE client over node:http, for tests and the bench: it keeps every frame, and lets a
 * test wait for a condition on them, checked on each new frame (no polling, no sleeps).
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  /** The `gps_state` events among the frames, in order. */
  readonly gpsEvents: GpsStateEvent[] = [];
  /** The `data` of the `status` events among the frames. */
  readonly statuses: string[] = [];
  readonly response: IncomingMessage;
  /** Resolves when the server ends or drops the stream. */
  readonly ended: Promise<void>;
  readonly #request: ClientRequest;
  #waiters = new Set<() => void>();
  #buffer = "";

  constructor(clientRequest: ClientRequest, response: IncomingMessage) {
    this.#request = clientRequest;
    this.response = response;
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => this.#receive(chunk));
    this.ended = new Promise((resolve) => {
      response.once("close", () => {
        resolve();
        this.#notify();
      });
    });
  }

  get isEnded(): boolean {
    return this.response.closed;
  }

  /** Resolves once `condition` holds; rejects after `timeoutMs` with `what` in the message. */
  until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanUp();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.frames.length} frames`),
        );
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  /** Waits until `count` gps_state events have arrived. */
  untilGpsEvents(count: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.gpsEvents.length >= count, `${count} gps_state events`, timeoutMs);
  }

  close(): void {
    this.#request.destroy();
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf("\n\n");
    while (end !== -1) {
      const frame = parseFrame(this.#buffer.slice(0, end));
      this.frames.push(frame);
      if (frame.event === "gps_state") {
        this.gpsEvents.push({ id: frame.id ?? "", record: JSON.parse(frame.data ?? "null") });
      } else if (frame.event === "status") {
        this.statuses.push(frame.data ?? "");
      }
      this.#buffer = this.#buffer.slice(end + 2);
      end = this.#buffer.indexOf("\n\n");
    }
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = { receivedAt: performance.now() };
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "") frame.comment = value;
    else if (field === "event") frame.event = value;
    else if (field === "id") frame.id = value;
    else if (field === "retry") frame.retry = Number(value);
    else if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
  }
  return frame;
}

/** Opens a stream; resolves once the response headers have arrived. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const clientRequest = request(url, { headers: { Accept: "text/event-stream", ...headers } });
    clientRequest.once("response", (response) => resolve(new SseClient(clientRequest, response)));
    clientRequest.once("error", reject);
    clientRequest.end();
  });
}
