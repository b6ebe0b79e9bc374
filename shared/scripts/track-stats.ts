import type { Fix } from "./fix.ts";

export interface TrackStats {
  rows: number;
  durationSeconds: number;
  distanceMeters: number;
  /** Seconds between the rows on either side of each gap (any step longer than 1 s). */
  gapSeconds: number[];
  maxSpeed: number;
}

export function statsOf(fixes: readonly Fix[]): TrackStats {
  const first = fixes[0];
  const last = fixes.at(-1);
  return {
    rows: fixes.length,
    durationSeconds: first && last ? (last.time - first.time) / 1000 : 0,
    distanceMeters: fixes.reduce((total, fix) => total + fix.distance, 0),
    gapSeconds: fixes.filter((fix) => fix.elapsed > 1).map((fix) => fix.elapsed),
    maxSpeed: Math.max(0, ...fixes.map((fix) => fix.speed)),
  };
}

/** "14:58" for 898 seconds. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

export const formatKilometres = (metres: number): string => `${(metres / 1000).toFixed(2)} km`;
