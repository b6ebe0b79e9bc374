/** Reading lab 02's pages in tests, beyond the shared readers of the testing kit. */
import { attributeOf, unescapeHtml } from "@gps-workshop/shared/testing";

/** The page id in the poll URL of a page. */
export function pageIdIn(html: string): string {
  const id = /\/poll\?page=([0-9a-f-]{36})/.exec(html)?.[1];
  if (!id) throw new Error("no page id in this page");
  return id;
}

/** The state card's readings: field → "value unit" as displayed. */
export function stateReadings(html: string): Record<string, string> {
  const readings: Record<string, string> = {};
  const pattern =
    /data-field="(\w+)">\s*<dt>.*?<\/dt>\s*<dd><span class="value">(.*?)<\/span> <span class="unit">(.*?)<\/span>/g;
  for (const [, field, value, unit] of html.matchAll(pattern)) {
    if (field) readings[field] = unescapeHtml(`${value} ${unit}`.trim());
  }
  return readings;
}

/** The number of points of the polyline in the chart with this id. */
export function chartPointCount(html: string, chartId: string): number {
  const figure = new RegExp(`<figure class="chart" id="${chartId}">([\\s\\S]*?)</figure>`).exec(html)?.[1];
  if (figure === undefined) throw new Error(`no chart ${chartId}`);
  const points = /<polyline class="line" points="([^"]*)"/.exec(figure)?.[1];
  return points ? points.trim().split(/\s+/).length : 0;
}

/** The track as the Leaflet map gets it: the JSON of the drawing's data-track. */
export function trackLatLngs(html: string): [number, number][] {
  return JSON.parse(attributeOf(html, "track-drawing", "data-track") ?? "null") as [number, number][];
}
