import { parseArgs } from "node:util";

export const SUBSCRIBER_USAGE = `Usage: npm run subscribe -w labs/03-pubsub [-- --pretty]

Subscribes to the gps_state channel and prints each message as it arrives, one per line.
Status and errors go to stderr; Ctrl-C stops.

Options:
  --pretty    indent each record's JSON over several lines
  -h, --help  show this help

Environment:
  REDIS_URL         the Redis to subscribe to (default redis://localhost:6379)
  REDIS_KEY_PREFIX  put before the channel name, as the replayer does (default none)`;

export interface SubscriberArgs {
  pretty: boolean;
}

/** A command line that cannot be run: the message is one line for stderr. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Reads the command line; `"help"` when help was asked for. */
export function parseSubscriberArgs(argv: string[]): SubscriberArgs | "help" {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { pretty: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    return values.help ? "help" : { pretty: values.pretty ?? false };
  } catch (error) {
    // node:util's messages can run over several lines with advice for scripts: keep the first sentence.
    const [firstSentence = "bad command line"] = String((error as Error).message).split(/\.\s/);
    throw new UsageError(firstSentence);
  }
}
