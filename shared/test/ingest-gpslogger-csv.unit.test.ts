import { describe, expect, it } from "vitest";
import { haversineMeters } from "../src/geo.ts";
import { csv, readAll, trackDir } from "./fixtures-tracks.ts";

const tracks = trackDir();

const HEADER_18 =
  "time,lat,lon,elevation,accuracy,bearing,speed,satellites,provider,hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation";
const HEADER_24 = `${HEADER_18},timestamp_ms,time_offset,distance,starttimestamp_ms,profile_name,battery_charging`;

const a = { latitude: -27.717841, longitude: -51.098865 };
const b = { latitude: -27.717941, longitude: -51.098765 };
const c = { latitude: -27.718041, longitude: -51.098665 };

describe("readTrack on a GPSLogger CSV", () => {
  it("reads the 18-column format, with ISO 8601 times, and derives distance and elapsed time", async () => {
    const file = await tracks.write(
      "gpslogger-18.csv",
      csv([
        HEADER_18,
        "2019-12-24T20:21:27.999Z,-27.717841,-51.098865,984.3,4.0,125.9,0.5,14,gps,0.8,1.6,1.8,3.6,,,,85,",
        '2019-12-24T20:21:29.999Z,-27.717941,-51.098765,,,,,0,gps,,,,,,,,84,"stopped, briefly"',
      ]),
    );
    const { records, rejections } = await readAll(file);
    expect(rejections).toEqual([]);
    expect(records).toEqual([
      {
        timestamp: 1577218887.999,
        ...a,
        elevation: 984.3,
        accuracy: 4,
        bearing: 125.9,
        speed_meters_per_second: 0.5,
        satellites: 14,
        hdop: 0.8,
        vdop: 1.6,
        pdop: 1.8,
        distance_meters: 0,
        elapsed_time_seconds: 0,
      },
      {
        timestamp: 1577218889.999,
        ...b,
        elevation: null,
        accuracy: null,
        bearing: null,
        speed_meters_per_second: null,
        satellites: 0,
        hdop: null,
        vdop: null,
        pdop: null,
        distance_meters: haversineMeters(a, b),
        elapsed_time_seconds: 2,
      },
    ]);
  });

  it("reads the 24-column format and derives the step distance rather than using GPSLogger's running total", async () => {
    const file = await tracks.write(
      "gpslogger-24.csv",
      csv([
        HEADER_24,
        "2019-12-24T20:21:27.999Z,-27.717841,-51.098865,984.3,4.0,,0.0,0,gps,,,,,,,,64,,1577218887999,2019-12-24T17:21:27.999-03:00,14780.37,1577218000000,Default Profile,false",
        "2019-12-24T20:21:28.999Z,-27.717941,-51.098765,984.1,4.0,,0.0,0,gps,,,,,,,,64,,1577218888999,2019-12-24T17:21:28.999-03:00,14795.02,1577218000000,Default Profile,false",
      ]),
    );
    const { records } = await readAll(file);
    expect(records.map((r) => [r.timestamp, r.distance_meters, r.elapsed_time_seconds])).toEqual([
      [1577218887.999, 0, 0],
      [1577218888.999, haversineMeters(a, b), 1],
    ]);
  });

  it("derives from the previous accepted point, skipping rejected rows", async () => {
    const file = await tracks.write(
      "gpslogger-gap.csv",
      csv([
        "time,lat,lon",
        `2019-12-24T20:21:27Z,${a.latitude},${a.longitude}`,
        `2019-12-24T20:21:28Z,${b.latitude},999`,
        `2019-12-24T20:21:30Z,${c.latitude},${c.longitude}`,
      ]),
    );
    const { records, rejections } = await readAll(file);
    expect(rejections).toEqual([{ file, line: 3, reason: "lon 999 is greater than 180" }]);
    expect(records[1]).toMatchObject({ distance_meters: haversineMeters(a, c), elapsed_time_seconds: 3 });
  });

  it("reads times with an offset or without a zone (UTC)", async () => {
    const file = await tracks.write(
      "gpslogger-zones.csv",
      csv(["time,lat,lon", "2019-12-24T17:21:27.5-03:00,1,2", "2019-12-24T20:21:28,1,2"]),
    );
    const { records } = await readAll(file);
    expect(records.map((r) => r.timestamp)).toEqual([1577218887.5, 1577218888]);
  });

  it("rejects a time that is not ISO 8601, or that runs backwards", async () => {
    const file = await tracks.write(
      "gpslogger-bad-times.csv",
      csv([
        "time,lat,lon",
        "2019-12-24T20:21:27Z,1,2",
        "24/12/2019 20:21:28,1,2",
        "2019-02-30T00:00:00Z,1,2",
        "2019-12-24T20:21:20Z,1,2",
        "2019-12-24T20:21:29Z,1,2",
      ]),
    );
    const { records, rejections } = await readAll(file);
    expect(records.map((r) => r.timestamp)).toEqual([1577218887, 1577218889]);
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([
      [3, 'time "24/12/2019 20:21:28" is not an ISO 8601 date-time (e.g. 2019-12-24T20:21:27Z)'],
      [4, 'time "2019-02-30T00:00:00Z" is not an ISO 8601 date-time (e.g. 2019-12-24T20:21:27Z)'],
      [5, "time is 7 s earlier than the previous record's"],
    ]);
  });
});
