/** One published GPS fix: the numbers already rounded to the digits the files print. */
export interface Fix {
  /** Milliseconds since the Unix epoch. */
  time: number;
  latitude: number;
  longitude: number;
  /** Metres above the WGS 84 ellipsoid. */
  elevation: number;
  accuracy: number;
  bearing: number;
  speed: number;
  satellites: number;
  hdop: number;
  vdop: number;
  pdop: number;
  /** Phone battery, percent. */
  battery: number;
  /** Metres from the previous fix (haversine), 0 for the first. */
  distance: number;
  /** Seconds since the previous fix, 0 for the first. */
  elapsed: number;
}

/**
 * Decimal places of each kind of number. Rounding once, here, lets the CSV and the GPX print
 * identical values and lets distances be computed from exactly the printed coordinates.
 */
export const DECIMALS = {
  degrees: 7, // about 1 cm
  elevation: 1,
  accuracy: 1,
  bearing: 1,
  speed: 2,
  dop: 1,
  metres: 3,
  seconds: 3,
} as const;

export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Fixed-point text, never "-0.0" (a value that rounds to zero prints as zero). */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}
