// 2019-12-24T20:21:27.999Z: an optional fraction, then Z, ±hh:mm or nothing (UTC, as GPX
// prescribes). A space may stand for the T.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):?(\d{2}))?$/i;

/** An ISO 8601 date-time as seconds since the Unix epoch, or undefined when it is not one. */
export function parseIsoTime(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const part = (index: number): number => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // 60 is a leap second.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const offsetMinutes = (match[8] === "-" ? -1 : 1) * (part(9) * 60 + part(10));
  // The fraction as milliseconds read from its digits ("007" → 7), not 0.007 * 1000 (7.000000000000001):
  // whole milliseconds divided by 1000 then give the same number as the decimal text "….007".
  const digits = match[7] ?? "";
  const fractionMs = Number(`${digits.slice(0, 3).padEnd(3, "0")}.${digits.slice(3)}`);
  const milliseconds =
    Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMinutes * 60_000;
  return milliseconds / 1000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
