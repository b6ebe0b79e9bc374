/**
 * How the web pages write numbers and times. Every value a page shows goes through one of these
 * functions, so that a missing reading always reads "—" and a number is never printed raw.
 */

/** What a page shows for a reading the recording does not have (`null`) or that is not a number. */
export const MISSING = "—";

const formatters = new Map<number, Intl.NumberFormat>();

/** `value` with exactly `digits` decimals and thousands separators: 1234.5 → "1,234.50" (digits 2). */
export function formatNumber(value: number | null, digits: number): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  let formatter = formatters.get(digits);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en-GB", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(digits, formatter);
  }
  // -0.00 would read as a negative value.
  return formatter.format(value === 0 ? 0 : value).replace(/^-(0[.,]?0*)$/, "$1");
}

/** A speed in m/s as "4.20 m/s (15.1 km/h)". */
export function formatSpeed(metersPerSecond: number | null): string {
  if (metersPerSecond === null || !Number.isFinite(metersPerSecond)) return MISSING;
  return `${formatNumber(metersPerSecond, 2)} m/s (${formatNumber(metersPerSecond * 3.6, 1)} km/h)`;
}

/** A distance in metres, as metres below 10 km and as kilometres above: "850 m", "12.3 km". */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters)) return MISSING;
  return Math.abs(meters) < 10_000 ? `${formatNumber(meters, 0)} m` : `${formatNumber(meters / 1000, 1)} km`;
}

function utcDate(epochSeconds: number): Date | undefined {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A record's timestamp (seconds since the epoch) as "2023-11-14 22:13:20" (UTC). */
export function formatDateTime(epochSeconds: number): string {
  const date = utcDate(epochSeconds);
  return date ? date.toISOString().slice(0, 19).replace("T", " ") : MISSING;
}

/** A record's timestamp as the time of day, "22:13:20" (UTC). */
export function formatTimeOfDay(epochSeconds: number): string {
  const date = utcDate(epochSeconds);
  return date ? date.toISOString().slice(11, 19) : MISSING;
}
