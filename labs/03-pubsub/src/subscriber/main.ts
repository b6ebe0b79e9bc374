/**
 * `npm run subscribe -w labs/03-pubsub`: a third program on the channel. Subscribes to gps_state
 * and prints the record of each message on stdout as it arrives, one per line.
 * Exit codes: 0 on Ctrl-C (or SIGTERM), 2 for a bad command line or environment variable.
 */
import { parseArgs } from "node:util";
import { readEnv, redisEnv, UsageError } from "@gps-workshop/service/config";
import { createRedisClient } from "@gps-workshop/service/redis";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { redisKeys } from "../redis-keys.ts";

const USAGE = `Usage: npm run subscribe -w labs/03-pubsub [-- --pretty]

Subscribes to the gps_state channel and prints the record of each message as it arrives, one
per line (a message that is not {"id":…,"record":…} is printed as it came).
Status and errors go to stderr; Ctrl-C stops.

Options:
  --pretty    indent each record's JSON over several lines
  -h, --help  show this help

Environment:
  REDIS_URL            the Redis to subscribe to (default redis://localhost:6379)
  REDIS_KEY_PREFIX     put before the channel name, as the replayer does (default none)
  REDIS_PASSWORD_FILE  a file holding Redis's password, if it needs one`;

let args: { pretty: boolean };
try {
  args = readArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`subscriber: ${error.message} (see --help)`);
  process.exit(2);
}
const config = readEnv("subscriber", redisEnv);
const channel = redisKeys(config.REDIS_KEY_PREFIX).channel;
const client = createRedisClient({
  url: config.REDIS_URL,
  password: config.REDIS_PASSWORD_FILE,
  service: "subscriber",
});
onShutdown("subscriber", () => client.destroy());
// `npm run subscribe | head -3` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

try {
  await client.connect();
  // After a reconnection, node-redis subscribes again by itself.
  await client.subscribe(channel, (message) => process.stdout.write(`${format(message, args.pretty)}\n`));
  console.error(
    `subscriber: listening on channel ${channel} at ${new URL(config.REDIS_URL).host} (Ctrl-C to stop)`,
  );
} catch (error) {
  // Ctrl-C while connecting: onShutdown is already exiting.
  if (client.isOpen) throw error;
}

/** The record of a message, its JSON as published (indented with `pretty`); anything else as it came. */
function format(message: string, pretty: boolean): string {
  try {
    const { record } = JSON.parse(message);
    if (typeof record === "object" && record !== null) return JSON.stringify(record, null, pretty ? 2 : 0);
  } catch {}
  return message;
}

/** The options; a command line that cannot run throws a UsageError of one line. */
function readArgs(argv: string[]): { pretty: boolean } {
  const options = { pretty: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
  let values: { pretty?: boolean; help?: boolean };
  try {
    values = parseArgs({ args: argv, options }).values;
  } catch (error) {
    // node:util's message may go on with advice for scripts: its first sentence is enough.
    throw new UsageError(String((error as Error).message).split(/\.\s/)[0]);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return { pretty: values.pretty ?? false };
}
