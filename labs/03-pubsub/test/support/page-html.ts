/** Reading lab 03's page and its frames in tests, beyond the shared readers of the testing kit. */
import { tableTimestamps, unescapeHtml } from "@gps-workshop/shared/testing";
import { HtmlValidate } from "html-validate";
import { expect } from "vitest";
import type { SseClient, SseFrame } from "./sse-client.ts";

/**
 * The out-of-band swaps of a frame, as htmx reads them: where (`#id`, or the selector after the
 * colon) and how (outerHTML for "true").
 */
export function outOfBand(html: string): Record<string, string> {
  const swaps: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<[a-z]+ [^>]*\bhx-swap-oob="[^"]*"[^>]*>/g)) {
    const how = unescapeHtml(/\bhx-swap-oob="([^"]*)"/.exec(tag)?.[1] ?? "");
    const [, style, selector] = /^(\S+?):(.+)$/.exec(how) ?? [];
    if (style && selector) swaps[selector] = style;
    else swaps[`#${/\bid="([^"]+)"/.exec(tag)?.[1]}`] = how === "true" ? "outerHTML" : how;
  }
  return swaps;
}

/** The value the state card shows for a field, e.g. "9" for satellites: on the page, or in a frame. */
export function stateValue(html: string, field: string): string | undefined {
  const pattern = new RegExp(
    `data-field=("?)${field}\\1(?:>[\\s\\S]*?<dd|\\] dd")>\\s*<span class="value">(.*?)</span>`,
  );
  const value = pattern.exec(html)?.[2];
  return value === undefined ? undefined : unescapeHtml(value);
}

/** The page's frames among a stream's messages: the unnamed ones, which htmx swaps in. */
export function pageFrames(client: SseClient): SseFrame[] {
  return client.frames.filter((frame) => frame.data !== undefined && frame.event === undefined);
}

/** Waits until the stream has brought `count` frames; returns them all. */
export async function untilPageFrames(
  client: SseClient,
  count: number,
  timeoutMs?: number,
): Promise<SseFrame[]> {
  await client.until(() => pageFrames(client).length >= count, `${count} page frames`, timeoutMs);
  return pageFrames(client);
}

/** The table's rows (their timestamps, top to bottom) after applying `frames` as htmx does. */
export function tableAfter(frames: SseFrame[], start: number[] = []): number[] {
  let rows = start;
  for (const { data = "" } of frames) {
    const swaps = outOfBand(data);
    const fresh = tableTimestamps(data);
    if (swaps["#samples tbody"] === "innerHTML") rows = fresh;
    else if (swaps["#samples tbody"] === "afterbegin") {
      const [, keep] = /nth-child\(n\+(\d+)\)/.exec(data) ?? [];
      rows = [...fresh, ...rows.slice(0, Number(keep) - 1)];
    }
  }
  return rows;
}

const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });

/** Fails with html-validate's messages unless `html` is valid HTML. */
export async function expectValidHtml(html: string): Promise<void> {
  const report = await validator.validateString(html);
  const messages = report.results.flatMap(({ messages }) =>
    messages.map(({ ruleId, message, line, column }) => `${line}:${column} ${ruleId}: ${message}`),
  );
  expect(messages).toEqual([]);
}
