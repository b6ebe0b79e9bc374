import { DECIMALS, type Fix, formatFixed } from "./fix.ts";

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
