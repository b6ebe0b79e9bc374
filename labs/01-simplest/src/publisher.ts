// A publisher: connects to the listener and sends "Hello from <name>! <time>" every second.
// When the listener is not up yet, or goes away, it retries with backoff instead of crashing.
import { createConnection, type Socket } from "node:net";
import { hostname } from "node:os";
import { createBackoff } from "./backoff.ts";
import { readPublisherConfig } from "./config.ts";
import { configOrExit, createLog, exitOnSignal } from "./service.ts";

const log = createLog("publisher");
const config = configOrExit("publisher", () => readPublisherConfig(process.env, hostname()));
const target = `${config.listenerHost}:${config.listenerPort}`;
const MAX_BACKOFF_MS = 5000;
const backoff = createBackoff({ initialMs: 200, maxMs: MAX_BACKOFF_MS });

let socket: Socket | undefined;
let timer: NodeJS.Timeout | undefined;
let stopping = false;
// The last problem reported, so that a listener down for a minute costs one log line, not sixty.
let lastReported: string | undefined;

function message(name: string, at: Date): string {
  return `Hello from ${name}! ${at.toISOString()}\n`;
}

log(`${config.name} publishing to ${target} every ${config.intervalMs} ms`);
connect();

exitOnSignal("publisher", async () => {
  stopping = true;
  clearTimeout(timer);
  const current = socket;
  if (current?.readyState === "open") {
    // end() sends what is still buffered, then a FIN: the listener gets every whole line.
    await new Promise<void>((resolve) => current.end(() => resolve()));
  }
  current?.destroy();
});

function connect(): void {
  const attempt = createConnection({ host: config.listenerHost, port: config.listenerPort });
  socket = attempt;
  let connected = false;
  let problem = "closed by the other end";

  attempt.setNoDelay(true); // send each line at once rather than batching small writes
  attempt.on("connect", () => {
    connected = true;
    lastReported = undefined;
    backoff.reset();
    log(`connected to ${target}`);
    publish(attempt);
  });
  attempt.on("error", (error: NodeJS.ErrnoException) => {
    problem = error.code ?? error.message;
  });
  attempt.on("close", () => {
    clearTimeout(timer);
    if (stopping) return;
    const report = connected ? `lost ${target} (${problem})` : `cannot reach ${target} (${problem})`;
    if (report !== lastReported) {
      log(`${report}, retrying with backoff up to ${MAX_BACKOFF_MS / 1000} s`);
      lastReported = report;
    }
    timer = setTimeout(connect, backoff.next());
  });
}

function publish(to: Socket): void {
  const next = (): void => {
    timer = setTimeout(() => publish(to), config.intervalMs);
  };
  // When the listener reads slower than we write, wait for the buffer to drain instead of
  // queueing lines in memory without limit.
  if (to.write(message(config.name, new Date()))) next();
  else to.once("drain", next);
}
