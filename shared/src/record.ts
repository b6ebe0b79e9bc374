import { z } from "zod";

/**
 * One GPS sample: the workshop's record, and the JSON wire format of every lab.
 *
 * The 13 snake_case fields are the course's. `timestamp`, `latitude` and `longitude` are
 * always measured. The other sensor readings can be missing from a recording (an empty CSV
 * cell, a GPX point without `<ele>`): they are then `null`, never 0, because 0 is a real
 * reading (0 m/s is standing still). `distance_meters` and `elapsed_time_seconds` are always
 * numbers: ingestion derives them from the previous point when the source lacks them.
 */
const measured = (schema: z.ZodNumber) => schema.nullable();

export const GpsRecordSchema = z.object({
  timestamp: z.number().describe("Time of the fix, in seconds since the Unix epoch (UTC)."),
  latitude: z.number().min(-90).max(90).describe("Degrees north (WGS 84)."),
  longitude: z.number().min(-180).max(180).describe("Degrees east (WGS 84)."),
  elevation: measured(z.number()).describe("Metres above the WGS 84 ellipsoid, or null."),
  accuracy: measured(z.number().min(0)).describe("Horizontal accuracy in metres, or null."),
  bearing: measured(z.number().min(0).max(360)).describe("Degrees clockwise from north, or null."),
  speed_meters_per_second: measured(z.number().min(0)).describe("Ground speed in m/s, or null."),
  satellites: measured(z.number().int().min(0)).describe("Satellites used for the fix, or null."),
  hdop: measured(z.number().min(0)).describe("Horizontal dilution of precision, or null."),
  vdop: measured(z.number().min(0)).describe("Vertical dilution of precision, or null."),
  pdop: measured(z.number().min(0)).describe("Position dilution of precision, or null."),
  distance_meters: z.number().min(0).describe("Metres travelled since the previous record."),
  elapsed_time_seconds: z.number().min(0).describe("Seconds since the previous record."),
});

export type GpsRecord = z.infer<typeof GpsRecordSchema>;

/** The field names in wire order. */
export const GPS_RECORD_FIELDS = Object.keys(GpsRecordSchema.shape) as (keyof GpsRecord)[];
