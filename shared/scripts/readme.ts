import type { TrackPlan } from "./build-track.ts";
import { formatDuration, formatKilometres, type TrackStats } from "./track-stats.ts";

export interface GeneratedTrack {
  plan: TrackPlan;
  stats: TrackStats;
}

function section({ plan, stats }: GeneratedTrack): string {
  const gaps = stats.gapSeconds.map((seconds) => `${seconds} s`).join(", ");
  return [
    `## \`${plan.name}.csv\`, \`${plan.name}.gpx\``,
    "",
    plan.description,
    "",
    `- Start: ${plan.start.replace("T", " ").replace(".000Z", " UTC")}`,
    `- Rows: ${stats.rows}, one fix per second except in the gaps`,
    `- Duration: ${formatDuration(stats.durationSeconds)} (${stats.durationSeconds} s)`,
    `- Distance: ${formatKilometres(stats.distanceMeters)} (sum of \`distance_meters\`)`,
    `- Gaps: ${stats.gapSeconds.length} (${gaps} between rows)`,
    `- Top speed: ${stats.maxSpeed.toFixed(2)} m/s`,
    "",
  ].join("\n");
}

/** The data folder's README, written with the files so that its figures are always current. */
export function toReadme(tracks: readonly GeneratedTrack[]): string {
  return [
    "# Sample tracks",
    "",
    "Synthetic GPS recordings in the course's CSV format and as GPX 1.1. They are made by",
    "`scripts/generate-samples.ts` from a fixed seed, so every run writes the same bytes:",
    "",
    "```sh",
    "npm run generate-samples -w shared                  # rewrites this folder",
    "npm run generate-samples -w shared -- /tmp/samples  # or writes elsewhere",
    "```",
    "",
    "Do not edit these files by hand: a test regenerates them and fails on any difference.",
    "Change the plans in `scripts/track-plans.ts` instead, then regenerate.",
    "",
    ...tracks.map(section),
    "## What the data looks like",
    "",
    "- One fix per second. Where the receiver lost the fix, rows are missing and the next row's",
    "  `elapsed_time_seconds` is more than 1.",
    "- Positions carry a few metres of slowly drifting error, like a phone's: the track wanders",
    "  around the street, and keeps drifting a little while the speed reads 0 at a stop.",
    "- `elevation` is metres above the WGS 84 ellipsoid, as phones report it. Around San Francisco",
    "  Bay that is about 32 m below the sea-level heights of a map.",
    "- `accuracy` (metres), `satellites`, `hdop`, `vdop` and `pdop` (with pdop² ≈ hdop² + vdop²)",
    "  get worse in the seconds around each gap.",
    "- `bearing` is the direction of travel in degrees; `speed_meters_per_second` the Doppler speed.",
    "- `geoidheight`, `ageofdgpsdata`, `dgpsid`, `activity` and `annotation` are empty, as in most",
    "  GPSLogger recordings; `provider` is `gps`.",
    "- `distance_meters` is the haversine distance from the previous row (0 on the first row),",
    "  `elapsed_time_seconds` the time since it.",
    "- The GPX files hold the same points. Speed (m/s) and course (degrees) are in Garmin's",
    "  TrackPointExtension v2 (`gpxtpx:speed`, `gpxtpx:course`), as GPSLogger writes them.",
    "",
  ].join("\n");
}
