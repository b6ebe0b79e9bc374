/** One published GPS fix: the numbers already rounded to the digits the files print. */
export interface Fix {
  /** Milliseconds since the Unix epoch. */
  time: number;
  latitude: number;
  longitude: number;
  /** Metres above the WGS 84 ellipsoid. */
  elevation: number;
  accuracy: number;
  bearing: number;
  speed: number;
  satellites: number;
  hdop: number;
  vdop: number;
  pdop: number;
  /** Phone battery, percent. */
  battery: number;
  /** Metres from the previous fix (haversine), 0 for the first. */
  distance: number;
  /** Seconds since the previous fix, 0 for the first. */
  elapsed: number;
}

/**
 * Decimal places of each kind of number. Rounding once, here, lets the CSV and the GPX print
 * identical values and lets distances be computed from exactly the printed coordinates.
 */
export const DECIMALS = {
  degrees: 7, // about 1 cm
  elevation: 1,
  accuracy: 1,
  bearing: 1,
  speed: 2,
  dop: 1,
  metres: 3,
  seconds: 3,
} as const;

export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Fixed-point text, never "-0.0" (a value that rounds to zero prints as zero). */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

/** The course's CSV columns, in order (GPSLogger's layout plus two derived columns). */
const CSV_HEADER =
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

const GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1";
// GPX 1.1 has no speed or course: Garmin's TrackPointExtension v2 is how GPSLogger stores them.
const TRACKPOINT_EXTENSION_NAMESPACE = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2";

const escapeXml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const isoTime = (ms: number): string => new Date(ms).toISOString();

/** One <trkpt>, its children in the order the GPX 1.1 schema (wptType) requires. */
function trackPoint(fix: Fix): string {
  const lat = formatFixed(fix.latitude, DECIMALS.degrees);
  const lon = formatFixed(fix.longitude, DECIMALS.degrees);
  const speed = formatFixed(fix.speed, DECIMALS.speed);
  const course = formatFixed(fix.bearing, DECIMALS.bearing);
  return [
    `      <trkpt lat="${lat}" lon="${lon}">`,
    `        <ele>${formatFixed(fix.elevation, DECIMALS.elevation)}</ele>`,
    `        <time>${isoTime(fix.time)}</time>`,
    "        <src>gps</src>",
    `        <sat>${fix.satellites}</sat>`,
    `        <hdop>${formatFixed(fix.hdop, DECIMALS.dop)}</hdop>`,
    `        <vdop>${formatFixed(fix.vdop, DECIMALS.dop)}</vdop>`,
    `        <pdop>${formatFixed(fix.pdop, DECIMALS.dop)}</pdop>`,
    `        <extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>${speed}</gpxtpx:speed><gpxtpx:course>${course}</gpxtpx:course></gpxtpx:TrackPointExtension></extensions>`,
    "      </trkpt>",
  ].join("\n");
}

/** A GPX 1.1 document holding the fixes as one track with one segment. */
export function toGpx(name: string, title: string, fixes: readonly Fix[]): string {
  const start = fixes[0]?.time ?? 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<gpx version="1.1" creator="gps-microservices-workshop" xmlns="${GPX_NAMESPACE}" xmlns:gpxtpx="${TRACKPOINT_EXTENSION_NAMESPACE}">`,
    "  <metadata>",
    `    <name>${escapeXml(title)}</name>`,
    `    <time>${isoTime(start)}</time>`,
    "  </metadata>",
    "  <trk>",
    `    <name>${escapeXml(name)}</name>`,
    "    <trkseg>",
    ...fixes.map(trackPoint),
    "    </trkseg>",
    "  </trk>",
    "</gpx>",
    "",
  ].join("\n");
}
