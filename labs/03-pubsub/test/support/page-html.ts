/** Reading lab 03's page and its updates in tests, beyond the shared readers of the testing kit. */
import { unescapeHtml } from "@gps-workshop/shared/testing";
import type { SseClient, SseFrame } from "./sse-client.ts";

/** The ids of the elements swapped out of band, with how: { "state-card": "true", … }. */
export function outOfBand(html: string): Record<string, string> {
  const swaps: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<[a-z]+ [^>]*\bhx-swap-oob="[^"]*"[^>]*>/g)) {
    const id = /\bid="([^"]+)"/.exec(tag)?.[1];
    const how = /\bhx-swap-oob="([^"]*)"/.exec(tag)?.[1];
    if (id && how) swaps[id] = how;
  }
  return swaps;
}

/** The value the state card shows for a field, e.g. "9" for satellites. */
export function stateValue(html: string, field: string): string | undefined {
  const pattern = new RegExp(`data-field="${field}">[\\s\\S]*?<span class="value">(.*?)</span>`);
  const value = pattern.exec(html)?.[1];
  return value === undefined ? undefined : unescapeHtml(value);
}

/** The page updates among a stream's frames: the unnamed messages, which htmx swaps in. */
export function pageUpdates(client: SseClient): SseFrame[] {
  return client.frames.filter((frame) => frame.data !== undefined && frame.event === undefined);
}

/** Waits until the stream has brought `count` page updates; returns them all. */
export async function untilPageUpdates(client: SseClient, count: number): Promise<SseFrame[]> {
  await client.until(() => pageUpdates(client).length >= count, `${count} page updates`);
  return pageUpdates(client);
}
