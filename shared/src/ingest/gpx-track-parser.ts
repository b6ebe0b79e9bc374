import sax from "sax";
import type { GpsRecord } from "../record.ts";
import { parseNumber, parseTime } from "./cells.ts";
import { PreviousPoint } from "./previous-point.ts";
import { checkRecord, type FieldLabels } from "./record-checks.ts";
import { RowRejection } from "./row-rejection.ts";
import { TrackFileError } from "./track-file-error.ts";
import type { RejectRow, TrackParser } from "./track-parser.ts";

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

/** Longer element text is no number nor time: keep enough to quote it in a rejection. */
const MAX_TEXT_CHARS = 200;

interface TrackPoint {
  line: number;
  lat: string | undefined;
  lon: string | undefined;
  values: Map<string, string>;
}

/** Reads the <trkpt>s of a GPX file, in every <trk> and <trkseg>, with the `sax` streaming parser. */
export class GpxTrackParser implements TrackParser {
  readonly #file: string;
  readonly #reject: RejectRow;
  readonly #sax = sax.parser(true, { position: true });
  readonly #previous = new PreviousPoint();
  /** Points closed since the last push, waiting to become records. */
  #points: TrackPoint[] = [];
  #point: TrackPoint | undefined;
  #tagLine = 1;
  /** The POINT_ELEMENTS element whose text is being read, and its text so far. */
  #element: string | undefined;
  #text = "";
  /** XML error met in the last chunk, thrown once that chunk's records are out. */
  #error: TrackFileError | undefined;

  constructor(file: string, reject: RejectRow) {
    this.#file = file;
    this.#reject = reject;
    const parser = this.#sax;
    parser.onerror = (error) => {
      throw error;
    };
    parser.onopentagstart = () => {
      this.#tagLine = parser.line + 1;
    };
    parser.onopentag = (tag) => this.#open(localName(tag.name), tag.attributes);
    parser.onclosetag = (name) => this.#close(localName(name));
    parser.ontext = (text) => this.#append(text);
    parser.oncdata = (text) => this.#append(text);
  }

  push(chunk: string): GpsRecord[] {
    if (this.#error) throw this.#error;
    try {
      this.#sax.write(chunk);
    } catch (error) {
      this.#error = this.#xmlError(error);
    }
    return this.#records();
  }

  end(): GpsRecord[] {
    if (this.#error) throw this.#error;
    try {
      this.#sax.close();
    } catch (error) {
      throw this.#xmlError(error);
    }
    return this.#records();
  }

  #open(name: string, attributes: Record<string, string | sax.QualifiedAttribute>): void {
    if (name === "trkpt") {
      const lat = attributes.lat;
      const lon = attributes.lon;
      this.#point = {
        line: this.#tagLine,
        lat: typeof lat === "object" ? lat.value : lat,
        lon: typeof lon === "object" ? lon.value : lon,
        values: new Map(),
      };
    } else if (this.#point && this.#element === undefined && POINT_ELEMENTS.has(name)) {
      this.#element = name;
      this.#text = "";
    }
  }

  #append(text: string): void {
    if (this.#element !== undefined && this.#text.length < MAX_TEXT_CHARS) this.#text += text;
  }

  #close(name: string): void {
    const point = this.#point;
    if (!point) return;
    if (name === this.#element) {
      if (!point.values.has(name)) point.values.set(name, this.#text.trim());
      this.#element = undefined;
    } else if (name === "trkpt") {
      this.#points.push(point);
      this.#point = undefined;
    }
  }

  #records(): GpsRecord[] {
    const records: GpsRecord[] = [];
    for (const point of this.#points) {
      try {
        records.push(this.#record(point));
      } catch (error) {
        if (!(error instanceof RowRejection)) throw error;
        this.#reject(point.line, error.message);
      }
    }
    this.#points = [];
    return records;
  }

  /** Throws RowRejection when the point cannot become a valid record. */
  #record(point: TrackPoint): GpsRecord {
    const latitude = parseNumber(point.lat ?? "", "lat");
    if (latitude === null) throw new RowRejection("trkpt has no lat");
    const longitude = parseNumber(point.lon ?? "", "lon");
    if (longitude === null) throw new RowRejection("trkpt has no lon");
    const timestamp = parseTime(point.values.get("time") ?? "", "time");
    // The replayer paces the track by its times.
    if (timestamp === null) throw new RowRejection("trkpt has no <time>");
    const number = (name: string): number | null => parseNumber(point.values.get(name) ?? "", name);
    const record: GpsRecord = {
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
      distance_meters: this.#previous.distanceTo(latitude, longitude),
      elapsed_time_seconds: this.#previous.secondsUntil(timestamp, "time"),
    };
    const problem = checkRecord(record, GPX_LABELS);
    if (problem !== undefined) throw new RowRejection(problem);
    this.#previous.accept(record);
    return record;
  }

  #xmlError(error: unknown): TrackFileError {
    // sax appends "\nLine: …\nColumn: …" to its messages: keep the first line, give our own line.
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return new TrackFileError(`${this.#file}: line ${this.#sax.line + 1}: not well-formed XML (${message})`);
  }
}

/** `gpxtpx:speed` → `speed`. */
function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1).toLowerCase();
}
