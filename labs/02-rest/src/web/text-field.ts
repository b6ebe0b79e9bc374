/**
 * One text value of a parsed form body or query string: "" when it is missing, and also when it
 * was sent twice (`?a=1&a=2` parses to an array).
 */
export function textField(source: unknown, name: string): string {
  if (typeof source !== "object" || source === null) return "";
  const value = (source as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
}
