// The reader: follows the file the listen-and-dump listener writes on the shared volume, like
// `tail -F /data/messages.log`, and prints each line as it is appended.
import { readReaderConfig } from "./config.ts";
import { followFile } from "./file-follower.ts";
import { type Line, LineFramer } from "./line-framer.ts";
import { configOrExit, createLog, exitOnSignal, flushed } from "./service.ts";

const MAX_LINE_BYTES = 64 * 1024;
const POLL_MS = 200;

const log = createLog("reader");
const config = configOrExit("reader", () => readReaderConfig(process.env));
const stopped = new AbortController();
const framer = new LineFramer(MAX_LINE_BYTES);

const following = follow().catch((error: unknown) => {
  log(`cannot read ${config.inputFile}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

exitOnSignal("reader", async () => {
  stopped.abort();
  await following;
  await flushed(process.stdout);
});

async function follow(): Promise<void> {
  for await (const event of followFile(config.inputFile, { pollMs: POLL_MS, signal: stopped.signal })) {
    if (event.type === "data") {
      await print(framer.push(event.bytes));
    } else {
      // Every notice marks the end of one file (or of its old content): a held partial line is done.
      await print(framer.end());
      log(event.message);
    }
  }
  await print(framer.end());
}

async function print(lines: Line[]): Promise<void> {
  if (lines.length === 0) return;
  for (const line of lines) {
    if (line.droppedBytes > 0)
      log(`a line was longer than ${MAX_LINE_BYTES} bytes: cut, ${line.droppedBytes} bytes dropped`);
  }
  const text = Buffer.concat(lines.flatMap((line) => [line.bytes, Buffer.from("\n")]));
  // Wait when stdout is full, rather than reading the whole file into memory ahead of it.
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}
