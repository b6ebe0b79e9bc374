/**
 * Graceful shutdown for a service's main.ts. On SIGTERM (docker stop, compose down) or SIGINT
 * (Ctrl-C), runs `close` once, then exits 0. A close that hangs or fails must not keep the
 * container alive: after `timeoutMs` the process exits anyway, with code 1, and says why.
 */
export function onShutdown(service: string, close: () => Promise<void>, timeoutMs = 900): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.error(`${service}: ${signal} received, shutting down`);
    const timer = setTimeout(() => {
      console.error(`${service}: shutdown took longer than ${timeoutMs} ms, exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${service}: error while shutting down: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
