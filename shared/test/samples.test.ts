import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import sax from "sax";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haversineMeters, initialBearingDegrees } from "../src/geo.ts";
import { GPS_RECORD_FIELDS, type GpsRecord, GpsRecordSchema } from "../src/record.ts";

const DATA = fileURLToPath(new URL("../data/", import.meta.url));
const GENERATOR = fileURLToPath(new URL("../scripts/generate-samples.ts", import.meta.url));
const TSX = createRequire(import.meta.url).resolve("tsx/cli");
// Spawning tsx and generating both tracks takes about a second; leave room on a busy machine.
const SPAWN_TIMEOUT = 30_000;

const COURSE_HEADER =
  "timestamp,latitude,longitude,elevation,accuracy,bearing,speed_meters_per_second,satellites,provider,hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation,distance_meters,elapsed_time_seconds";
const ALWAYS_EMPTY = ["geoidheight", "ageofdgpsdata", "dgpsid", "activity", "annotation"];

const runGenerator = (...args: string[]) =>
  promisify(execFile)(process.execPath, [TSX, GENERATOR, ...args], { timeout: SPAWN_TIMEOUT });

type CsvRow = Record<string, string>;

/** The sample files have no quoted fields, so splitting on commas is a faithful parse. */
function parseCsv(text: string): { header: string; rows: CsvRow[] } {
  const [header = "", ...lines] = text.split("\n");
  expect(lines.pop()).toBe(""); // the file ends with a newline
  const names = header.split(",");
  const rows = lines.map((line) => {
    const cells = line.split(",");
    expect(cells).toHaveLength(names.length);
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ""]));
  });
  return { header, rows };
}

/** Validates a row as a record; an empty cell is a missing reading (null), never 0. */
function toRecord(row: CsvRow) {
  const fields = GPS_RECORD_FIELDS.map((field) => {
    const cell = row[field] ?? "";
    return [field, cell === "" ? null : Number(cell)];
  });
  return GpsRecordSchema.safeParse(Object.fromEntries(fields));
}

interface GpxPoint {
  attributes: Record<string, string>;
  /** Child element names in document order. */
  children: string[];
  /** Text of every element inside the point, by element name. */
  values: Record<string, string>;
}

function parseGpx(xml: string): { root: Record<string, string>; points: GpxPoint[] } {
  const parser = sax.parser(true);
  const open: string[] = [];
  const points: GpxPoint[] = [];
  let root: Record<string, string> = {};
  let text = "";
  parser.onopentag = (tag) => {
    const attributes = Object.fromEntries(
      Object.entries(tag.attributes).map(([name, value]) => [
        name,
        typeof value === "string" ? value : value.value,
      ]),
    );
    if (tag.name === "gpx") root = attributes;
    if (tag.name === "trkpt") points.push({ attributes, children: [], values: {} });
    else if (open.at(-1) === "trkpt") points.at(-1)?.children.push(tag.name);
    open.push(tag.name);
    text = "";
  };
  parser.ontext = (chunk) => {
    text += chunk;
  };
  parser.onclosetag = (name) => {
    open.pop();
    const point = points.at(-1);
    if (point && open.includes("trkpt")) point.values[name] = text.trim();
    text = "";
  };
  parser.write(xml).close();
  return { root, points };
}

const angleBetween = (a: number, b: number): number => Math.abs(((a - b + 540) % 360) - 180);
const median = (values: number[]): number =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

describe("generate-samples", () => {
  let output = "";
  let stdout = "";

  beforeAll(async () => {
    output = await mkdtemp(join(tmpdir(), "samples-"));
    ({ stdout } = await runGenerator(output));
  }, SPAWN_TIMEOUT);

  afterAll(async () => {
    await rm(output, { recursive: true, force: true });
  });

  it("regenerates the committed data folder byte for byte", async () => {
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

  it("prints one line per file with its rows, duration and distance", () => {
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const file of ["bike-campus.csv", "bike-campus.gpx", "drive-city.csv", "drive-city.gpx"]) {
      expect(lines.find((line) => line.startsWith(file))).toMatch(/ \d+ rows {2}\d+:\d\d {2}\d+\.\d\d km$/);
    }
  });

  it(
    "rejects a second argument with a usage line and exit code 2",
    async () => {
      await expect(runGenerator(output, "extra")).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(
          /^generate-samples: expected at most one output folder, got ".+ extra"\nusage: /,
        ),
      });
    },
    SPAWN_TIMEOUT,
  );

  it(
    "fails with a one-line message and exit code 1 when the folder cannot be created",
    async () => {
      const file = join(output, "not-a-folder");
      await writeFile(file, "");
      const failure = runGenerator(join(file, "data"));
      await expect(failure).rejects.toMatchObject({ code: 1 });
      const { stderr } = await failure.catch((error: { stderr: string }) => error);
      expect(stderr).toMatch(/^generate-samples: cannot write the samples to .*not-a-folder.*\n$/);
    },
    SPAWN_TIMEOUT,
  );
});

describe.each([
  { name: "bike-campus", minutes: 15, maxSpeed: 12, cruising: [4, 7] },
  { name: "drive-city", minutes: 10, maxSpeed: 25, cruising: [10, 17] },
])("$name", ({ name, minutes, maxSpeed, cruising }) => {
  let csvText = "";
  let rows: CsvRow[] = [];
  let records: GpsRecord[] = [];

  beforeAll(async () => {
    csvText = await readFile(join(DATA, `${name}.csv`), "utf8");
    rows = parseCsv(csvText).rows;
    records = rows.flatMap((row) => {
      const result = toRecord(row);
      return result.success ? [result.data] : [];
    });
  });

  it("starts with the course header and uses LF line endings without a BOM", () => {
    expect(csvText.startsWith(`${COURSE_HEADER}\n`)).toBe(true);
    expect(csvText).not.toContain("\r");
  });

  it("has rows that all satisfy GpsRecordSchema", () => {
    expect(rows.length).toBeGreaterThan(minutes * 50);
    for (const row of rows) expect(toRecord(row).error).toBeUndefined();
    expect(records).toHaveLength(rows.length);
  });

  it("leaves the cells a phone does not fill empty and names the gps provider", () => {
    for (const row of rows) {
      expect(ALWAYS_EMPTY.map((column) => row[column])).toEqual(["", "", "", "", ""]);
      expect(row.provider).toBe("gps");
    }
  });

  it("has strictly increasing timestamps, with elapsed_time_seconds their difference", () => {
    expect(records[0]?.elapsed_time_seconds).toBe(0);
    records.slice(1).forEach((record, i) => {
      const previous = records[i] as GpsRecord;
      expect(record.timestamp).toBeGreaterThan(previous.timestamp);
      expect(record.elapsed_time_seconds).toBeCloseTo(record.timestamp - previous.timestamp, 3);
    });
  });

  it(`lasts about ${minutes} minutes`, () => {
    const duration = (records.at(-1)?.timestamp ?? 0) - (records[0]?.timestamp ?? 0);
    expect(duration / 60).toBeGreaterThan(minutes - 1);
    expect(duration / 60).toBeLessThan(minutes + 1);
  });

  it("has one fix per second except for a few gaps of 2 to 8 seconds", () => {
    const steps = records.slice(1).map((record) => record.elapsed_time_seconds);
    const gaps = steps.filter((seconds) => seconds > 1);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(gaps.length).toBeLessThanOrEqual(5);
    for (const seconds of gaps) expect(seconds).toBeGreaterThanOrEqual(2);
    for (const seconds of gaps) expect(seconds).toBeLessThanOrEqual(8);
    expect(steps.filter((seconds) => seconds !== 1)).toEqual(gaps);
  });

  it(`has plausible speeds: below ${maxSpeed} m/s, cruising ${cruising.join("–")} m/s, some stops`, () => {
    const speeds = records.map((record) => record.speed_meters_per_second ?? NaN);
    expect(Math.max(...speeds)).toBeLessThan(maxSpeed);
    expect(speeds.filter((speed) => speed < 0.3).length).toBeGreaterThanOrEqual(20);
    const moving = median(speeds.filter((speed) => speed > 2));
    expect(moving).toBeGreaterThan(cruising[0] ?? 0);
    expect(moving).toBeLessThan(cruising[1] ?? 0);
  });

  it("has distance_meters equal to the haversine distance from the previous row", () => {
    expect(records[0]?.distance_meters).toBe(0);
    records.slice(1).forEach((record, i) => {
      const haversine = haversineMeters(records[i] as GpsRecord, record);
      // Printed with three decimals: within half a millimetre.
      expect(Math.abs(record.distance_meters - haversine)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  });

  it("has positions whose speed agrees with the reported speed", () => {
    const disagreements = records
      .slice(1)
      .filter((record) => record.elapsed_time_seconds === 1)
      .map((record) => Math.abs(record.distance_meters - (record.speed_meters_per_second ?? NaN)));
    // GPS position noise makes single steps disagree by a fraction of a metre, never wildly.
    expect(median(disagreements)).toBeLessThan(0.5);
    expect(Math.max(...disagreements)).toBeLessThan(3);
  });

  it("has a bearing that follows the direction of travel", () => {
    const errors = records.slice(1, -1).flatMap((record, i) => {
      const before = records[i] as GpsRecord;
      const after = records[i + 2] as GpsRecord;
      if ((record.speed_meters_per_second ?? 0) < 3) return [];
      return [angleBetween(record.bearing ?? NaN, initialBearingDegrees(before, after))];
    });
    expect(errors.length).toBeGreaterThan(100);
    expect(median(errors)).toBeLessThan(5);
  });

  it("reports a plausible receiver: accuracy 3–10 m, 8–16 satellites, pdop² ≈ hdop² + vdop²", () => {
    for (const { accuracy, satellites, hdop, vdop, pdop } of records) {
      expect(accuracy).toBeGreaterThanOrEqual(3);
      expect(accuracy).toBeLessThanOrEqual(10);
      expect(satellites).toBeGreaterThanOrEqual(8);
      expect(satellites).toBeLessThanOrEqual(16);
      expect(vdop).toBeGreaterThan(hdop ?? NaN);
      // Each dilution is printed with one decimal, so allow for rounding.
      expect(Math.abs((pdop ?? NaN) - Math.hypot(hdop ?? NaN, vdop ?? NaN))).toBeLessThanOrEqual(0.051);
    }
  });

  it("has a smooth elevation profile, changing by under 2 m a second", () => {
    const rates = records.slice(1).map((record, i) => {
      const climb = (record.elevation ?? NaN) - ((records[i] as GpsRecord).elevation ?? NaN);
      return Math.abs(climb) / record.elapsed_time_seconds;
    });
    expect(Math.max(...rates)).toBeLessThan(2);
  });

  it("has a battery level that slowly goes down", () => {
    const levels = rows.map((row) => Number(row.battery));
    levels.slice(1).forEach((level, i) => {
      expect(level).toBeLessThanOrEqual(levels[i] ?? NaN);
    });
    expect((levels[0] ?? 0) - (levels.at(-1) ?? 0)).toBeGreaterThanOrEqual(2);
  });

  it("has a GPX 1.1 twin holding the same points, children in schema order", async () => {
    const xml = await readFile(join(DATA, `${name}.gpx`), "utf8");
    expect(xml.length).toBeLessThan(1_000_000);
    const { root, points } = parseGpx(xml);
    expect(root).toMatchObject({ version: "1.1", xmlns: "http://www.topografix.com/GPX/1/1" });
    expect(points).toHaveLength(rows.length);
    points.forEach((point, i) => {
      const row = rows[i] as CsvRow;
      expect(point.attributes).toEqual({ lat: row.latitude, lon: row.longitude });
      expect(point.children).toEqual(["ele", "time", "src", "sat", "hdop", "vdop", "pdop", "extensions"]);
      expect(point.values).toMatchObject({
        ele: row.elevation,
        time: new Date(Number(row.timestamp) * 1000).toISOString(),
        sat: row.satellites,
        hdop: row.hdop,
        vdop: row.vdop,
        pdop: row.pdop,
        "gpxtpx:speed": row.speed_meters_per_second,
        "gpxtpx:course": row.bearing,
      });
    });
  });
});
