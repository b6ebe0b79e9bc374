import { describe, expect, it } from "vitest";
import { detectFormat } from "../src/ingest/index.ts";
import { COURSE_HEADER, COURSE_ROWS } from "./fixtures-tracks.ts";

const GPSLOGGER_18 =
  "time,lat,lon,elevation,accuracy,bearing,speed,satellites,provider,hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation";
const GPSLOGGER_24 = `${GPSLOGGER_18},timestamp_ms,time_offset,distance,starttimestamp_ms,profile_name,battery_charging`;

describe("detectFormat", () => {
  it("recognises the course CSV by its header", () => {
    expect(detectFormat(`${COURSE_HEADER}\n${COURSE_ROWS[0]}\n`)).toBe("course-csv");
  });

  it("recognises the course CSV with its columns in another order and in capitals", () => {
    expect(detectFormat("Longitude,elevation,LATITUDE,timestamp\r\n1,2,3,4\r\n")).toBe("course-csv");
  });

  it("recognises both GPSLogger headers, 18 and 24 columns", () => {
    expect(detectFormat(`${GPSLOGGER_18}\n`)).toBe("gpslogger-csv");
    expect(detectFormat(`${GPSLOGGER_24}\n`)).toBe("gpslogger-csv");
  });

  it("recognises GPX by its root element, after a declaration, comments and a byte order mark", () => {
    const gpx = '\uFEFF<?xml version="1.0"?>\n<!-- exported -->\n<gpx version="1.1" creator="x">';
    expect(detectFormat(gpx)).toBe("gpx");
    expect(detectFormat("<gpx>")).toBe("gpx");
  });

  it("recognises a header whose only line is cut short of its line break", () => {
    expect(detectFormat("time,lat,lon")).toBe("gpslogger-csv");
  });

  it("rejects other XML, other CSV and empty text", () => {
    expect(detectFormat('<?xml version="1.0"?><kml><Placemark/></kml>')).toBeUndefined();
    expect(detectFormat("<gpxdata>")).toBeUndefined();
    expect(detectFormat("name,age\nada,36\n")).toBeUndefined();
    expect(detectFormat("timestamp,latitude\n1,2\n")).toBeUndefined();
    expect(detectFormat('{"timestamp": 1}')).toBeUndefined();
    expect(detectFormat("")).toBeUndefined();
  });

  it("looks only at the header line, not at the rows below it", () => {
    expect(detectFormat("a,b,c\ntimestamp,latitude,longitude\n")).toBeUndefined();
  });
});
