/**
 * Reading the labs' HTML in tests, with regular expressions: the markup is the labs' own and
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

/** The opening tag of the element with this id, or undefined. */
function openingTag(html: string, id: string): string | undefined {
  return new RegExp(`<[a-z]+ [^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}

/** An attribute of the element with this id, unescaped, or undefined. */
export function attributeOf(html: string, id: string, name: string): string | undefined {
  const tag = openingTag(html, id);
  const value = tag && new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : unescapeHtml(value);
}

/** The timestamps of the rows of the shared samples table, top to bottom. */
export function tableTimestamps(html: string): number[] {
  return [...html.matchAll(/<tr data-timestamp="([^"]+)">/g)].map(([, timestamp]) => Number(timestamp));
}
