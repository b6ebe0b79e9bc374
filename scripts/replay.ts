/**
 * `npm run replay -- <file>`: the course's "replay and print" service as a command. Prints
 * each record as a JSON line at the recorded pace; progress on stderr when it is a terminal.
 * Exit codes: 0 done (or Ctrl-C), 1 the track cannot be read, 2 bad command line.
 */
import { UsageError } from "@gps-workshop/service/config";
import { type Rejection, readTrack, replay, TrackFileError } from "@gps-workshop/shared";
import { parseReplayArgs, REPLAY_USAGE } from "./replay-args.ts";

const args = readArgs();
// npm runs scripts from the package folder; a relative path means the folder the user typed in.
process.chdir(process.env.INIT_CWD ?? process.cwd());
const file = args.file;
const showProgress = process.stderr.isTTY === true;
/** Back to the start of the line, and clear it (an ANSI escape every terminal understands). */
const ERASE_LINE = "\r\x1b[2K";
const controller = new AbortController();

process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());
// `npm run replay -- track.csv | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") controller.abort();
});

try {
  const total = showProgress ? await countRecords(file) : undefined;
  let reportRejections = true;
  const records = replay(
    () => {
      const pass = readTrack(file, { onReject: reportRejections ? printRejection : undefined });
      reportRejections = false; // once is enough: later passes read the same file
      return pass;
    },
    { speed: args.speed, loop: args.loop, from: args.from, signal: controller.signal },
  );
  const started = performance.now();
  for await (const { record, row, pass } of records) {
    // When stdout is the same terminal, the record must not land on the end of the status line.
    if (showProgress) process.stderr.write(ERASE_LINE);
    process.stdout.write(`${JSON.stringify(record)}\n`);
    if (showProgress) printProgress(row, pass, total, performance.now() - started);
  }
  if (showProgress) process.stderr.write("\n");
} catch (error) {
  if (error instanceof TrackFileError) {
    console.error(`replay: ${error.message}`);
    process.exitCode = 1;
  } else if (!controller.signal.aborted) {
    throw error;
  }
}

function readArgs() {
  try {
    const parsed = parseReplayArgs(process.argv.slice(2));
    if (parsed !== "help") return parsed;
    console.log(REPLAY_USAGE);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`replay: ${error.message} (see --help)`);
    process.exit(2);
  }
}

function printRejection({ file, line, reason }: Rejection): void {
  process.stderr.write(`replay: skipped ${file}:${line}: ${reason}\n`);
}

/** Rows in the track, for the percentage: a quick pass over the file before replaying it. */
async function countRecords(trackFile: string): Promise<number> {
  let count = 0;
  for await (const _ of readTrack(trackFile, { signal: controller.signal })) count++;
  return count;
}

function printProgress(row: number, pass: number, total: number | undefined, elapsedMs: number): void {
  const percent = total ? ` (${Math.floor(((row + 1) / total) * 100)}%)` : "";
  const loop = args.loop ? `, pass ${pass + 1}` : "";
  const seconds = Math.floor(elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  // Redraw one status line instead of scrolling.
  process.stderr.write(
    `${ERASE_LINE}replay: row ${row + 1}/${total ?? "?"}${percent}${loop}, elapsed ${clock}`,
  );
}
