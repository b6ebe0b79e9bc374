import { DECIMALS, type Fix, formatFixed } from "./fix.ts";

/** The course's CSV columns, in order (GPSLogger's layout plus two derived columns). */
export const CSV_HEADER =
  "timestamp,latitude,longitude,elevation,accuracy,bearing,speed_meters_per_second,satellites,provider,hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation,distance_meters,elapsed_time_seconds";

function csvRow(fix: Fix): string {
  return [
    formatFixed(fix.time / 1000, DECIMALS.seconds),
    formatFixed(fix.latitude, DECIMALS.degrees),
    formatFixed(fix.longitude, DECIMALS.degrees),
    formatFixed(fix.elevation, DECIMALS.elevation),
    formatFixed(fix.accuracy, DECIMALS.accuracy),
    formatFixed(fix.bearing, DECIMALS.bearing),
    formatFixed(fix.speed, DECIMALS.speed),
    String(fix.satellites),
    "gps",
    formatFixed(fix.hdop, DECIMALS.dop),
    formatFixed(fix.vdop, DECIMALS.dop),
    formatFixed(fix.pdop, DECIMALS.dop),
    // geoidheight, ageofdgpsdata, dgpsid and activity: empty, as in most phone recordings.
    "",
    "",
    "",
    "",
    String(fix.battery),
    "", // annotation
    formatFixed(fix.distance, DECIMALS.metres),
    formatFixed(fix.elapsed, DECIMALS.seconds),
  ].join(",");
}

/** The whole CSV file: header, one row per fix, LF line endings, a final newline. */
export function toCsv(fixes: readonly Fix[]): string {
  return `${[CSV_HEADER, ...fixes.map(csvRow)].join("\n")}\n`;
}
