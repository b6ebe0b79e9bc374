import { parse } from "csv-parse";
import { GPS_RECORD_FIELDS, type GpsRecord } from "../record.ts";
import {
  checkRecord,
  type FieldLabels,
  PreviousPoint,
  parseNumber,
  parseTime,
  RowRejection,
  required,
  TrackFileError,
} from "./values.ts";

export type CsvFormat = "course-csv" | "gpslogger-csv";

/** The column that feeds each record field; a field without one is null, or derived. */
type Columns = Partial<Record<keyof GpsRecord, string>>;

/** The course's CSV: the record's own field names (its text columns are ignored). */
const COURSE_COLUMNS: Columns = Object.fromEntries(GPS_RECORD_FIELDS.map((field) => [field, field]));

/**
 * GPSLogger for Android's CSV (18 columns, or 24 in newer versions). Its `speed` is already in
 * m/s. Its `distance` (newer versions) is the running total since logging started, not the step
 * from the previous point, so `distance_meters` and `elapsed_time_seconds` are derived, as for GPX.
 */
const GPSLOGGER_COLUMNS: Columns = {
  timestamp: "time",
  latitude: "lat",
  longitude: "lon",
  elevation: "elevation",
  accuracy: "accuracy",
  bearing: "bearing",
  speed_meters_per_second: "speed",
  satellites: "satellites",
  hdop: "hdop",
  vdop: "vdop",
  pdop: "pdop",
};

/** Where each record field sits in a row: a cell index, or -1 when the file has no such column. */
type Indexes = Record<keyof GpsRecord, number>;

/** A header cell as a column name: matching ignores case, surrounding spaces and quotes. */
const columnName = (cell: string): string =>
  cell
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .toLowerCase();

/** Which CSV a header row is, by the columns it names in any order; undefined for neither. */
export function csvFormat(header: readonly string[]): CsvFormat | undefined {
  const names = new Set(header.map(columnName));
  const has = (columns: Columns) =>
    [columns.timestamp, columns.latitude, columns.longitude].every((name) => names.has(name ?? ""));
  if (has(COURSE_COLUMNS)) return "course-csv";
  if (has(GPSLOGGER_COLUMNS)) return "gpslogger-csv";
  return undefined;
}

/** A row longer than this is a quote left open: stop rather than read the file into memory. */
const MAX_ROW_CHARS = 1024 * 1024;

/**
 * The records of a course or GPSLogger CSV, chunk by chunk as the bytes stream in: csv-parse
 * splits the rows (its stream API, fed by hand so that a chunk's records come out together).
 * The first non-blank row is the header; columns are found by name, in any order.
 */
export async function* readCsv(
  bytes: AsyncIterable<Buffer>,
  format: CsvFormat,
  file: string,
  reject: (line: number, reason: string) => void,
): AsyncGenerator<GpsRecord[]> {
  const columns = format === "course-csv" ? COURSE_COLUMNS : GPSLOGGER_COLUMNS;
  const labels = { ...COURSE_COLUMNS, ...columns } as FieldLabels;
  // The course counts time in epoch seconds, GPSLogger in ISO 8601.
  const readTime = format === "course-csv" ? parseNumber : parseTime;
  // relax_quotes keeps `"7"x` as text, which then fails as a number, naming its column.
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_ROW_CHARS,
  });
  parser.on("error", () => {}); // read from parser.errored once the rows before it are out
  const previous = new PreviousPoint();
  let at: Indexes | undefined;
  let headerLength = 0;
  let line = 1;

  /** The records of the rows that csv-parse has split so far. */
  function records(): GpsRecord[] {
    const records: GpsRecord[] = [];
    for (let cells: string[] | null = parser.read(); cells !== null; cells = parser.read()) {
      const rowLine = line;
      line += 1 + lineBreaks(cells);
      if (cells.length === 1 && cells[0]?.trim() === "") continue; // a blank line
      if (at === undefined) {
        const names = cells.map(columnName);
        const index = (name: string | undefined) => (name === undefined ? -1 : names.indexOf(name));
        at = Object.fromEntries(GPS_RECORD_FIELDS.map((field) => [field, index(columns[field])])) as Indexes;
        headerLength = cells.length;
        continue;
      }
      try {
        if (cells.length !== headerLength) {
          throw new RowRejection(`row has ${cells.length} cells, header has ${headerLength}`);
        }
        previous.record = toRecord(cells, at, labels, readTime, previous);
        records.push(previous.record);
      } catch (error) {
        if (!(error instanceof RowRejection)) throw error;
        reject(rowLine, error.message);
      }
    }
    // csv-parse's messages are one line and say where: "Quote Not Closed: … at line 3".
    if (parser.errored) throw new TrackFileError(`${file}: ${parser.errored.message}`);
    return records;
  }

  for await (const chunk of bytes) {
    parser.write(chunk);
    yield records();
  }
  parser.end();
  yield records();
}

/** One row as a record; throws RowRejection. Runs for every row: plain reads, no helper per field. */
function toRecord(
  cells: string[],
  at: Indexes,
  labels: FieldLabels,
  readTime: (text: string | undefined, label: string) => number | null,
  previous: PreviousPoint,
): GpsRecord {
  const timestamp = required(readTime(cells[at.timestamp], labels.timestamp), labels.timestamp);
  const latitude = required(parseNumber(cells[at.latitude], labels.latitude), labels.latitude);
  const longitude = required(parseNumber(cells[at.longitude], labels.longitude), labels.longitude);
  const distance = parseNumber(cells[at.distance_meters], labels.distance_meters);
  const elapsed = parseNumber(cells[at.elapsed_time_seconds], labels.elapsed_time_seconds);
  return checkRecord(
    {
      timestamp,
      latitude,
      longitude,
      elevation: parseNumber(cells[at.elevation], labels.elevation),
      accuracy: parseNumber(cells[at.accuracy], labels.accuracy),
      bearing: parseNumber(cells[at.bearing], labels.bearing),
      speed_meters_per_second: parseNumber(cells[at.speed_meters_per_second], labels.speed_meters_per_second),
      satellites: parseNumber(cells[at.satellites], labels.satellites),
      hdop: parseNumber(cells[at.hdop], labels.hdop),
      vdop: parseNumber(cells[at.vdop], labels.vdop),
      pdop: parseNumber(cells[at.pdop], labels.pdop),
      distance_meters: distance ?? previous.distanceTo(latitude, longitude),
      elapsed_time_seconds: elapsed ?? previous.secondsUntil(timestamp, labels.timestamp),
    },
    labels,
  );
}

/** Line breaks inside the row's quoted cells (CRLF counts once), to number the rows after it. */
function lineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.includes("\n") || cell.includes("\r")) count += cell.split(/\r\n|\r|\n/).length - 1;
  }
  return count;
}
