import { parseArgs } from "node:util";
import { UsageError } from "@gps-workshop/service/config";

export const REPLAY_USAGE = `Usage: npm run replay -- <file> [--speed N] [--loop] [--from N]

Prints a GPS track (course CSV, GPSLogger CSV or GPX) as one JSON record per line,
at the pace it was recorded. Progress goes to stderr when it is a terminal.

Options:
  --speed N   playback rate: 1 is real time, 10 is ten times faster (default 1)
  --loop      start again at the end, forever (Ctrl-C stops)
  --from N    start at row N, counting from 0 (default 0)
  -h, --help  show this help`;

export interface ReplayArgs {
  file: string;
  speed: number;
  loop: boolean;
  from: number;
}

/** Reads the replay command line; `"help"` when help was asked for. */
export function parseReplayArgs(argv: string[]): ReplayArgs | "help" {
  let parsed: ReturnType<typeof parseReplayOptions>;
  try {
    parsed = parseReplayOptions(argv);
  } catch (error) {
    // node:util's messages are clear but can run over several lines; keep the first sentence.
    const [firstSentence = "bad command line"] = String((error as Error).message).split(/\.\s/);
    throw new UsageError(firstSentence);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError("missing the track file to replay");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return {
    file,
    speed: number("--speed", values.speed ?? "1", (n) => n > 0 && n <= 1_000_000, "a number > 0"),
    loop: values.loop ?? false,
    from: number("--from", values.from ?? "0", (n) => Number.isInteger(n) && n >= 0, "a whole number >= 0"),
  };
}

function parseReplayOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      speed: { type: "string" },
      loop: { type: "boolean" },
      from: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function number(option: string, text: string, valid: (n: number) => boolean, expected: string): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !valid(value)) {
    throw new UsageError(`${option} must be ${expected}, got "${text}"`);
  }
  return value;
}
