/**
 * The two kinds of users of the stack the tests play while Swarm moves tasks around: a load of
 * short requests, and a page's event stream that reconnects by itself as a browser's does.
 */
import { EventSource } from "eventsource";

export interface LoadResult {
  ok: number;
  /** Requests that got no answer, or an answer other than 2xx, with what went wrong. */
  failed: string[];
}

/**
 * GET `url` `perSecond` times a second, each request given 10 s, until `stop()`; it resolves once
 * the requests in flight have ended.
 */
export function loadLoop(url: string, perSecond: number): { stop(): Promise<LoadResult> } {
  const result: LoadResult = { ok: 0, failed: [] };
  const requests: Promise<void>[] = [];
  const send = async (started: number) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.ok) result.ok++;
      else result.failed.push(`${response.status} ${response.statusText}`);
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
      result.failed.push(`${reason} (after ${Math.round(performance.now() - started)} ms)`);
    }
  };
  const timer = setInterval(() => requests.push(send(performance.now())), 1000 / perSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(requests);
      return result;
    },
  };
}

/** An open `/events` stream: the ids of the records received, and which web task served each connection. */
export interface EventStream {
  ids: string[];
  /** `X-Served-By` of each connection, the first one and each reconnection: a container's short id. */
  servedBy: string[];
  close(): void;
}

/**
 * Opens `/events` as a browser's EventSource does: when the connection breaks, it reconnects
 * after the `retry` the server asked for (2 s), with the id of the last event in `Last-Event-ID`.
 */
export function openEventStream(url: string): EventStream {
  const stream: EventStream = { ids: [], servedBy: [], close: () => source.close() };
  const source = new EventSource(url, {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      stream.servedBy.push(response.headers.get("x-served-by") ?? "?");
      return response;
    },
  });
  source.addEventListener("gps_state", (event) => stream.ids.push(event.lastEventId));
  return stream;
}

/** Whether entry ids (`<ms>-<seq>`) strictly grow, as a stream that missed or repeated nothing shows them. */
export function ascending(ids: string[]): boolean {
  const key = (id: string) => id.split("-").map(BigInt);
  return ids.every((id, i) => {
    if (i === 0) return true;
    const [ms = 0n, seq = 0n] = key(id);
    const [previousMs = 0n, previousSeq = 0n] = key(ids[i - 1] ?? "");
    return ms > previousMs || (ms === previousMs && seq > previousSeq);
  });
}
