/**
 * `npm run subscribe -w labs/03-pubsub`: the course's subscriber script. Subscribes to the
 * gps_state channel and prints every message on stdout as it arrives.
 * Exit codes: 0 on Ctrl-C (or SIGTERM), 2 for a bad command line or environment variable.
 */
import { configFromEnv, logConnectionState, onShutdown, redisEnv } from "@gps-workshop/shared";
import { createClient } from "redis";
import { redisKeys } from "../redis-keys.ts";
import { parseSubscriberArgs, SUBSCRIBER_USAGE, UsageError } from "./args.ts";
import { formatMessage } from "./format-message.ts";

const args = readArgs();
const config = configFromEnv("subscriber", redisEnv);
const log = (line: string) => console.error(`subscriber: ${line}`);
const channel = redisKeys(config.REDIS_KEY_PREFIX).channel;
const where = new URL(config.REDIS_URL).host;

const client = createClient({ url: config.REDIS_URL });
// One line per outage, not one per reconnection attempt. After a reconnection, node-redis
// subscribes again by itself.
logConnectionState(
  client,
  {
    down: (error) => `cannot reach redis at ${where} (${error.message}), retrying`,
    back: `connected to redis at ${where} again`,
  },
  log,
);
onShutdown("subscriber", async () => client.destroy());
// `npm run subscribe | head -3` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

try {
  await client.connect();
  await client.subscribe(channel, (message) => {
    process.stdout.write(`${formatMessage(message, args.pretty)}\n`);
  });
  log(`listening on channel ${channel} at ${where} (Ctrl-C to stop)`);
} catch (error) {
  // Ctrl-C while connecting: onShutdown is already exiting.
  if (client.isOpen) throw error;
}

function readArgs() {
  try {
    const parsed = parseSubscriberArgs(process.argv.slice(2));
    if (parsed !== "help") return parsed;
    console.log(SUBSCRIBER_USAGE);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`subscriber: ${error.message} (see --help)`);
    process.exit(2);
  }
}
