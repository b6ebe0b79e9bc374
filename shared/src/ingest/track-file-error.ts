/**
 * The track file as a whole cannot be read: it is missing, unreadable, empty, not a GPS track,
 * or has no valid record. The message is one line that starts with the file's name.
 */
export class TrackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrackFileError";
  }
}

/** The reason given for a file whose content is none of the supported formats. */
export const NOT_A_TRACK = "not a GPS track (expected the course CSV, a GPSLogger CSV or GPX 1.1)";
