import { createReadStream } from "node:fs";
import { TrackFileError } from "./track-file-error.ts";

/**
 * Bytes read at a time. At 64 KiB a chunk's string is an ordinary young-generation object for V8;
 * from 128 KiB it goes to the large-object space, where chunks pile up until a full GC and the
 * RSS creeps up with the file's size (measured with bench/ingest.ts).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * The file's text, decoded as UTF-8, one chunk at a time (a character split between two reads
 * is kept whole). Aborting the signal stops the read and throws the signal's reason; a file that
 * cannot be read throws a TrackFileError.
 */
export async function* readTextChunks(file: string, signal?: AbortSignal): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK_BYTES, signal });
  try {
    for await (const chunk of stream as AsyncIterable<string>) yield chunk;
  } catch (error) {
    signal?.throwIfAborted();
    throw unreadable(file, error);
  } finally {
    stream.destroy();
  }
}

function unreadable(file: string, error: unknown): TrackFileError {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  switch (code) {
    case "ENOENT":
      return new TrackFileError(`${file}: no such file`);
    case "EISDIR":
      return new TrackFileError(`${file}: is a directory, not a track file`);
    case "EACCES":
    case "EPERM":
      return new TrackFileError(`${file}: permission denied`);
    default:
      return new TrackFileError(
        `${file}: cannot be read (${error instanceof Error ? error.message : error})`,
      );
  }
}
