/**
 * What lab 03's graded checks share: an event stream read as a browser reads it, whatever line
 * endings the server chose, and waits whose failure says what the service logged (such as the
 * TODO of an exercise not done yet).
 */
import { type ClientRequest, type IncomingMessage, request } from "node:http";
import { onTestFinished } from "vitest";

/** One event of a stream, from the lines before its blank line. */
export interface SseEvent {
  /** Its `event:` field; none means "message". */
  event?: string;
  /** Its own `id:` field, if it has one. */
  id?: string;
  /** Its `data:` fields, joined by "\n" as the browser joins them. */
  data: string;
  dataLines: number;
}

/**
 * The events of a text/event-stream, as the SSE format defines them: a line ends at "\r\n", "\r"
 * or "\n"; `field: value` (one space after the colon is dropped); a line that starts with ":" is a
 * comment; a blank line ends an event. Blocks without data (`retry:`, comments) are no events.
 */
export function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  let event: SseEvent = { data: "", dataLines: 0 };
  // The last piece has no line break after it yet: it waits for the rest.
  for (const line of text.split(/\r\n|\r|\n/).slice(0, -1)) {
    if (line === "") {
      if (event.dataLines > 0) events.push(event);
      event = { data: "", dataLines: 0 };
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event.event = value;
    else if (field === "id") event.id = value;
    else if (field === "data") {
      event.data = event.dataLines === 0 ? value : `${event.data}\n${value}`;
      event.dataLines++;
    }
  }
  return events;
}

/** A client of an event stream that keeps every byte; closed when the test finishes. */
export class EventStream {
  text = "";
  readonly response: IncomingMessage;
  readonly #request: ClientRequest;
  readonly #context: () => string;
  #waiters = new Set<() => void>();

  constructor(clientRequest: ClientRequest, response: IncomingMessage, context: () => string) {
    this.#request = clientRequest;
    this.response = response;
    this.#context = context;
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      this.text += chunk;
      for (const waiter of [...this.#waiters]) waiter();
    });
    response.once("close", () => {
      for (const waiter of [...this.#waiters]) waiter();
    });
  }

  get events(): SseEvent[] {
    return parseEvents(this.text);
  }

  /** The events named `name`. */
  named(name: string): SseEvent[] {
    return this.events.filter((event) => event.event === name);
  }

  /**
   * Resolves once `count` events named `name` have come; rejects after `timeoutMs` with what came
   * and what the service logged.
   */
  until(name: string, count: number, timeoutMs = 4000): Promise<SseEvent[]> {
    const done = () => this.named(name).length >= count;
    if (done()) return Promise.resolve(this.named(name));
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done() && !this.response.closed) return;
        cleanUp();
        if (done()) resolve(this.named(name));
        else
          reject(
            this.#failure(`the stream ended after ${this.named(name).length} of ${count} "${name}" events`),
          );
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(
          this.#failure(
            `${timeoutMs} ms without ${count} "${name}" events (${this.named(name).length} came)`,
          ),
        );
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  close(): void {
    this.#request.destroy();
  }

  #failure(what: string): Error {
    const received = this.text.length > 1500 ? `${this.text.slice(0, 1500)}…` : this.text;
    return new Error(`${what}.\nReceived:\n${received}\n${this.#context()}`);
  }
}

export interface OpenOptions {
  headers?: Record<string, string>;
  /** What the service logged, for a wait that fails. */
  context?: () => string;
  /** Close it when the test finishes (in a test); false in a beforeAll, whose afterAll closes it. */
  closeAfterTest?: boolean;
}

/** Opens `url` as a browser's EventSource would; resolves once the response's headers have come. */
export function openEventStream(
  url: string,
  { headers = {}, context = () => "", closeAfterTest = true }: OpenOptions = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const clientRequest = request(url, { headers: { Accept: "text/event-stream", ...headers } });
    clientRequest.once("response", (response) => {
      const stream = new EventStream(clientRequest, response, context);
      if (closeAfterTest) onTestFinished(() => stream.close());
      resolve(stream);
    });
    clientRequest.once("error", reject);
    clientRequest.end();
  });
}

/** A service's log lines for a failure message: the last `lines` of them. */
export function logTail(name: string, lines: string[] | string, count = 15): string {
  const all = typeof lines === "string" ? lines.split("\n").filter(Boolean) : lines;
  if (all.length === 0) return `(${name} logged nothing)`;
  return `The ${name} logged:\n${all.slice(-count).join("\n")}`;
}
