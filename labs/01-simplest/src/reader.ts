// The reader: follows the file that the listen-and-dump listener writes on the shared volume, like
// `tail -F /data/messages.log`, and prints what is appended to it.
//   Run it from the repository root: npm run dev:reader -w labs/01-simplest
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { env, readEnv } from "@gps-workshop/service/config";
import { onShutdown } from "@gps-workshop/service/shutdown";
import TailFile from "@logdna/tail-file";

const { INPUT_FILE } = readEnv("reader", { INPUT_FILE: env.string("/data/messages.log") });
const log = (message: string): void => console.error(`reader: ${message}`);
// How often to look at the file. Polling, because file-system events do not always cross volumes.
const POLL_MS = 200;
const stopping = new AbortController();

/**
 * Follows the file while it exists, from its first byte, through truncations and replacements
 * (TailFile finishes the old file first); when it is removed, waits for it to come back.
 */
async function follow(file: string): Promise<void> {
  let waiting = false;
  while (!stopping.signal.aborted) {
    // maxPollFailures 1: a removed file ends this TailFile; the next one starts the new file at 0.
    const tail = new TailFile(file, { startPos: 0, pollFileIntervalMs: POLL_MS, maxPollFailures: 1 });
    try {
      await tail.start();
    } catch (error) {
      if (!isMissing(error)) throw error;
      if (!waiting) log(`waiting for ${file} to appear`);
      waiting = true;
      await sleep(POLL_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
      continue;
    }
    if (stopping.signal.aborted) return;
    waiting = false;
    log(`following ${file}`);
    tail.on("truncated", () => log(`${file} was truncated, reading it from the start`));
    tail.on("renamed", () => log(`${file} was replaced, reading the new one from the start`));
    // A read error other than a vanished file (a folder, no permission) ends the reader.
    tail.on("tail_error", (error) => {
      const cause = error.meta?.actual ?? error;
      if (!isMissing(cause)) tail.destroy(cause);
    });
    const quit = (): Promise<void> => tail.quit();
    stopping.signal.addEventListener("abort", quit, { once: true });
    try {
      for await (const chunk of tail) {
        // Wait when stdout is full, rather than read the whole file into memory ahead of it.
        if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
      }
    } catch (error) {
      if (!isMissing(error)) throw error;
      log(`${file} was removed`);
    } finally {
      stopping.signal.removeEventListener("abort", quit);
    }
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

const following = follow(INPUT_FILE).catch((error: unknown) => {
  log(`cannot read ${INPUT_FILE}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// SIGTERM (docker stop) or SIGINT (Ctrl-C): stop following, exit 0.
onShutdown("reader", async () => {
  stopping.abort();
  await following;
});
