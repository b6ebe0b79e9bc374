import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type Rejection, readTrack, TrackFileError } from "../src/ingest/index.ts";
import type { GpsRecord } from "../src/record.ts";
import { COURSE_HEADER, COURSE_ROWS, csv, readAll, trackDir } from "./fixtures-tracks.ts";

const tracks = trackDir();

const NOT_A_TRACK = "not a GPS track (expected the course CSV, a GPSLogger CSV or GPX 1.1)";

/** A course CSV of `rows` valid rows, one second apart. */
const longTrack = (rows: number): string =>
  csv([
    "timestamp,latitude,longitude",
    ...Array.from({ length: rows }, (_, i) => `${1_700_000_000 + i},52.52,13.405`),
  ]);

describe("readTrack errors", () => {
  it("names a missing file", async () => {
    const file = tracks.path("missing.csv");
    await expect(readAll(file)).rejects.toThrow(new TrackFileError(`${file}: no such file`));
  });

  it("names a directory given as a track", async () => {
    const dir = tracks.path("a-folder");
    await mkdir(dir);
    await expect(readAll(dir)).rejects.toThrow(
      new TrackFileError(`${dir}: is a directory, not a track file`),
    );
  });

  it("says an empty file is empty, even with a byte order mark or blank lines", async () => {
    for (const [name, content] of [
      ["empty.csv", ""],
      ["bom.csv", "\uFEFF"],
      ["blank.csv", "\n \r\n\n"],
    ]) {
      const file = await tracks.write(name as string, content as string);
      await expect(readAll(file)).rejects.toThrow(new TrackFileError(`${file}: the file is empty`));
    }
  });

  it("says what it expected when the content is not a track, whatever the file's name", async () => {
    const json = await tracks.write("track.csv", '{"timestamp": 1700000000, "latitude": 52.52}\n');
    await expect(readAll(json)).rejects.toThrow(new TrackFileError(`${json}: ${NOT_A_TRACK}`));
    const png = await tracks.write(
      "track.gpx",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
    );
    await expect(readAll(png)).rejects.toThrow(new TrackFileError(`${png}: ${NOT_A_TRACK}`));
  });

  it("treats a header without rows as an empty track, which is an error", async () => {
    const file = await tracks.write("header-only.csv", `${COURSE_HEADER}\n`);
    await expect(readAll(file)).rejects.toThrow(new TrackFileError(`${file}: has no GPS records`));
    const gpx = await tracks.write("no-points.gpx", '<gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>');
    await expect(readAll(gpx)).rejects.toThrow(new TrackFileError(`${gpx}: has no GPS records`));
  });

  it("reports every rejected row, then says that no valid record was left", async () => {
    const file = await tracks.write(
      "all-bad.csv",
      csv(["timestamp,latitude,longitude", "1,95,0", "2,0,200"]),
    );
    const rejections: Rejection[] = [];
    const read = async () => {
      for await (const _ of readTrack(file, { onReject: (r) => rejections.push(r) })) {
        // no record expected
      }
    };
    await expect(read()).rejects.toThrow(
      new TrackFileError(`${file}: has no valid GPS records (all 2 were rejected)`),
    );
    expect(rejections.map((r) => r.line)).toEqual([2, 3]);
  });

  it("stops at a quote left open instead of reading the rest of a large file into memory", async () => {
    const rows = longTrack(60_000).split("\n");
    rows[2] = `"${rows[2]}`;
    const large = await tracks.write("open-quote.csv", rows.join("\n"));
    await expect(readAll(large)).rejects.toThrow(
      new TrackFileError(
        `${large}: Max Record Size: record exceed the maximum number of tolerated bytes of 1048576 at line 43693`,
      ),
    );
    const small = await tracks.write("open-quote-small.csv", longTrack(3).replace("\n17", '\n"17'));
    await expect(readAll(small)).rejects.toThrow(
      new TrackFileError(
        `${small}: Quote Not Closed: the parsing is finished with an opening quote at line 4`,
      ),
    );
  });

  it("keeps every error message on one line", async () => {
    const file = await tracks.write(
      "broken.gpx",
      '<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="2"></trk>',
    );
    const error = await readAll(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrackFileError);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("readTrack stopping", () => {
  it("stops when the signal is aborted, with the signal's reason, yielding nothing more", async () => {
    const file = await tracks.write("long.csv", longTrack(50_000));
    const controller = new AbortController();
    const records: GpsRecord[] = [];
    const read = async () => {
      for await (const record of readTrack(file, { signal: controller.signal })) {
        records.push(record);
        if (records.length === 3) controller.abort(new Error("replay cancelled"));
      }
    };
    await expect(read()).rejects.toThrow("replay cancelled");
    expect(records).toHaveLength(3);
  });

  it("stops a read that is still waiting for the disk", async () => {
    const file = await tracks.write("waiting.csv", longTrack(10));
    const controller = new AbortController();
    const first = readTrack(file, { signal: controller.signal }).next();
    controller.abort();
    await expect(first).rejects.toMatchObject({ name: "AbortError" });
  });

  it("does not start with a signal that is already aborted", async () => {
    const file = tracks.path("never-opened.csv");
    const read = readTrack(file, { signal: AbortSignal.abort() }).next();
    await expect(read).rejects.toMatchObject({ name: "AbortError" });
  });

  it("can be left early with break, and read again from the start", async () => {
    const file = await tracks.write("twice.csv", csv([COURSE_HEADER, ...COURSE_ROWS]));
    for await (const record of readTrack(file)) {
      expect(record.timestamp).toBe(1577218887.999);
      break;
    }
    expect((await readAll(file)).records).toHaveLength(2);
  });
});
