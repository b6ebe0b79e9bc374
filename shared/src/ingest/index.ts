/**
 * Track ingestion: `readTrack(file)` streams the GpsRecords of a GPS track file.
 *
 * Formats, recognised by content: the course's CSV (epoch-second `timestamp`), GPSLogger for
 * Android's CSV (18 or 24 columns, ISO 8601 `time`) and GPX 1.1 track points. CSV columns are
 * matched by name, in any order; unknown columns and the text columns (provider, activity,
 * annotation…) are ignored.
 *
 * Empty values: an empty cell, a missing column or a missing GPX element makes the optional
 * sensor readings (elevation, accuracy, bearing, speed, satellites, hdop, vdop, pdop) `null`.
 * An empty timestamp, latitude or longitude rejects the row, as does a GPX point without <time>.
 *
 * Derived values: when `distance_meters` or `elapsed_time_seconds` is absent or empty (always,
 * for GPSLogger and GPX), it is computed from the previous accepted record: the haversine
 * distance between the two positions, and the difference of their timestamps. Both are 0 for
 * the first record. A point whose time runs backwards is rejected.
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { GpsRecord } from "../record.ts";
import { type CsvFormat, csvFormat, readCsv } from "./csv.ts";
import { readGpx } from "./gpx.ts";
import { TrackFileError } from "./values.ts";

export { TrackFileError } from "./values.ts";

/** A row (or GPX track point) that was skipped, and why. */
export interface Rejection {
  file: string;
  /** 1-based line of the file where the row or point starts. */
  line: number;
  reason: string;
}

export interface ReadTrackOptions {
  /** Called for each skipped row, in file order; reading carries on. */
  onReject?: (rejection: Rejection) => void;
  /** Aborting stops the reading: the generator throws the signal's reason. */
  signal?: AbortSignal;
}

export type TrackFormat = CsvFormat | "gpx";

const NOT_A_TRACK = "not a GPS track (expected the course CSV, a GPSLogger CSV or GPX 1.1)";

/**
 * The records of a track file, in file order, streamed: memory stays the same whatever the
 * file's size. Invalid rows are skipped and reported to `onReject`.
 *
 * Throws TrackFileError (one line, naming the file) when the file is missing or unreadable,
 * empty, not a GPS track, malformed beyond a row (an unclosed quote, broken XML), or has no
 * valid record at all: a header alone is an empty track, with nothing to replay.
 */
export async function* readTrack(file: string, options: ReadTrackOptions = {}): AsyncGenerator<GpsRecord> {
  const { onReject, signal } = options;
  signal?.throwIfAborted();
  const head = await readHead(file);
  signal?.throwIfAborted();
  if (head.trim() === "") throw new TrackFileError(`${file}: the file is empty`);
  const format = detectFormat(head);
  if (format === undefined) throw new TrackFileError(`${file}: ${NOT_A_TRACK}`);
  let accepted = 0;
  let rejected = 0;
  const reject = (line: number, reason: string) => {
    rejected++;
    onReject?.({ file, line, reason });
  };
  // The readers hand over the records of each chunk of the file together: one await per chunk
  // rather than per record keeps the CSV above 150,000 rows/s (npm run bench:ingest).
  const chunks =
    format === "gpx"
      ? readGpx(createReadStream(file, { encoding: "utf8", signal }), file, reject)
      : readCsv(createReadStream(file, { signal }), format, file, reject);
  try {
    for await (const records of chunks) {
      for (const record of records) {
        signal?.throwIfAborted();
        accepted++;
        yield record;
      }
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw error instanceof TrackFileError ? error : unreadable(file, error);
  }
  if (accepted > 0) return;
  throw new TrackFileError(
    rejected === 0
      ? `${file}: has no GPS records`
      : `${file}: has no valid GPS records (all ${rejected} were rejected)`,
  );
}

// The root element comes after an optional XML declaration, comments and a DOCTYPE.
const GPX_ROOT = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<gpx[\s>/]/;

/**
 * A track's format from the first KiB of the file, by content only: GPX by its `<gpx>` root
 * element, each CSV by the columns its header line names, in any order.
 */
export function detectFormat(head: string): TrackFormat | undefined {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("<")) return GPX_ROOT.test(text) ? "gpx" : undefined;
  return csvFormat(text.split(/\r|\n/, 1)[0]?.split(",") ?? []);
}

/** The first 4 KiB of text: enough to see the XML root element or the CSV header. */
async function readHead(file: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.toString("utf8", 0, bytesRead).replace(/^\uFEFF/, "");
  } catch (error) {
    throw unreadable(file, error);
  } finally {
    await handle?.close();
  }
}

function unreadable(file: string, error: unknown): TrackFileError {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  if (code === "ENOENT") return new TrackFileError(`${file}: no such file`);
  if (code === "EISDIR") return new TrackFileError(`${file}: is a directory, not a track file`);
  if (code === "EACCES" || code === "EPERM") return new TrackFileError(`${file}: permission denied`);
  return new TrackFileError(`${file}: cannot be read (${error instanceof Error ? error.message : error})`);
}
