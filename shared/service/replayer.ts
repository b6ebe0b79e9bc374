/**
 * What the replayers of labs 02 and 03 share around their loop: their settings, the check of the
 * track before the replay starts, and the log lines a student watches. The lesson itself, the
 * replay loop and the Redis commands, stays in each replayer's main.ts.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readTrack, TrackFileError } from "@gps-workshop/shared";
import { decimal, env, redisEnv } from "./config.ts";

/**
 * The bike loop in the shared package's data folder, found from the package's entry point:
 * `src/index.ts` when running the sources, `dist/index.js` in an image, both beside `data/`.
 */
export const BIKE_CAMPUS = fileURLToPath(
  new URL("../data/bike-campus.csv", import.meta.resolve("@gps-workshop/shared")),
);

/** The replayer's environment variables, for `readEnv`. */
export const replayerEnv = {
  /**
   * A relative path is relative to where the command was typed: npm runs a script in its
   * workspace's folder, and says in INIT_CWD where it was typed.
   */
  GPS_FILE: env.string(BIKE_CAMPUS).transform((file) => path.resolve(process.env.INIT_CWD ?? "", file)),
  /** 1 is the recorded pace; 1000 replays the 15-minute bike loop in about a second. */
  REPLAY_SPEED: decimal({ min: 0, max: 1000 })
    .refine((speed) => speed > 0, "expected a number greater than 0")
    .default(1),
  REPLAY_LOOP: env.boolean(true),
  /** The row the first pass starts at, counting from 0; the next passes start at row 0. */
  REPLAY_FROM: env.integer(0, 0, 100_000_000),
  /** About how many records gps_history keeps (`XADD … MAXLEN ~`): an hour at one record a second. */
  HISTORY_LENGTH: env.integer(3600, 1, 1_000_000),
  ...redisEnv,
};

/**
 * Reads the whole track once before it is replayed, and returns its number of rows: for the
 * progress lines, to report each rejected row once rather than on every pass, and to stop at
 * once, not minutes later, when the track cannot be replayed (missing, no valid row, `from`
 * past the end): one line and exit code 1.
 */
export async function checkTrack(service: string, file: string, from: number): Promise<number> {
  const onReject = ({ line, reason }: { line: number; reason: string }) =>
    console.error(`${service}: skipped ${file}:${line}: ${reason}`);
  let rows = 0;
  try {
    for await (const _ of readTrack(file, { onReject })) rows++;
    if (from >= rows) {
      throw new TrackFileError(
        `${file}: has ${rows} rows, so it cannot start at row ${from} (REPLAY_FROM counts from 0)`,
      );
    }
  } catch (error) {
    if (!(error instanceof TrackFileError)) throw error;
    console.error(`${service}: ${error.message}`);
    process.exit(1);
  }
  return rows;
}

/** What is replayed, how: the settings, and the track's number of rows. */
export type ReplayPlan = { file: string; rows: number; speed: number; loop: boolean; from: number };

/** A progress line every 10 s, or sooner once another tenth of the track came due, but never two within 1 s. */
const PROGRESS_EVERY_MS = 10_000;
const MIN_GAP_MS = 1_000;

const plural = (count: number, noun: string, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`;

/**
 * The replayer's log: where the replay is, and whether the records reach Redis. An outage takes
 * two lines, one when writes stop landing and one when they land again, with the number of
 * records that came due meanwhile and were not written.
 */
export class ReplayLog {
  readonly #plan: ReplayPlan;
  readonly #print: (text: string) => void;
  readonly #now: () => number;
  readonly #count = { due: 0, passes: 0, written: 0, notWritten: 0, dueSinceLine: 0 };
  /** The records not written since the last one that was, and when the first of them came due. */
  #missed = 0;
  #missedSince = 0;
  #down = false;
  #lineAt: number;

  constructor(
    service: string,
    plan: ReplayPlan,
    { log = console.error, now = () => performance.now() } = {},
  ) {
    this.#plan = plan;
    this.#print = (text) => log(`${service}: ${text}`);
    this.#now = now;
    this.#lineAt = now();
  }

  started(): void {
    const { file, rows, speed, loop, from } = this.#plan;
    const start = from > 0 ? `, from row ${from}` : "";
    this.#log(`replaying ${file}: ${rows} rows at ${speed}× speed, ${loop ? "looping" : "one pass"}${start}`);
  }

  /** A record came due (row and pass count from 0). */
  due(row: number, pass: number): void {
    const count = this.#count;
    count.due++;
    count.passes = pass + 1;
    count.dueSinceLine++;
    const { rows } = this.#plan;
    const sinceLine = this.#now() - this.#lineAt;
    const tenthDone = count.dueSinceLine >= rows / 10 && sinceLine >= MIN_GAP_MS;
    if (!tenthDone && sinceLine < PROGRESS_EVERY_MS) return;
    this.#log(`row ${row + 1}/${rows} (${Math.floor(((row + 1) / rows) * 100)}%) pass ${pass + 1}`);
  }

  /** Its write succeeded. */
  readonly written = (): void => {
    // The first one tells a student that the whole path works, from the file to Redis.
    if (++this.#count.written === 1) this.#log("first record written to redis");
    if (this.#down) {
      const seconds = ((this.#now() - this.#missedSince) / 1000).toFixed(1);
      const meanwhile = `${plural(this.#missed, "record")} ${this.#missed === 1 ? "was" : "were"} not written meanwhile`;
      this.#log(`redis up again after ${seconds} s: ${meanwhile}`);
    }
    this.#down = false;
    this.#missed = 0;
  };

  /** Its write failed: Redis is down. The first failure after a success says so, once. */
  readonly notWritten = (error: unknown): void => {
    this.#count.notWritten++;
    if (this.#missed++ === 0) this.#missedSince = this.#now();
    if (this.#down) return;
    this.#log(`redis down (${error instanceof Error ? error.message : String(error)}): keeping the schedule`);
    this.#down = true;
  };

  /** The last line: `stopped` by a signal, or `finished` after the last pass. */
  finished(stopped: boolean): void {
    const { due, passes, written, notWritten } = this.#count;
    this.#log(
      `${stopped ? "stopped" : "finished"}: ${plural(due, "record")} in ${plural(passes, "pass", "passes")}, ` +
        `${written} written to redis, ${notWritten} not written`,
    );
  }

  #log(text: string): void {
    this.#print(text);
    this.#lineAt = this.#now();
    this.#count.dueSinceLine = 0;
  }
}
