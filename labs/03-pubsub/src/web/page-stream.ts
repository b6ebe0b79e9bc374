import type { DashboardState } from "./dashboard-state.ts";
import type { PageRenderer } from "./page-renderer.ts";
import type { SnapshotSource } from "./snapshots.ts";
import { sseFrame } from "./sse.ts";
import type { SseFormat } from "./sse-format.ts";

/**
 * `/ui/events`, the page's stream, read by htmx's hx-sse extension. An unnamed message is HTML
 * that htmx swaps into the page: each of its elements replaces the element with the same id
 * (out of band). A named message is dispatched as a DOM event instead: `status` tells the
 * page's script about the web's connection to Redis.
 *
 * Each message carries every widget, so a browser that missed some (it reconnected) is whole
 * again with the next one. The id is the record's, as on `/events`.
 */
export function pageFormat(renderer: PageRenderer): SseFormat {
  return {
    gps: (event) => sseFrame({ id: String(event.id), data: renderer.event(event) }),
    status: (status) => sseFrame({ event: "status", data: JSON.stringify({ redis: status }) }),
  };
}

/**
 * What a page gets when it connects, or reconnects: the dashboard as this process holds it, in
 * one message, rendered from memory rather than read from Redis.
 */
export function pageSnapshots(renderer: PageRenderer, state: DashboardState): SnapshotSource {
  return {
    async get() {
      const newest = state.events.at(-1);
      const data = renderer.snapshot();
      const frame = newest === undefined ? sseFrame({ data }) : sseFrame({ id: String(newest.id), data });
      // Rendered in the same turn of the event loop as the browser was registered with the hub:
      // no live event can have been queued in between, so none needs to be dropped.
      return { frames: Buffer.from(frame), ids: new Set<number>() };
    },
  };
}
