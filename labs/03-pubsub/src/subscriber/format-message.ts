/**
 * A message as printed: as it came, or with `pretty` its JSON indented. A message that is not
 * JSON is printed as it came, since anyone can publish anything on a channel.
 */
export function formatMessage(message: string, pretty: boolean): string {
  if (!pretty) return message;
  try {
    return JSON.stringify(JSON.parse(message), null, 2);
  } catch {
    return message;
  }
}
