/**
 * Reading the web's HTML in tests, with regular expressions: the markup is the web's own and
 * regular, and what a test checks is what a browser would show.
 */

/** The text of an attribute value or an element, as a browser reads it. */
export function unescapeHtml(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The page id in the poll URL of a page. */
export function pageIdIn(html: string): string {
  const id = /\/poll\?page=([0-9a-f-]{36})/.exec(html)?.[1];
  if (!id) throw new Error("no page id in this page");
  return id;
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

/** The timestamps of the table's rows, top to bottom. */
export function tableTimestamps(html: string): number[] {
  return [...html.matchAll(/<tr data-timestamp="([^"]+)">/g)].map(([, timestamp]) => Number(timestamp));
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
