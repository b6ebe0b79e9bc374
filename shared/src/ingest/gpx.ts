import sax from "sax";
import type { GpsRecord } from "../record.ts";
import {
  checkRecord,
  type FieldLabels,
  PreviousPoint,
  parseNumber,
  parseTime,
  RowRejection,
  TrackFileError,
} from "./values.ts";

/** Record fields by their GPX names, for rejection reasons. GPX has no accuracy. */
const GPX_LABELS: FieldLabels = {
  timestamp: "time",
  latitude: "lat",
  longitude: "lon",
  elevation: "ele",
  accuracy: "accuracy",
  bearing: "course",
  speed_meters_per_second: "speed",
  satellites: "sat",
  hdop: "hdop",
  vdop: "vdop",
  pdop: "pdop",
  distance_meters: "distance",
  elapsed_time_seconds: "elapsed time",
};

/**
 * The elements of a <trkpt> that feed the record, by local name (any namespace prefix dropped)
 * and at any depth: <speed> and <course> are GPX 1.0 children, but GPX 1.1 writers put them in
 * <extensions> (e.g. <gpxtpx:speed> in Garmin's TrackPointExtension). The first one wins.
 */
const POINT_ELEMENTS = new Set(["ele", "time", "speed", "course", "sat", "hdop", "vdop", "pdop"]);

/** Longer element text is no number nor time: keep enough to quote it, so memory stays bounded. */
const MAX_TEXT_CHARS = 200;

interface TrackPoint {
  line: number;
  attributes: Record<string, string>;
  values: Map<string, string>;
}

/**
 * The <trkpt>s of a GPX file, in every <trk> and <trkseg>, read with the `sax` streaming parser
 * as the text comes in. Broken XML throws a TrackFileError after the points before it.
 */
export async function* readGpx(
  text: AsyncIterable<string>,
  file: string,
  reject: (line: number, reason: string) => void,
): AsyncGenerator<GpsRecord[]> {
  const parser = sax.parser(true, { position: true });
  const previous = new PreviousPoint();
  const closed: TrackPoint[] = []; // since the last chunk
  let point: TrackPoint | undefined;
  let tagLine = 1;
  let element: string | undefined; // the POINT_ELEMENTS one whose text is being read
  let elementText = "";

  parser.onopentagstart = () => {
    tagLine = parser.line + 1;
  };
  parser.onopentag = ({ name, attributes }) => {
    const local = localName(name);
    if (local === "trkpt") {
      point = { line: tagLine, attributes: attributes as Record<string, string>, values: new Map() };
    } else if (point && element === undefined && POINT_ELEMENTS.has(local)) {
      element = local;
      elementText = "";
    }
  };
  parser.ontext = parser.oncdata = (text) => {
    if (element !== undefined && elementText.length < MAX_TEXT_CHARS) elementText += text;
  };
  parser.onclosetag = (name) => {
    const local = localName(name);
    if (point && local === element) {
      if (!point.values.has(local)) point.values.set(local, elementText.trim());
      element = undefined;
    } else if (point && local === "trkpt") {
      closed.push(point);
      point = undefined;
    }
  };
  parser.onerror = (error) => {
    // sax adds "\nLine: …\nColumn: …" to its messages: keep the first line, give our own line.
    const reason = error.message.split("\n")[0];
    throw new TrackFileError(`${file}: line ${parser.line + 1}: not well-formed XML (${reason})`);
  };

  let broken: unknown; // broken XML: thrown once the records of the points before it are out
  /** Gives sax more text (null: the end), and returns the records of the points it closed. */
  function feed(chunk: string | null): GpsRecord[] {
    try {
      chunk === null ? parser.close() : parser.write(chunk);
    } catch (error) {
      broken = error;
    }
    const records: GpsRecord[] = [];
    for (const { line, attributes, values } of closed.splice(0)) {
      try {
        previous.record = toRecord(attributes, values, previous);
      } catch (error) {
        if (!(error instanceof RowRejection)) throw error;
        reject(line, error.message);
        continue;
      }
      records.push(previous.record);
    }
    return records;
  }

  for await (const chunk of text) {
    yield feed(chunk);
    if (broken) throw broken;
  }
  yield feed(null);
  if (broken) throw broken;
}

/** One track point as a record; throws RowRejection. */
function toRecord(attributes: Record<string, string>, values: Map<string, string>, previous: PreviousPoint) {
  const latitude = parseNumber(attributes.lat, "lat");
  if (latitude === null) throw new RowRejection("trkpt has no lat");
  const longitude = parseNumber(attributes.lon, "lon");
  if (longitude === null) throw new RowRejection("trkpt has no lon");
  // The replayer paces the track by its times.
  const timestamp = parseTime(values.get("time"), "time");
  if (timestamp === null) throw new RowRejection("trkpt has no <time>");
  const number = (name: string) => parseNumber(values.get(name), name);
  return checkRecord(
    {
      timestamp,
      latitude,
      longitude,
      elevation: number("ele"),
      accuracy: null,
      bearing: number("course"),
      speed_meters_per_second: number("speed"),
      satellites: number("sat"),
      hdop: number("hdop"),
      vdop: number("vdop"),
      pdop: number("pdop"),
      distance_meters: previous.distanceTo(latitude, longitude),
      elapsed_time_seconds: previous.secondsUntil(timestamp, "time"),
    },
    GPX_LABELS,
  );
}

/** `gpxtpx:speed` → `speed`. */
function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1).toLowerCase();
}
