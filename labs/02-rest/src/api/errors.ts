/**
 * What can go wrong while serving the GPS state, as errors the routes throw and the error
 * handler (problem.ts) turns into HTTP problems. Their messages are meant for the client.
 */

/** Redis could not be reached (as opposed to Redis answering with an error). */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
  constructor(cause: unknown) {
    super(`Redis is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** There is no GPS state to serve: none yet, or none during a whole window. */
export class NoGpsStateError extends Error {
  override name = "NoGpsStateError";
}

/** A value in Redis is not what it should be (a GPS record, a task); the message says which and why. */
export class InvalidStoredRecordError extends Error {
  override name = "InvalidStoredRecordError";
}

/** The API is shutting down: the reason with which it aborts the computations in progress. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor() {
    super("interrupted");
  }
}
