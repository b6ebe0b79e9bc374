import { GPS_RECORD_FIELDS, type GpsRecord } from "../record.ts";
import { parseNumber, parseTime, required } from "./cells.ts";
import { COURSE_CSV_COLUMNS, type CsvColumns, columnName, GPSLOGGER_CSV_COLUMNS } from "./csv-columns.ts";
import { type CsvRow, CsvRowTooLongError, CsvTokenizer } from "./csv-tokenizer.ts";
import { PreviousPoint } from "./previous-point.ts";
import { checkRecord, type FieldLabels } from "./record-checks.ts";
import { RowRejection } from "./row-rejection.ts";
import { NOT_A_TRACK, TrackFileError } from "./track-file-error.ts";
import type { RejectRow, TrackParser } from "./track-parser.ts";

/** Where each record field sits in a row: a cell index, or -1 when the file has no such column. */
type ColumnIndexes = Record<keyof GpsRecord, number>;

/**
 * Reads the course CSV or a GPSLogger CSV. The first non-blank row is the header; columns are
 * found by name, so their order does not matter and unknown columns are ignored.
 */
export class CsvTrackParser implements TrackParser {
  readonly #file: string;
  readonly #reject: RejectRow;
  readonly #columns: CsvColumns;
  readonly #labels: FieldLabels;
  readonly #parseTime: (text: string, label: string) => number | null;
  readonly #tokenizer = new CsvTokenizer();
  readonly #previous = new PreviousPoint();
  #indexes: ColumnIndexes | undefined;
  #headerLength = 0;

  constructor(format: "course-csv" | "gpslogger-csv", file: string, reject: RejectRow) {
    this.#file = file;
    this.#reject = reject;
    this.#columns = format === "course-csv" ? COURSE_CSV_COLUMNS : GPSLOGGER_CSV_COLUMNS;
    // The course CSV counts time in epoch seconds, GPSLogger in ISO 8601.
    this.#parseTime = format === "course-csv" ? parseNumber : parseTime;
    const labels: Partial<FieldLabels> = {};
    for (const field of GPS_RECORD_FIELDS) labels[field] = this.#columns[field] ?? field;
    this.#labels = labels as FieldLabels;
  }

  push(chunk: string): GpsRecord[] {
    return this.#records(() => this.#tokenizer.push(chunk));
  }

  end(): GpsRecord[] {
    return this.#records(() => this.#tokenizer.end());
  }

  #records(tokenize: () => CsvRow[]): GpsRecord[] {
    let rows: CsvRow[];
    try {
      rows = tokenize();
    } catch (error) {
      if (error instanceof CsvRowTooLongError) throw new TrackFileError(`${this.#file}: ${error.message}`);
      throw error;
    }
    const records: GpsRecord[] = [];
    for (const row of rows) {
      if (isBlank(row)) continue;
      if (this.#indexes === undefined) {
        this.#readHeader(row.cells);
        continue;
      }
      try {
        records.push(this.#record(row, this.#indexes));
      } catch (error) {
        if (!(error instanceof RowRejection)) throw error;
        this.#reject(row.line, error.message);
      }
    }
    return records;
  }

  #readHeader(cells: string[]): void {
    const names = cells.map(columnName);
    const indexes: Partial<ColumnIndexes> = {};
    for (const field of GPS_RECORD_FIELDS) {
      const name = this.#columns[field];
      indexes[field] = name === undefined ? -1 : names.indexOf(name);
    }
    if (indexes.timestamp === -1 || indexes.latitude === -1 || indexes.longitude === -1) {
      throw new TrackFileError(`${this.#file}: ${NOT_A_TRACK}`);
    }
    this.#indexes = indexes as ColumnIndexes;
    this.#headerLength = cells.length;
  }

  /** Throws RowRejection when the row cannot become a valid record. */
  #record(row: CsvRow, at: ColumnIndexes): GpsRecord {
    if (row.error !== undefined) throw new RowRejection(row.error);
    const cells = row.cells;
    if (cells.length !== this.#headerLength) {
      throw new RowRejection(`row has ${cells.length} cells, header has ${this.#headerLength}`);
    }
    // Plain property reads (`at.elevation`), not a helper taking the field name: this runs a
    // million times a second.
    const labels = this.#labels;
    const timestamp = required(
      this.#parseTime(cells[at.timestamp] ?? "", labels.timestamp),
      labels.timestamp,
    );
    const latitude = required(parseNumber(cells[at.latitude] ?? "", labels.latitude), labels.latitude);
    const longitude = required(parseNumber(cells[at.longitude] ?? "", labels.longitude), labels.longitude);
    const distance = parseNumber(cells[at.distance_meters] ?? "", labels.distance_meters);
    const elapsed = parseNumber(cells[at.elapsed_time_seconds] ?? "", labels.elapsed_time_seconds);
    const record: GpsRecord = {
      timestamp,
      latitude,
      longitude,
      elevation: parseNumber(cells[at.elevation] ?? "", labels.elevation),
      accuracy: parseNumber(cells[at.accuracy] ?? "", labels.accuracy),
      bearing: parseNumber(cells[at.bearing] ?? "", labels.bearing),
      speed_meters_per_second: parseNumber(
        cells[at.speed_meters_per_second] ?? "",
        labels.speed_meters_per_second,
      ),
      satellites: parseNumber(cells[at.satellites] ?? "", labels.satellites),
      hdop: parseNumber(cells[at.hdop] ?? "", labels.hdop),
      vdop: parseNumber(cells[at.vdop] ?? "", labels.vdop),
      pdop: parseNumber(cells[at.pdop] ?? "", labels.pdop),
      distance_meters: distance ?? this.#previous.distanceTo(latitude, longitude),
      elapsed_time_seconds: elapsed ?? this.#previous.secondsUntil(timestamp, labels.timestamp),
    };
    const problem = checkRecord(record, labels);
    if (problem !== undefined) throw new RowRejection(problem);
    this.#previous.accept(record);
    return record;
  }
}

/** An empty line, or one of only spaces: skipped, wherever it is. */
function isBlank(row: CsvRow): boolean {
  return row.error === undefined && row.cells.length === 1 && row.cells[0]?.trim() === "";
}
