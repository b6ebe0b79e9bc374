/**
 * Writes the workshop's sample tracks (CSV, GPX and a README) into shared/data, or into the
 * folder given as the only argument. The output is the same, byte for byte, on every run.
 *
 *   npm run generate-samples -w shared [-- <output-folder>]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTrack, type TrackPlan } from "./build-track.ts";
import { type Fix, toCsv, toGpx } from "./files.ts";
import { TRACK_PLANS } from "./track-plans.ts";

const [folder = fileURLToPath(new URL("../data/", import.meta.url)), ...extra] = process.argv.slice(2);
if (extra.length > 0 || folder.startsWith("-")) {
  console.error("usage: npm run generate-samples -w shared [-- <output-folder>]");
  process.exit(2);
}
try {
  mkdirSync(folder, { recursive: true });
  const sections: string[] = [];
  for (const plan of TRACK_PLANS) {
    const fixes = buildTrack(plan);
    writeFileSync(join(folder, `${plan.name}.csv`), toCsv(fixes));
    writeFileSync(join(folder, `${plan.name}.gpx`), toGpx(plan.name, plan.title, fixes));
    console.log(`${plan.name}.csv, ${plan.name}.gpx: ${fixes.length} rows`);
    sections.push(section(plan, fixes));
  }
  writeFileSync(join(folder, "README.md"), toReadme(sections));
} catch (error) {
  console.error(`generate-samples: cannot write the samples to ${folder}: ${(error as Error).message}`);
  process.exit(1);
}

/** A track's part of the README, with its figures. */
function section(plan: TrackPlan, fixes: readonly Fix[]): string {
  const seconds = ((fixes.at(-1)?.time ?? 0) - (fixes[0]?.time ?? 0)) / 1000;
  const kilometres = (fixes.reduce((total, fix) => total + fix.distance, 0) / 1000).toFixed(2);
  const gaps = fixes.filter((fix) => fix.elapsed > 1).map((fix) => `${fix.elapsed} s`);
  const topSpeed = Math.max(0, ...fixes.map((fix) => fix.speed));
  return [
    `## \`${plan.name}.csv\`, \`${plan.name}.gpx\``,
    "",
    plan.description,
    "",
    `- Start: ${plan.start.replace("T", " ").replace(".000Z", " UTC")}`,
    `- Rows: ${fixes.length}, one fix per second except in the gaps`,
    `- Duration: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} (${seconds} s)`,
    `- Distance: ${kilometres} km (sum of \`distance_meters\`)`,
    `- Gaps: ${gaps.length} (${gaps.join(", ")} between rows)`,
    `- Top speed: ${topSpeed.toFixed(2)} m/s`,
    "",
  ].join("\n");
}

/** The data folder's README, written with the files so that its figures are always current. */
function toReadme(sections: readonly string[]): string {
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
    ...sections,
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
