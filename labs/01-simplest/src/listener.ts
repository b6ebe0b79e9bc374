// The listener: prints every line that any number of publishers send to its TCP port, like
// `socat -u TCP-LISTEN:12345,reuseaddr,fork -`. With OUTPUT_FILE set, it appends them to that file
// instead: the lecture's listen-and-dump.
//   Run it from the repository root: npm run dev:listener -w labs/01-simplest
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import path from "node:path";
import { env, readEnv } from "@gps-workshop/service/config";
import { onShutdown } from "@gps-workshop/service/shutdown";

const { LISTEN_PORT, OUTPUT_FILE } = readEnv("listener", {
  LISTEN_PORT: env.port(12345),
  OUTPUT_FILE: env.string(""), // unset: print to stdout
});
// Logs go to stderr, so that stdout carries only the messages themselves.
const log = (message: string): void => console.error(`listener: ${message}`);

const output = OUTPUT_FILE ? openForAppend(OUTPUT_FILE) : process.stdout;
output.on("error", (error: Error) => fail(`cannot write to ${OUTPUT_FILE || "stdout"}: ${error.message}`));
const publishers = new Set<Socket>();

const server = createServer(receive);
server.on("error", (error) => fail(`cannot listen on port ${LISTEN_PORT}: ${error.message}`));
server.listen(LISTEN_PORT, () => {
  log(`listening on port ${LISTEN_PORT}, writing to ${OUTPUT_FILE || "stdout"}`);
});

/** One publisher's connection: cut its bytes into lines, and write each whole line out. */
function receive(socket: Socket): void {
  const peer = `${socket.remoteAddress?.replace(/^::ffff:/, "")}:${socket.remotePort}`;
  const framer = lineFramer();
  let received = 0;
  publishers.add(socket);
  if (outputFull) socket.pause();

  const write = (lines: Line[]): void => {
    if (lines.length === 0) return;
    // Said on the first line rather than on connect: health checks connect and send nothing.
    if (received === 0) log(`${peer} is publishing`);
    received += lines.length;
    for (const { droppedBytes } of lines.filter((line) => line.droppedBytes > 0)) {
      log(`a line from ${peer} was longer than ${MAX_LINE_BYTES} bytes: cut, ${droppedBytes} bytes dropped`);
    }
    // Whole lines in one write: lines from different publishers never interleave.
    const ok = output.write(Buffer.concat(lines.flatMap(({ bytes }) => [bytes, NEWLINE])));
    if (!ok) pauseUntilDrained();
  };

  socket.on("data", (chunk: Buffer) => write(framer.push(chunk)));
  socket.on("error", (error) => log(`${peer}: ${error.message}`));
  socket.on("close", () => {
    write(framer.end());
    publishers.delete(socket);
    if (received > 0) log(`${peer} left after ${received} lines`);
  });
}

// ── Line framing ─────────────────────────────────────────────────────────────────────────────
// TCP delivers bytes, not messages: one chunk may hold several lines, or half of one. The framer
// holds the start of a line until its newline arrives. A line longer than MAX_LINE_BYTES keeps its
// first MAX_LINE_BYTES and drops the rest, so a peer that never sends a newline cannot make the
// listener hold unbounded memory.
const MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = Buffer.from("\n");

/** A line without its newline, and how many bytes past the cap were dropped from it. */
interface Line {
  bytes: Buffer;
  droppedBytes: number;
}

/**
 * Cuts one connection's bytes into lines. `push(chunk)` returns the lines the chunk completes, perhaps
 * none (what follows its last newline waits); `end()`, at close, the last line if it had no newline.
 */
function lineFramer(): { push(chunk: Buffer): Line[]; end(): Line[] } {
  // #region solution lab01.listener-framing
  let held: Buffer[] = []; // the line so far, in pieces
  let heldBytes = 0;
  let droppedBytes = 0;

  const hold = (part: Buffer): void => {
    const kept = part.subarray(0, MAX_LINE_BYTES - heldBytes);
    droppedBytes += part.length - kept.length;
    if (kept.length === 0) return;
    held.push(kept);
    heldBytes += kept.length;
  };
  const take = (): Line => {
    const line = { bytes: Buffer.concat(held, heldBytes), droppedBytes };
    held = [];
    heldBytes = 0;
    droppedBytes = 0;
    return line;
  };

  return {
    push(chunk) {
      const lines: Line[] = [];
      let start = 0;
      let end = chunk.indexOf(NEWLINE);
      while (end !== -1) {
        hold(chunk.subarray(start, end));
        lines.push(take());
        start = end + 1;
        end = chunk.indexOf(NEWLINE, start);
      }
      hold(chunk.subarray(start));
      return lines;
    },
    end() {
      return heldBytes > 0 || droppedBytes > 0 ? [take()] : [];
    },
  };
  // #endregion
}

// ── Backpressure ─────────────────────────────────────────────────────────────────────────────
// When the output cannot keep up (a slow terminal, a busy disk), stop reading from every
// publisher until it drains. Their lines wait in the TCP buffers; once those are full, the
// publishers' own writes wait. Nothing is lost, and no process buffers without limit.
let outputFull = false;

function pauseUntilDrained(): void {
  if (outputFull) return;
  outputFull = true;
  for (const socket of publishers) socket.pause();
  output.once("drain", () => {
    outputFull = false;
    for (const socket of publishers) socket.resume();
  });
}

// ── Start and stop ───────────────────────────────────────────────────────────────────────────
function openForAppend(file: string): NodeJS.WritableStream {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    fail(`cannot create the folder of ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return createWriteStream(file, { flags: "a" });
}

function fail(message: string): never {
  log(message);
  process.exit(1);
}

// SIGTERM (docker stop) or SIGINT (Ctrl-C): stop accepting, end each connection, flush the
// output, exit 0. end() sends a FIN but keeps reading: the publisher answers with its own FIN,
// after the lines it had already sent, and they are written out with its partial line. destroy()
// would answer those lines with a reset (ECONNRESET); it is kept for a peer that never closes.
onShutdown("listener", async () => {
  server.close();
  await Promise.all(
    [...publishers].map(async (socket) => {
      const timer = setTimeout(() => socket.destroy(), 500);
      socket.resume(); // a connection paused by backpressure must read on to see the FIN
      socket.end();
      // Not events.once: it would reject on the "error" that a reset brings before "close".
      await new Promise((resolve) => socket.once("close", resolve));
      clearTimeout(timer);
    }),
  );
  await new Promise((resolve) => output.write("", resolve)); // resolves once what came before is out
});
