import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type ReadTrackOptions, type Rejection, readTrack } from "../src/ingest/index.ts";
import type { GpsRecord } from "../src/record.ts";

export const COURSE_HEADER =
  "timestamp,latitude,longitude,elevation,accuracy,bearing,speed_meters_per_second,satellites,provider," +
  "hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation,distance_meters,elapsed_time_seconds";

/** The first two rows of a course recording, and the records they stand for. */
export const COURSE_ROWS = [
  "1577218887.999,-27.71784157287977,-51.0988658712078,984.2761120124112,4.0,125.85696,0.008167012,14,gps,0.8,1.6,1.8,3.6,,,,85,,0.0135115947340779,2.0",
  "1577218888.999,-27.71784152355098,-51.09886576488166,984.2648134605096,4.0,126.686325,0.005111691,14,gps,0.8,1.6,1.8,3.6,,,,85,,0.011824887840659043,1.0",
];
export const COURSE_RECORDS: GpsRecord[] = [
  {
    timestamp: 1577218887.999,
    latitude: -27.71784157287977,
    longitude: -51.0988658712078,
    elevation: 984.2761120124112,
    accuracy: 4,
    bearing: 125.85696,
    speed_meters_per_second: 0.008167012,
    satellites: 14,
    hdop: 0.8,
    vdop: 1.6,
    pdop: 1.8,
    distance_meters: 0.0135115947340779,
    elapsed_time_seconds: 2,
  },
  {
    timestamp: 1577218888.999,
    latitude: -27.71784152355098,
    longitude: -51.09886576488166,
    elevation: 984.2648134605096,
    accuracy: 4,
    bearing: 126.686325,
    speed_meters_per_second: 0.005111691,
    satellites: 14,
    hdop: 0.8,
    vdop: 1.6,
    pdop: 1.8,
    distance_meters: 0.011824887840659043,
    elapsed_time_seconds: 1,
  },
];

/**
 * A temp dir for the track files of one test file, removed after its last test. Call at the top
 * level of the test file; `write` returns the new file's path.
 */
export function trackDir(): {
  write(name: string, content: string | Buffer): Promise<string>;
  path(name: string): string;
} {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ingest-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    path: (name) => path.join(dir, name),
    write: async (name, content) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    },
  };
}

/** Everything readTrack gives for a file: its records, and the rejections in the order reported. */
export async function readAll(
  file: string,
  options: Omit<ReadTrackOptions, "onReject"> = {},
): Promise<{ records: GpsRecord[]; rejections: Rejection[] }> {
  const records: GpsRecord[] = [];
  const rejections: Rejection[] = [];
  for await (const record of readTrack(file, {
    ...options,
    onReject: (rejection) => rejections.push(rejection),
  })) {
    records.push(record);
  }
  return { records, rejections };
}

/** Rows of a CSV file, joined with `eol` and ended with one. */
export function csv(rows: string[], eol = "\n"): string {
  return rows.map((row) => row + eol).join("");
}
