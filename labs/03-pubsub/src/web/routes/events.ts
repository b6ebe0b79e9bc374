import type { Request, RequestHandler } from "express";
import { parseEventId } from "../gps-event.ts";
import type { Hub } from "../hub.ts";
import { HttpProblem } from "../problem.ts";
import type { SnapshotSource } from "../snapshots.ts";
import { sseRetry } from "../sse.ts";
import { SseConnection } from "../sse-connection.ts";
import type { SseFormat } from "../sse-format.ts";

/** What every event stream shares, whatever its format. */
export interface StreamContext {
  hub: Hub;
  snapshots: SnapshotSource;
  /** Bytes queued for a slow browser before it is disconnected. */
  maxQueueBytes: number;
  /** The browser's reconnection delay. */
  retryMs: number;
  log: (line: string) => void;
}

/**
 * An event stream (`text/event-stream`) in the given format: the snapshot from
 * `context.snapshots` (the recent records or, for a browser that reconnects, what it missed),
 * then every event the hub broadcasts. A page can offer another format with
 * `app.get(path, eventStream(context, itsFormat))`.
 */
export function eventStream(context: StreamContext, format: SseFormat): RequestHandler {
  const { hub, log } = context;
  const retry = Buffer.from(sseRetry(context.retryMs));
  const onOverflow = () => {
    hub.countSlowClientDropped();
    log(`web: disconnected a client that stopped reading (over ${context.maxQueueBytes} bytes queued)`);
  };
  return (req, res) => {
    const lastEventId = readLastEventId(req);
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      // Tells nginx-style proxies not to buffer the stream.
      "X-Accel-Buffering": "no",
    });
    // HEAD (curl -I): the headers, and no stream that would never end.
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    res.flushHeaders();
    const connection = new SseConnection(res, { format, maxQueueBytes: context.maxQueueBytes, onOverflow });
    connection.send(retry);
    if (hub.status !== "connected") connection.send(Buffer.from(format.status(hub.status)));
    // Live events that arrive while the snapshot is read wait behind it.
    connection.hold();
    hub.add(connection);
    res.once("close", () => hub.remove(connection));
    context.snapshots.get(format, lastEventId).then(
      ({ frames, ids }) => connection.release(frames, ids),
      (error: unknown) => {
        // Live events still flow; a reload gets the snapshot once Redis answers again.
        log(`web: could not read the snapshot from Redis: ${String(error)}`);
        connection.release(Buffer.alloc(0), new Set());
      },
    );
  };
}

/** `Last-Event-ID` (sent by a reconnecting EventSource) or `?lastEventId=` for clients that cannot set headers. */
function readLastEventId(req: Request): number | undefined {
  const header = req.get("Last-Event-ID");
  const query = req.query.lastEventId;
  // The header wins: a browser that reconnects sends it with the URL it first opened.
  const [parameter, value] = header ? ["Last-Event-ID", header] : ["lastEventId", query];
  if (value === undefined || value === "") return undefined;
  const id = typeof value === "string" ? parseEventId(value.trim()) : undefined;
  if (id === undefined) {
    throw new HttpProblem({
      status: 400,
      detail: `${parameter} must be an event id, a whole number of milliseconds (got ${JSON.stringify(value)})`,
      parameter,
    });
  }
  return id;
}
