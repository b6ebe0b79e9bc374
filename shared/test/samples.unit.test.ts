import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAll } from "./fixtures-tracks.ts";

const DATA = fileURLToPath(new URL("../data/", import.meta.url));
const GENERATOR = fileURLToPath(new URL("../scripts/generate-samples.ts", import.meta.url));
const TSX = createRequire(import.meta.url).resolve("tsx/cli");
// Spawning tsx and generating both tracks takes about a second; leave room on a busy machine.
const SPAWN_TIMEOUT = 30_000;

describe("the sample tracks", () => {
  let output = "";

  beforeAll(async () => {
    output = await mkdtemp(join(tmpdir(), "samples-"));
    await promisify(execFile)(process.execPath, [TSX, GENERATOR, output], { timeout: SPAWN_TIMEOUT });
  }, SPAWN_TIMEOUT);

  afterAll(async () => {
    await rm(output, { recursive: true, force: true });
  });

  it("are exactly what npm run generate-samples writes", async () => {
    const committed = (await readdir(DATA)).sort();
    expect((await readdir(output)).sort()).toEqual(committed);
    for (const file of committed) {
      const expected = await readFile(join(DATA, file));
      expect(
        await readFile(join(output, file)),
        `${file} differs: run npm run generate-samples -w shared`,
      ).toEqual(expected);
    }
  });

  it.each(["bike-campus", "drive-city"])(
    "read without a rejected row, %s.gpx holding the same fixes as %s.csv, one a second but for a few gaps",
    async (name) => {
      const csv = await readAll(join(DATA, `${name}.csv`));
      const gpx = await readAll(join(DATA, `${name}.gpx`));
      expect(csv.rejections).toEqual([]);
      expect(gpx.rejections).toEqual([]);
      const fix = ({
        timestamp,
        latitude,
        longitude,
        speed_meters_per_second,
      }: (typeof csv.records)[number]) => ({
        timestamp,
        latitude,
        longitude,
        speed_meters_per_second,
      });
      expect(gpx.records.map(fix)).toEqual(csv.records.map(fix));
      const steps = csv.records.slice(1).map((record) => record.elapsed_time_seconds);
      expect(steps.filter((seconds) => seconds !== 1).length).toBeLessThan(5);
      expect(Math.min(...steps)).toBeGreaterThan(0);
    },
  );
});
