import type { GpsRecord } from "../record.ts";

/** Reports a rejected row or track point: its 1-based line and why. */
export type RejectRow = (line: number, reason: string) => void;

/**
 * Turns the text of a track, chunk by chunk, into records. Each call returns the records the
 * chunk completed (bounded by the chunk's size, so memory stays constant); rows that cannot
 * become records go to the RejectRow callback instead.
 */
export interface TrackParser {
  push(chunk: string): GpsRecord[];
  /** The records still pending at the end of the text. */
  end(): GpsRecord[];
}
