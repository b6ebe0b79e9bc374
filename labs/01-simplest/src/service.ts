// What every service of this lab does around its own work: log, read its config, stop on a signal.
import { ConfigError } from "./config.ts";

/**
 * Logs go to stderr, one line per event, prefixed with the service's name: stdout carries only
 * the messages themselves.
 */
export function createLog(service: string): (message: string) => void {
  return (message) => {
    process.stderr.write(`${service}: ${message}\n`);
  };
}

/** Reads the config, or stops the process with one line naming the bad variable and exit code 2. */
export function configOrExit<T>(service: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(2);
  }
}

/** Longer than this and `close` is abandoned: Docker waits 10 s before it kills, students should not. */
const SHUTDOWN_DEADLINE_MS = 900;

/**
 * On the first SIGTERM (docker stop) or SIGINT (Ctrl-C), runs `close` and exits 0. Without these
 * handlers, Node running as PID 1 in a container would ignore both signals. A second signal gets
 * the default action back: it kills the process at once (unless it is PID 1: then the deadline does).
 */
export function exitOnSignal(service: string, close: () => Promise<void>): void {
  const log = createLog(service);
  const stop = (signal: NodeJS.Signals): void => {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    log(`${signal} received, shutting down`);
    setTimeout(() => {
      log(`could not close within ${SHUTDOWN_DEADLINE_MS} ms, exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write("", () => resolve());
  });
}
