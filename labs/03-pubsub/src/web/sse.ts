/**
 * Server-Sent Events frames (the text/event-stream format): fields, one per line, and a blank
 * line that ends the frame. A browser's EventSource dispatches a frame as one event.
 */

export interface SseFields {
  /** The event type; the browser's `addEventListener(event, …)` receives it. */
  event?: string;
  /** Remembered by the browser and sent back as `Last-Event-ID` when it reconnects. */
  id?: string;
  data: string;
}

export function sseFrame({ event, id, data }: SseFields): string {
  let frame = "";
  if (event !== undefined) frame += `event: ${event}\n`;
  if (id !== undefined) frame += `id: ${id}\n`;
  // A line break inside the data would end the field: each line gets its own `data:`.
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment: ignored by the browser, but it keeps proxies from closing an idle connection. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** How long the browser waits before reconnecting after the connection drops. */
export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
