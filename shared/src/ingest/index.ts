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
 * the first record. A derived elapsed time must not be negative: a point whose time runs
 * backwards is rejected.
 *
 * Whole-file problems throw TrackFileError: missing, unreadable, empty, not a track, and also a
 * header without rows (an empty track, nothing to replay) or a file whose rows were all rejected.
 */
export { detectFormat, type TrackFormat } from "./detect-format.ts";
export { type ReadTrackOptions, type Rejection, readTrack } from "./read-track.ts";
export { TrackFileError } from "./track-file-error.ts";
