/**
 * Graceful shutdown for a service's main.ts, with close-with-grace. On SIGTERM (`docker stop`,
 * `compose down`) or SIGINT (Ctrl-C): one log line, `close` runs once, exit 0. Without a handler,
 * Node running as a container's PID 1 would ignore both signals and Docker would kill it after
 * 10 s. A close that hangs past `delayMs` exits 1 anyway, and a second signal exits at once.
 * A crash (an uncaught error) is logged, closed the same way, and exits 1.
 */
import closeWithGrace from "close-with-grace";

export function onShutdown(
  service: string,
  close: () => Promise<void> | void,
  { delayMs = 900, log = console.error }: { delayMs?: number; log?: (line: string) => void } = {},
): void {
  closeWithGrace(
    {
      delay: delayMs,
      logger: false,
      onTimeout: () => log(`${service}: shutdown took longer than ${delayMs} ms, exiting anyway`),
      onSecondSignal: (signal) => log(`${service}: ${signal} again, exiting at once`),
    },
    async ({ signal, err }) => {
      if (err) log(`${service}: crashed: ${err.stack ?? err.message}`);
      else if (signal) log(`${service}: ${signal} received, shutting down`);
      await close();
    },
  );
}
