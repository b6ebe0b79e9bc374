import { describe, expect, it } from "vitest";
import { haversineMeters } from "../src/geo.ts";
import { COURSE_HEADER, COURSE_RECORDS, COURSE_ROWS, csv, readAll, trackDir } from "./fixtures-tracks.ts";

const tracks = trackDir();

describe("readTrack on the course CSV", () => {
  it("reads each row into a record, in file order", async () => {
    const file = await tracks.write("course.csv", csv([COURSE_HEADER, ...COURSE_ROWS]));
    expect(await readAll(file)).toEqual({ records: COURSE_RECORDS, rejections: [] });
  });

  it("reads a last row that has no line break", async () => {
    const file = await tracks.write("no-final-break.csv", [COURSE_HEADER, ...COURSE_ROWS].join("\n"));
    expect(await readAll(file)).toEqual({ records: COURSE_RECORDS, rejections: [] });
  });

  it("reads a file with a byte order mark and CRLF line breaks", async () => {
    const file = await tracks.write("windows.csv", `\uFEFF${csv([COURSE_HEADER, ...COURSE_ROWS], "\r\n")}`);
    expect(await readAll(file)).toEqual({ records: COURSE_RECORDS, rejections: [] });
  });

  it("finds columns by name, whatever their order, and ignores columns it does not know", async () => {
    const file = await tracks.write(
      "shuffled.csv",
      csv([
        "comment,elapsed_time_seconds,longitude,satellites,timestamp,latitude,distance_meters",
        "hello,2.5,13.405,7,1700000000,52.52,10",
      ]),
    );
    const { records } = await readAll(file);
    expect(records).toEqual([
      {
        timestamp: 1_700_000_000,
        latitude: 52.52,
        longitude: 13.405,
        elevation: null,
        accuracy: null,
        bearing: null,
        speed_meters_per_second: null,
        satellites: 7,
        hdop: null,
        vdop: null,
        pdop: null,
        distance_meters: 10,
        elapsed_time_seconds: 2.5,
      },
    ]);
  });

  it("makes empty sensor cells null, not 0", async () => {
    const file = await tracks.write(
      "gaps.csv",
      csv([
        "timestamp,latitude,longitude,elevation,speed_meters_per_second,hdop",
        "1700000000,52.52,13.405,, ,0",
      ]),
    );
    const [record] = (await readAll(file)).records;
    expect(record).toMatchObject({ elevation: null, speed_meters_per_second: null, hdop: 0 });
  });

  it("derives distance and elapsed time from the previous record when their cells are empty", async () => {
    const file = await tracks.write(
      "derived.csv",
      csv([
        "timestamp,latitude,longitude,distance_meters,elapsed_time_seconds",
        "1700000000,52.52,13.405,,",
        "1700000004.5,52.521,13.405,,",
        "1700000006,52.522,13.405,99,",
      ]),
    );
    const { records } = await readAll(file);
    const step = haversineMeters(
      { latitude: 52.52, longitude: 13.405 },
      { latitude: 52.521, longitude: 13.405 },
    );
    expect(records.map((r) => [r.distance_meters, r.elapsed_time_seconds])).toEqual([
      [0, 0],
      [step, 4.5],
      [99, 1.5],
    ]);
  });

  it("reads quoted cells with commas, escaped quotes and line breaks, and keeps later line numbers right", async () => {
    const file = await tracks.write(
      "quoted.csv",
      csv([
        "timestamp,latitude,longitude,annotation",
        '1700000000,"52.52",13.405,"left the car park, ""slowly"""',
        '1700000001,52.52,13.405,"a note\non three\r\nlines"',
        "1700000002,152.52,13.405,",
      ]),
    );
    const { records, rejections } = await readAll(file);
    expect(records.map((r) => r.latitude)).toEqual([52.52, 52.52]);
    expect(rejections).toEqual([{ file, line: 6, reason: "latitude 152.52 is greater than 90" }]);
  });

  it("reports each bad row with its file, line and reason, and carries on with the next", async () => {
    const file = await tracks.write(
      "bad-rows.csv",
      csv([
        "timestamp,latitude,longitude,satellites,hdop",
        "1700000000,52.52,13.405,7,0.9",
        "1700000001,123.4,13.405,7,0.9",
        ",52.52,13.405,7,0.9",
        "1700000003,52.52,13.405",
        "1700000004,52.52,east,7,0.9",
        "1700000005,52.52,13.405,-3,0.9",
        "1700000006,52.52,13.405,7.5,0.9",
        '1700000007,52.52,13.405,"7"x,0.9',
        "1700000008,52.52,13.405,7,-0.9",
        "1700000009,52.52,13.405,7,0.9",
      ]),
    );
    const { records, rejections } = await readAll(file);
    expect(records.map((r) => r.timestamp)).toEqual([1_700_000_000, 1_700_000_009]);
    expect(rejections).toEqual([
      { file, line: 3, reason: "latitude 123.4 is greater than 90" },
      { file, line: 4, reason: "timestamp is empty" },
      { file, line: 5, reason: "row has 3 cells, header has 5" },
      { file, line: 6, reason: 'longitude "east" is not a number' },
      { file, line: 7, reason: "satellites -3 is less than 0" },
      { file, line: 8, reason: "satellites 7.5 is not a whole number" },
      { file, line: 9, reason: 'satellites "\\"7\\"x" is not a number' },
      { file, line: 10, reason: "hdop -0.9 is less than 0" },
    ]);
  });

  it("skips blank lines, in the middle and at the end", async () => {
    const file = await tracks.write(
      "blank-lines.csv",
      `${COURSE_HEADER}\n\n${COURSE_ROWS[0]}\n   \n${COURSE_ROWS[1]}\n\n\r\n\n`,
    );
    expect(await readAll(file)).toEqual({ records: COURSE_RECORDS, rejections: [] });
  });

  it("reads a file far larger than one read, with quoted line breaks across the read boundaries", async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `${1_700_000_000 + i},52.52,13.405,"note ${i},\nsecond line ""quoted"""`,
    );
    rows[15_000] = "1700015000,99,13.405,x";
    const file = await tracks.write("large.csv", csv(["timestamp,latitude,longitude,annotation", ...rows]));
    const { records, rejections } = await readAll(file);
    expect(records).toHaveLength(19_999);
    expect(records.at(-1)?.timestamp).toBe(1_700_019_999);
    // The header is line 1, then two lines per row.
    expect(rejections).toEqual([{ file, line: 2 + 15_000 * 2, reason: "latitude 99 is greater than 90" }]);
  });
});
