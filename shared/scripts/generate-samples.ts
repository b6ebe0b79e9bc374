/**
 * Writes the workshop's sample tracks (CSV, GPX and a README) into shared/data, or into the
 * folder given as the only argument. The output is the same, byte for byte, on every run.
 *
 *   npm run generate-samples -w shared [-- <output-folder>]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTrack } from "./build-track.ts";
import { toCsv } from "./csv.ts";
import { toGpx } from "./gpx.ts";
import { type GeneratedTrack, toReadme } from "./readme.ts";
import { TRACK_PLANS } from "./track-plans.ts";
import { formatDuration, formatKilometres, statsOf } from "./track-stats.ts";

const USAGE = "usage: generate-samples [output-folder]  (default: the shared/data folder)";
const DEFAULT_FOLDER = fileURLToPath(new URL("../data/", import.meta.url));

function generate(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const tracks: GeneratedTrack[] = [];
  for (const plan of TRACK_PLANS) {
    const fixes = buildTrack(plan);
    const stats = statsOf(fixes);
    const figures = `${stats.rows} rows  ${formatDuration(stats.durationSeconds)}  ${formatKilometres(stats.distanceMeters)}`;
    const files: [name: string, content: string][] = [
      [`${plan.name}.csv`, toCsv(fixes)],
      [`${plan.name}.gpx`, toGpx(plan.name, plan.title, fixes)],
    ];
    for (const [file, content] of files) {
      writeFileSync(join(folder, file), content);
      console.log(`${file.padEnd(16)}  ${figures}`);
    }
    tracks.push({ plan, stats });
  }
  writeFileSync(join(folder, "README.md"), toReadme(tracks));
}

const args = process.argv.slice(2);
if (args[0] === "--help" || args[0] === "-h") {
  console.log(USAGE);
} else if (args.length > 1 || args[0]?.startsWith("-")) {
  console.error(`generate-samples: expected at most one output folder, got "${args.join(" ")}"\n${USAGE}`);
  process.exitCode = 2;
} else {
  const folder = resolve(args[0] ?? DEFAULT_FOLDER);
  try {
    generate(folder);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`generate-samples: cannot write the samples to ${folder}: ${reason}`);
    process.exitCode = 1;
  }
}
