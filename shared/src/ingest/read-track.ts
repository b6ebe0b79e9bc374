import type { GpsRecord } from "../record.ts";
import { CsvTrackParser } from "./csv-track-parser.ts";
import { detectFormat, type TrackFormat } from "./detect-format.ts";
import { GpxTrackParser } from "./gpx-track-parser.ts";
import { readTextChunks } from "./text-chunks.ts";
import { NOT_A_TRACK, TrackFileError } from "./track-file-error.ts";
import type { RejectRow, TrackParser } from "./track-parser.ts";

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

/** Enough text to see the XML root element or the CSV header. */
const HEAD_CHARS = 4096;

/**
 * The records of a track file, in file order, streamed: memory stays the same whatever the
 * file's size. The format is recognised by content (see detectFormat), never by the file's
 * extension. Invalid rows are skipped and reported to `onReject`.
 *
 * Throws TrackFileError (one line, naming the file) when the file is missing or unreadable,
 * empty, not a GPS track, malformed beyond a row (an unclosed quote, broken XML), or has no
 * valid record at all: a header alone is an empty track, and an empty track is an error,
 * because there is nothing to replay.
 */
export async function* readTrack(file: string, options: ReadTrackOptions = {}): AsyncGenerator<GpsRecord> {
  const { onReject, signal } = options;
  signal?.throwIfAborted();
  let rejected = 0;
  const reject: RejectRow = (line, reason) => {
    rejected++;
    onReject?.({ file, line, reason });
  };
  const chunks = readTextChunks(file, signal);
  try {
    const head = await readHead(chunks);
    if (head.trim() === "") throw new TrackFileError(`${file}: the file is empty`);
    const format = detectFormat(head);
    if (format === undefined) throw new TrackFileError(`${file}: ${NOT_A_TRACK}`);
    let accepted = 0;
    for await (const records of recordBatches(createParser(format, file, reject), head, chunks)) {
      for (const record of records) {
        signal?.throwIfAborted();
        accepted++;
        yield record;
      }
    }
    if (accepted === 0) {
      throw new TrackFileError(
        rejected === 0
          ? `${file}: has no GPS records`
          : `${file}: has no valid GPS records (all ${rejected} were rejected)`,
      );
    }
  } finally {
    await chunks.return(undefined);
  }
}

/** The first few KiB of text, without the UTF-8 byte order mark. */
async function readHead(chunks: AsyncIterator<string>): Promise<string> {
  let head = "";
  while (head.length < HEAD_CHARS) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  return head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
}

/** The records of each chunk in turn: the head first, then the rest of the file. */
async function* recordBatches(
  parser: TrackParser,
  head: string,
  rest: AsyncIterable<string>,
): AsyncGenerator<GpsRecord[]> {
  yield parser.push(head);
  for await (const chunk of rest) yield parser.push(chunk);
  yield parser.end();
}

function createParser(format: TrackFormat, file: string, reject: RejectRow): TrackParser {
  return format === "gpx" ? new GpxTrackParser(file, reject) : new CsvTrackParser(format, file, reject);
}
