// The listener: prints every line that any number of publishers send to its TCP port, like
// `socat -u TCP-LISTEN:12345,reuseaddr,fork -`. With OUTPUT_FILE, appends them to that file instead.
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import path from "node:path";
import { readListenerConfig } from "./config.ts";
import { type Line, LineFramer } from "./line-framer.ts";
import { configOrExit, createLog, exitOnSignal, flushed } from "./service.ts";

const MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = Buffer.from("\n");

const log = createLog("listener");
const config = configOrExit("listener", () => readListenerConfig(process.env));
const output = openOutput(config.outputFile);
const publishers = new Set<Socket>();
let outputFull = false;

const server = createServer(receive);
server.on("error", (error) => {
  log(`cannot listen on port ${config.port}: ${error.message}`);
  process.exit(1);
});
server.listen(config.port, () => {
  log(`listening on port ${config.port}, writing to ${config.outputFile ?? "stdout"}`);
});

exitOnSignal("listener", async () => {
  server.close();
  // Closing a socket flushes its partial line (see receive), before the output is flushed.
  await Promise.all(
    [...publishers].map((socket) => {
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.destroy();
      return closed;
    }),
  );
  await flushed(output);
});

function receive(socket: Socket): void {
  const peer = `${socket.remoteAddress?.replace(/^::ffff:/, "")}:${socket.remotePort}`;
  const framer = new LineFramer(MAX_LINE_BYTES);
  let received = 0;
  publishers.add(socket);
  if (outputFull) socket.pause();

  const write = (lines: Line[]): void => {
    if (lines.length === 0) return;
    // Logged on the first line, not on connect: health checks connect without sending anything.
    if (received === 0) log(`${peer} is publishing`);
    received += lines.length;
    const chunks: Buffer[] = [];
    for (const line of lines) {
      chunks.push(line.bytes, NEWLINE);
      if (line.droppedBytes > 0) {
        log(
          `a line from ${peer} was longer than ${MAX_LINE_BYTES} bytes: cut, ${line.droppedBytes} bytes dropped`,
        );
      }
    }
    // Whole lines in one write: lines from different publishers can never interleave.
    if (!output.write(Buffer.concat(chunks))) pauseAll();
  };

  socket.on("data", (chunk: Buffer) => write(framer.push(chunk)));
  socket.on("error", (error) => log(`${peer}: ${error.message}`));
  socket.on("close", () => {
    write(framer.end());
    publishers.delete(socket);
    if (received > 0) log(`${peer} left after ${received} lines`);
  });
}

/**
 * The output cannot keep up (a slow terminal, a full disk cache): stop reading from every
 * publisher until it drains. Their data waits in the TCP buffers, and once those fill up the
 * publishers' writes wait too, so nothing is lost and memory stays bounded.
 */
function pauseAll(): void {
  if (outputFull) return;
  outputFull = true;
  for (const socket of publishers) socket.pause();
  output.once("drain", () => {
    outputFull = false;
    for (const socket of publishers) socket.resume();
  });
}

function openOutput(file: string | undefined): NodeJS.WritableStream {
  const stream = file === undefined ? process.stdout : openAppend(file);
  stream.on("error", (error: Error) => {
    log(`cannot write to ${file ?? "stdout"}: ${error.message}`);
    process.exit(1);
  });
  return stream;
}

function openAppend(file: string): NodeJS.WritableStream {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    log(`cannot create the folder of ${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  return createWriteStream(file, { flags: "a" });
}
