/**
 * The part of a replayer service that does not depend on where the records go: read the track,
 * replay it on schedule, hand each record to a `write` function (Redis, in labs 02 and 03), and
 * log what a student wants to see. Each lab's replayer supplies only the connection and `write`.
 */
import path from "node:path";
import { z } from "zod";
import { type Clock, systemClock } from "./clock.ts";
import { configFromEnv, env, redisEnv } from "./env.ts";
import { readTrack, TrackFileError } from "./ingest/index.ts";
import type { GpsRecord } from "./record.ts";
import { replay } from "./replay.ts";
import { onShutdown } from "./shutdown.ts";

/**
 * The bike loop in this package's data folder. Found from this module's own location, which is
 * `src/` when running the sources and `dist/` in an image: both sit beside `data/`.
 */
export const DEFAULT_GPS_FILE = path.resolve(import.meta.dirname, "../data/bike-campus.csv");

/** The replayer's environment variables, for a lab to spread into its `configFromEnv` shape. */
export const replayerEnv = {
  GPS_FILE: env.string(DEFAULT_GPS_FILE),
  /** 1 is the recorded pace; 1000 replays the 15-minute sample track in about a second. */
  REPLAY_SPEED: z.coerce.number().gt(0).max(1000).default(1),
  REPLAY_LOOP: env.boolean(true),
  /** The 0-based row the first pass starts at. */
  REPLAY_FROM: z.coerce.number().int().min(0).default(0),
};

export interface ReplaySettings {
  file: string;
  speed: number;
  loop: boolean;
  from: number;
}

/**
 * The replay settings from the variables that `replayerEnv` parsed. A relative GPS_FILE is
 * relative to the folder the command was typed in: npm runs a workspace's scripts in the
 * workspace's folder, and says where it was started in INIT_CWD.
 */
export function replaySettings(vars: z.infer<z.ZodObject<typeof replayerEnv>>): ReplaySettings {
  return {
    file: path.resolve(process.env.INIT_CWD ?? "", vars.GPS_FILE),
    speed: vars.REPLAY_SPEED,
    loop: vars.REPLAY_LOOP,
    from: vars.REPLAY_FROM,
  };
}

/**
 * The configuration of a replayer that writes to Redis (labs 02 and 03), from environment
 * variables: the replay, where Redis is, and about how many records the history stream keeps
 * (`MAXLEN ~`). The defaults work on localhost (compose sets REDIS_URL=redis://redis:6379); a bad
 * value stops the service with one line naming the variable.
 */
export function readReplayerConfig() {
  const vars = configFromEnv("replayer", {
    ...replayerEnv,
    ...redisEnv,
    /** An hour at one record per second: the track so far, for the clients that come later. */
    HISTORY_LENGTH: z.coerce.number().int().min(1).max(1_000_000).default(3600),
  });
  return {
    replay: replaySettings(vars),
    redisUrl: vars.REDIS_URL,
    keyPrefix: vars.REDIS_KEY_PREFIX,
    historyLength: vars.HISTORY_LENGTH,
  };
}

/** Receives log lines, without the service's name in front. */
export type LogLine = (line: string) => void;

export interface TrackInfo {
  file: string;
  /** Valid records in the file. */
  rows: number;
}

/**
 * Reads the whole track once before replaying it: to count its rows (for the progress lines),
 * to report each rejected row once rather than on every pass, and to fail at start, not
 * minutes later, on a file that cannot be replayed. Throws TrackFileError with a one-line
 * message, also when `from` is past the last row.
 */
export async function inspectTrack(file: string, from: number, log: LogLine): Promise<TrackInfo> {
  let rows = 0;
  let rejected = 0;
  const onReject = ({ line, reason }: { line: number; reason: string }) => {
    rejected++;
    log(`skipped ${file}:${line}: ${reason}`);
  };
  for await (const _ of readTrack(file, { onReject })) rows++;
  if (rejected > 0) log(`${file}: ${rejected} rows skipped, ${rows} left to replay`);
  if (from >= rows) {
    throw new TrackFileError(
      `${file}: has ${rows} rows, so it cannot start at row ${from} (rows count from 0)`,
    );
  }
  return { file, rows };
}

export interface RunReplayOptions extends Omit<ReplaySettings, "file"> {
  track: TrackInfo;
  /**
   * Stores one record. Called with at most one write in flight: a record that comes due while
   * the previous write is still running waits, and a newer one replaces it.
   */
  write: (record: GpsRecord) => Promise<unknown>;
  /** Where the records go, for the log lines: "redis". */
  target: string;
  log: LogLine;
  /** Aborting ends the replay; the write in flight and the one waiting still finish. */
  signal?: AbortSignal;
  clock?: Clock;
}

export interface ReplaySummary {
  /** Records that came due. */
  records: number;
  /** Passes started. */
  passes: number;
  written: number;
  /** Replaced by a newer record while waiting for the write before them. */
  skipped: number;
  /** Their write failed. */
  failed: number;
  /** The most a record came due later than its schedule said, in ms. */
  maxLatenessMs: number;
}

/** A progress line at least every this many ms of replay (when a record comes due)… */
const PROGRESS_EVERY_MS = 10_000;
/** …or every tenth of the track, but never two routine lines closer than this. */
const MIN_LINE_GAP_MS = 1_000;
/** A write without an answer for this long counts as the target being down. */
const NO_ANSWER_MS = 5_000;

/**
 * Replays `track` and writes each record as it comes due, without letting the writes shift the
 * schedule: a slow or failing target costs records (the latest state wins), never time.
 * Resolves with the counts when the last pass ends or `signal` aborts; rejects with
 * TrackFileError if the file can no longer be read during a later pass.
 */
export async function runReplay(options: RunReplayOptions): Promise<ReplaySummary> {
  const { track, speed, loop, from, target, log, signal } = options;
  const clock = options.clock ?? systemClock;
  const writer = new LatestWinsWriter(options.write, target, log, clock);
  const progress = new ProgressLog(track.rows, loop, log, clock);
  const mode = loop ? "looping" : "one pass";
  log(
    `replaying ${track.file}: ${track.rows} rows at ${speed}× speed, ${mode}${from > 0 ? `, from row ${from}` : ""}`,
  );
  // The replay itself stops the reading on abort, between two records.
  const replayed = replay(() => readTrack(track.file), { speed, loop, from, signal, clock });
  let records = 0;
  let passes = 0;
  let maxLatenessMs = 0;
  try {
    for await (const { record, row, pass, scheduledAt, emittedAt } of replayed) {
      writer.offer(record);
      records++;
      passes = pass + 1;
      maxLatenessMs = Math.max(maxLatenessMs, emittedAt - scheduledAt);
      progress.recordDue(row, pass);
    }
  } finally {
    await writer.idle();
  }
  const summary = { records, passes, maxLatenessMs, ...writer.counts };
  log(describeSummary(signal?.aborted ? "stopped" : "finished", target, summary));
  return summary;
}

function describeSummary(how: string, target: string, summary: ReplaySummary): string {
  const { records, passes, written, skipped, failed, maxLatenessMs } = summary;
  return (
    `${how}: ${plural(records, "record")} in ${passes === 1 ? "1 pass" : `${passes} passes`}, ` +
    `${written} written to ${target}, ${skipped} skipped (a newer record was due), ${failed} failed; ` +
    `at most ${maxLatenessMs.toFixed(1)} ms behind schedule`
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/**
 * Runs the write for one record at a time. A record that comes due while a write is running
 * waits for it; a newer one takes its place, because a position that is already out of date is
 * not worth the wait. Logs one line when writes start failing (or stop answering) and one when
 * they succeed again, however many records come due in between.
 */
class LatestWinsWriter {
  readonly counts = { written: 0, skipped: 0, failed: 0 };
  readonly #write: (record: GpsRecord) => Promise<unknown>;
  readonly #target: string;
  readonly #log: LogLine;
  readonly #clock: Clock;
  #inFlight: { done: Promise<void>; since: number; lostBefore: number } | undefined;
  #waiting: GpsRecord | undefined;
  /** Since when writes fail (or get no answer), and how many records were lost before that. */
  #down: { since: number; lostBefore: number } | undefined;

  constructor(write: (record: GpsRecord) => Promise<unknown>, target: string, log: LogLine, clock: Clock) {
    this.#write = write;
    this.#target = target;
    this.#log = log;
    this.#clock = clock;
  }

  offer(record: GpsRecord): void {
    if (this.#inFlight === undefined) {
      this.#start(record);
      return;
    }
    if (this.#waiting !== undefined) this.counts.skipped++;
    this.#waiting = record;
    const { since, lostBefore } = this.#inFlight;
    const waited = this.#clock.now() - since;
    if (waited < NO_ANSWER_MS) return;
    this.#markDown(`no answer for ${(waited / 1000).toFixed(1)} s`, since, lostBefore);
  }

  /** Resolves when no write is running and none is waiting. */
  async idle(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight.done;
  }

  #start(record: GpsRecord): void {
    const done = this.#writeOne(record).then(() => {
      this.#inFlight = undefined;
      const next = this.#waiting;
      this.#waiting = undefined;
      if (next !== undefined) this.#start(next);
    });
    this.#inFlight = { done, since: this.#clock.now(), lostBefore: this.#lost() };
  }

  async #writeOne(record: GpsRecord): Promise<void> {
    try {
      await this.#write(record);
    } catch (error) {
      this.#markDown(error instanceof Error ? error.message : String(error), this.#clock.now(), this.#lost());
      this.counts.failed++;
      return;
    }
    this.counts.written++;
    // The line that tells a student the whole path works, from the file to the target.
    if (this.counts.written === 1) this.#log(`first record written to ${this.#target}`);
    if (this.#down === undefined) return;
    const seconds = ((this.#clock.now() - this.#down.since) / 1000).toFixed(1);
    const lost = this.#lost() - this.#down.lostBefore;
    const notWritten = `${plural(lost, "record")} ${lost === 1 ? "was" : "were"} not written meanwhile`;
    this.#log(`${this.#target} up again after ${seconds} s: ${notWritten}`);
    this.#down = undefined;
  }

  /** Records that were not written: replaced while waiting, or their write failed. */
  #lost(): number {
    return this.counts.skipped + this.counts.failed;
  }

  /** `since`: when the trouble started; `lostBefore`: the records lost before then. */
  #markDown(reason: string, since: number, lostBefore: number): void {
    if (this.#down !== undefined) return;
    this.#down = { since, lostBefore };
    this.#log(`${this.#target} down (${reason}): keeping the schedule, retrying with each record`);
  }
}

/**
 * The routine lines: where the replay is (every tenth of the track or every 10 s) and the end of
 * each pass. At most one a second, so that a tiny track looping very fast does not flood the log;
 * the end of a replay that does not loop is always logged.
 */
class ProgressLog {
  readonly #rows: number;
  readonly #everyRows: number;
  readonly #loop: boolean;
  readonly #log: LogLine;
  readonly #clock: Clock;
  #lastLineAt: number;
  #rowsSinceLine = 0;
  #pass = 0;
  #passStartedAt: number;

  constructor(rows: number, loop: boolean, log: LogLine, clock: Clock) {
    this.#rows = rows;
    this.#everyRows = Math.max(1, Math.ceil(rows / 10));
    this.#loop = loop;
    this.#log = log;
    this.#clock = clock;
    this.#lastLineAt = clock.now();
    this.#passStartedAt = clock.now();
  }

  recordDue(row: number, pass: number): void {
    const now = this.#clock.now();
    if (pass !== this.#pass) {
      this.#pass = pass;
      this.#passStartedAt = now;
    }
    this.#rowsSinceLine++;
    const sinceLine = now - this.#lastLineAt;
    if (row + 1 === this.#rows) {
      if (this.#loop && sinceLine < MIN_LINE_GAP_MS) return;
      this.#line(`pass ${pass + 1} done in ${((now - this.#passStartedAt) / 1000).toFixed(1)} s`);
      return;
    }
    const tenthDone = this.#rowsSinceLine >= this.#everyRows && sinceLine >= MIN_LINE_GAP_MS;
    if (!tenthDone && sinceLine < PROGRESS_EVERY_MS) return;
    const percent = Math.floor(((row + 1) / this.#rows) * 100);
    this.#line(`row ${row + 1}/${this.#rows} (${percent}%) pass ${pass + 1}`);
  }

  #line(text: string): void {
    this.#log(text);
    this.#lastLineAt = this.#clock.now();
    this.#rowsSinceLine = 0;
  }
}

export interface ReplayServiceOptions {
  /** The name in front of every log line: "replayer". */
  service: string;
  settings: ReplaySettings;
  /** Where the records go, for the log lines: "redis". */
  target: string;
  /** Resolves once the target can take writes; called after the track was found readable. */
  connect: () => Promise<unknown>;
  write: (record: GpsRecord) => Promise<unknown>;
  /** Releases the connection; called once no write is running. */
  close: () => Promise<void> | void;
}

/**
 * A replayer's main.ts in one call: check the track (exit 1 with one line if it cannot be
 * replayed), connect, replay until the last pass ends or SIGTERM/SIGINT arrives, close, exit 0.
 */
export async function serveReplay(options: ReplayServiceOptions): Promise<void> {
  const { service, settings, target } = options;
  const log: LogLine = (line) => console.error(`${service}: ${line}`);
  const stop = new AbortController();
  let replaying: Promise<unknown> = Promise.resolve();
  onShutdown(service, async () => {
    stop.abort();
    await replaying.catch(() => {});
    await options.close();
  });
  try {
    const track = await inspectTrack(settings.file, settings.from, log);
    await options.connect();
    if (stop.signal.aborted) return;
    replaying = runReplay({ ...settings, track, target, log, write: options.write, signal: stop.signal });
    await replaying;
  } catch (error) {
    if (stop.signal.aborted) return;
    if (!(error instanceof TrackFileError)) throw error;
    log(error.message);
    process.exitCode = 1;
  }
  // After a SIGTERM or SIGINT, onShutdown closes the connection and exits.
  if (!stop.signal.aborted) await options.close();
}
