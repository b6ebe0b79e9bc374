import { describe, expect, it } from "vitest";
import { checkRecord, type FieldLabels } from "../src/ingest/record-checks.ts";
import { GPS_RECORD_FIELDS, type GpsRecord, GpsRecordSchema } from "../src/record.ts";
import { COURSE_RECORDS } from "./fixtures-tracks.ts";

const LABELS = Object.fromEntries(GPS_RECORD_FIELDS.map((field) => [field, field])) as FieldLabels;
const VALID = COURSE_RECORDS[0] as GpsRecord;

// Each field in turn takes each of these values: bounds, just past them, non-finite numbers.
const PROBES = [
  0,
  -0,
  1,
  -1,
  0.5,
  3.5,
  89.999,
  90,
  90.000001,
  -90,
  -90.5,
  180,
  -180,
  180.5,
  359.9,
  360,
  360.1,
  1e6,
  2 ** 53,
  2 ** 53 - 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  null,
];

describe("checkRecord", () => {
  it("accepts a valid record", () => {
    expect(checkRecord(VALID, LABELS)).toBeUndefined();
  });

  it("gives the same verdict as GpsRecordSchema for every field at and past its bounds", () => {
    for (const field of GPS_RECORD_FIELDS) {
      for (const value of PROBES) {
        const record = { ...VALID, [field]: value };
        const schemaAccepts = GpsRecordSchema.safeParse(record).success;
        // null in a required field cannot come out of the parsers (the type forbids it): skip.
        if (value === null && GpsRecordSchema.shape[field].safeParse(null).success === false) continue;
        expect(checkRecord(record as GpsRecord, LABELS) === undefined, `${field} = ${value}`).toBe(
          schemaAccepts,
        );
      }
    }
  });

  it("names the field, its value and the broken rule", () => {
    expect(checkRecord({ ...VALID, latitude: 123.4 }, LABELS)).toBe(
      "latitude 123.4 is out of range [-90, 90]",
    );
    expect(checkRecord({ ...VALID, hdop: -1 }, LABELS)).toBe("hdop -1 is negative");
    expect(checkRecord({ ...VALID, satellites: 3.5 }, LABELS)).toBe("satellites 3.5 is not a whole number");
    expect(checkRecord({ ...VALID, elevation: Number.POSITIVE_INFINITY }, LABELS)).toBe(
      "elevation Infinity is not a finite number",
    );
  });

  it("names the field as the source file does", () => {
    expect(checkRecord({ ...VALID, longitude: -200 }, { ...LABELS, longitude: "lon" })).toBe(
      "lon -200 is out of range [-180, 180]",
    );
  });
});
