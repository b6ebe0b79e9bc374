// A publisher: connects to the listener and sends "Hello from <name>! <time>" every second, like
// `while true; do echo "Hello from $PUB_NAME! $(date)"; sleep 1; done | socat -u - TCP:listener:12345`.
// When the listener is not up yet, or goes away, it tries again, waiting a little longer each time.
//   Run it from the repository root: PUB_NAME=alice npm run dev:publisher -w labs/01-simplest
import { once } from "node:events";
import { connect } from "node:net";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { env, readEnv } from "@gps-workshop/service/config";
import { onShutdown } from "@gps-workshop/service/shutdown";

const config = readEnv("publisher", {
  // "listener" is the listener's name on the Docker network; outside Docker, use localhost.
  LISTENER_HOST: env.string("listener"),
  LISTENER_PORT: env.port(12345),
  // The hostname: under Docker, the container's ID. A newline would split every message in two.
  PUB_NAME: env.string(hostname()).refine((name) => !/[\r\n]/.test(name), "expected one line of text"),
  PUBLISH_INTERVAL_MS: env.integer(1000, 1, 3_600_000),
});
const target = `${config.LISTENER_HOST}:${config.LISTENER_PORT}`;
const log = (message: string): void => console.error(`publisher: ${message}`);

// ── The publisher's loop ─────────────────────────────────────────────────────────────────────
// Connect, send a line every interval until the connection breaks, then wait and connect again.
// The wait starts at 200 ms and doubles after each failure in a row up to 5 s, drawn at random
// between half and all of that, so that a crowd of publishers that lost the same listener do not
// all knock at once. A connection that breaks before its first interval is over is a failure too.
const stopping = new AbortController(); // aborted on SIGTERM or SIGINT: the loop ends

/**
 * Publishes until `stopping` is aborted: {@link connect}s, writes a line every interval
 * ({@link sleep}), waits for "drain" ({@link once}) when the socket's buffer is full, and
 * connects again, with backoff, when the connection fails or breaks.
 */
async function publishForever(): Promise<void> {
  // #region solution lab01.publisher-loop
  const MAX_BACKOFF_MS = 5000;
  let failures = 0; // failed attempts in a row
  let reported = ""; // the last problem logged: one line per change, not one per attempt
  while (!stopping.signal.aborted) {
    const socket = connect({ host: config.LISTENER_HOST, port: config.LISTENER_PORT, noDelay: true });
    const closed = new AbortController();
    let problem = "closed by the other end";
    socket.on("error", (error: NodeJS.ErrnoException) => {
      problem = error.code ?? error.message;
    });
    socket.on("close", () => closed.abort());
    const signal = AbortSignal.any([stopping.signal, closed.signal]);

    let connected = false;
    try {
      await once(socket, "connect", { signal });
      connected = true;
      reported = "";
      log(`connected to ${target}`);
      while (true) {
        const line = `Hello from ${config.PUB_NAME}! ${new Date().toISOString()}\n`;
        // A full send buffer means the listener reads slower than we write: wait for it to
        // drain rather than queue lines in memory without limit.
        if (!socket.write(line)) await once(socket, "drain", { signal });
        await sleep(config.PUBLISH_INTERVAL_MS, undefined, { signal });
        failures = 0; // the connection held for an interval: the next wait starts short again
      }
    } catch {
      // The connection failed or broke (closed aborts the waits), or we are stopping.
    }

    if (stopping.signal.aborted) {
      // end() sends what is still buffered, then a FIN: the listener gets every whole line.
      if (connected && socket.writable) await new Promise<void>((resolve) => socket.end(resolve));
      socket.destroy();
      return;
    }
    socket.destroy();
    const report = connected ? `lost ${target} (${problem})` : `cannot reach ${target} (${problem})`;
    if (report !== reported) log(`${report}, retrying with backoff up to ${MAX_BACKOFF_MS / 1000} s`);
    reported = report;
    const ceiling = Math.min(MAX_BACKOFF_MS, 200 * 2 ** failures);
    failures += 1;
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    // Aborted when we are stopping: then the loop ends.
    await sleep(delay, undefined, { signal: stopping.signal }).catch(() => undefined);
  }
  // #endregion
}

log(`${config.PUB_NAME} publishing to ${target} every ${config.PUBLISH_INTERVAL_MS} ms`);
const publishing = publishForever();

// SIGTERM (docker stop) or SIGINT (Ctrl-C): finish the line being sent, close, exit 0.
onShutdown("publisher", async () => {
  stopping.abort();
  await publishing;
});
