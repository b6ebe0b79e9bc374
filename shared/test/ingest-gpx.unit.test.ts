import { describe, expect, it } from "vitest";
import { haversineMeters } from "../src/geo.ts";
import { readTrack, TrackFileError } from "../src/ingest/index.ts";
import type { GpsRecord } from "../src/record.ts";
import { readAll, trackDir } from "./fixtures-tracks.ts";

const tracks = trackDir();

const gpx = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">
${body}
</gpx>
`;

const a = { latitude: 52.52, longitude: 13.405 };
const b = { latitude: 52.5201, longitude: 13.4051 };

describe("readTrack on GPX", () => {
  it("reads track points with their elevation, time, satellites, dilutions, and speed and course in extensions", async () => {
    const file = await tracks.write(
      "full.gpx",
      gpx(`<trk><name>Ride</name><trkseg>
  <trkpt lat="52.52" lon="13.405">
    <ele>34.5</ele><time>2024-05-01T08:00:00Z</time><sat>9</sat><hdop>0.9</hdop><vdop>1.2</vdop><pdop>1.5</pdop>
    <extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>4.2</gpxtpx:speed><gpxtpx:course>87.5</gpxtpx:course></gpxtpx:TrackPointExtension></extensions>
  </trkpt>
  <trkpt lat="52.5201" lon="13.4051"><time>2024-05-01T08:00:02.5Z</time></trkpt>
</trkseg></trk>`),
    );
    const { records, rejections } = await readAll(file);
    expect(rejections).toEqual([]);
    expect(records).toEqual<GpsRecord[]>([
      {
        timestamp: 1714550400,
        ...a,
        elevation: 34.5,
        accuracy: null,
        bearing: 87.5,
        speed_meters_per_second: 4.2,
        satellites: 9,
        hdop: 0.9,
        vdop: 1.2,
        pdop: 1.5,
        distance_meters: 0,
        elapsed_time_seconds: 0,
      },
      {
        timestamp: 1714550402.5,
        ...b,
        elevation: null,
        accuracy: null,
        bearing: null,
        speed_meters_per_second: null,
        satellites: null,
        hdop: null,
        vdop: null,
        pdop: null,
        distance_meters: haversineMeters(a, b),
        elapsed_time_seconds: 2.5,
      },
    ]);
  });

  it("reads GPX 1.0 style speed and course, and GPSLogger-style extensions without a prefix", async () => {
    const file = await tracks.write(
      "styles.gpx",
      gpx(`<trk><trkseg>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:00Z</time><course>10</course><speed>1.5</speed></trkpt>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:01Z</time><extensions><speed>2.5</speed></extensions></trkpt>
</trkseg></trk>`),
    );
    const { records } = await readAll(file);
    expect(records.map((r) => [r.bearing, r.speed_meters_per_second])).toEqual([
      [10, 1.5],
      [null, 2.5],
    ]);
  });

  it("reads every segment of every track, in order, deriving across them", async () => {
    const file = await tracks.write(
      "segments.gpx",
      gpx(`<wpt lat="9" lon="9"><time>2024-05-01T07:00:00Z</time></wpt>
<trk><trkseg><trkpt lat="1" lon="1"><time>2024-05-01T08:00:00Z</time></trkpt></trkseg>
<trkseg><trkpt lat="1" lon="1.001"><time>2024-05-01T08:00:01Z</time></trkpt></trkseg></trk>
<trk><trkseg><trkpt lat="1" lon="1.002"><time>2024-05-01T08:00:03Z</time></trkpt></trkseg></trk>`),
    );
    const { records } = await readAll(file);
    expect(records.map((r) => [r.longitude, r.elapsed_time_seconds])).toEqual([
      [1, 0],
      [1.001, 1],
      [1.002, 2],
    ]);
  });

  it("rejects a point without a time, or with bad values, naming its line, and carries on", async () => {
    const file = await tracks.write(
      "bad-points.gpx",
      gpx(`<trk><trkseg>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:00Z</time></trkpt>
<trkpt lat="1" lon="2"><ele>3</ele></trkpt>
<trkpt lat="91" lon="2"><time>2024-05-01T08:00:02Z</time></trkpt>
<trkpt lon="2"><time>2024-05-01T08:00:03Z</time></trkpt>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:04Z</time><sat>many</sat></trkpt>
<trkpt lat="1" lon="2"><time>yesterday</time></trkpt>
<trkpt
  lat="1" lon="2"><time>2024-05-01T08:00:06Z</time></trkpt>
</trkseg></trk>`),
    );
    const { records, rejections } = await readAll(file);
    expect(records.map((r) => r.timestamp)).toEqual([1714550400, 1714550406]);
    expect(rejections).toEqual([
      { file, line: 6, reason: "trkpt has no <time>" },
      { file, line: 7, reason: "lat 91 is greater than 90" },
      { file, line: 8, reason: "trkpt has no lat" },
      { file, line: 9, reason: 'sat "many" is not a number' },
      { file, line: 10, reason: 'time "yesterday" is not an ISO 8601 date-time (e.g. 2019-12-24T20:21:27Z)' },
    ]);
  });

  it("gives the points before broken XML, then a TrackFileError naming the file and line", async () => {
    const file = await tracks.write(
      "broken.gpx",
      gpx(`<trk><trkseg>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:00Z</time></trkpt>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:01Z</time></trkpt>
</trkseg></oops>`),
    );
    const records: GpsRecord[] = [];
    const read = async () => {
      for await (const record of readTrack(file)) records.push(record);
    };
    await expect(read()).rejects.toThrow(
      new TrackFileError(`${file}: line 7: not well-formed XML (Unexpected close tag)`),
    );
    expect(records).toHaveLength(2);
  });

  it("reports a file cut off in the middle as broken XML", async () => {
    const whole = gpx(`<trk><trkseg>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:00Z</time></trkpt>
<trkpt lat="1" lon="2"><time>2024-05-01T08:00:01Z</time></trkpt>`);
    const file = await tracks.write("truncated.gpx", whole.slice(0, whole.indexOf("</trkpt>", 150)));
    await expect(readAll(file)).rejects.toThrow(
      /truncated\.gpx: line \d+: not well-formed XML \(Unclosed root tag\)/,
    );
  });

  it("recognises GPX by its content, whatever the file is called, with a byte order mark and CRLF", async () => {
    const text = gpx(
      `<trk><trkseg><trkpt lat="1" lon="2"><time>2024-05-01T08:00:00Z</time></trkpt></trkseg></trk>`,
    );
    const file = await tracks.write("looks-like.csv", `\uFEFF${text.replaceAll("\n", "\r\n")}`);
    expect((await readAll(file)).records).toHaveLength(1);
  });
});
