/**
 * Reading the page's HTML in tests, with regular expressions: the markup is the web's own and
 * regular, and what a test checks is what a browser would show.
 */
import type { SseClient, SseFrame } from "./sse-client.ts";

/** The text of an attribute value, as a browser reads it. */
export function unescapeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The opening tag of the element with this id, or undefined. */
export function openingTag(html: string, id: string): string | undefined {
  return new RegExp(`<[a-z]+ [^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}

/** An attribute of the element with this id, unescaped, or undefined. */
export function attributeOf(html: string, id: string, name: string): string | undefined {
  const tag = openingTag(html, id);
  const value = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : unescapeHtml(value);
}

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

/** The timestamps of the table's rows, top to bottom. */
export function tableTimestamps(html: string): number[] {
  return [...html.matchAll(/<tr data-timestamp="([^"]+)">/g)].map(([, timestamp]) => Number(timestamp));
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
