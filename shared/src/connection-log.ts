/**
 * What `logConnectionState` needs of a client: the "error" and "ready" events that node-redis
 * emits. Any client with these will do; the library depends on none.
 */
export interface ConnectionEvents {
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
}

/** The lines a service says about its connection. */
export interface ConnectionLines {
  /** When the connection is lost or cannot be made. */
  down(error: Error): string;
  /** Whenever the connection is ready, the first time included. */
  connected?: string;
  /** When it is ready again after an outage, instead of `connected`. */
  back?: string;
}

/**
 * Logs a connection's ups and downs, one line each. node-redis emits an "error" on every failed
 * reconnection attempt, which would otherwise print a line every couple of seconds of an outage;
 * and without an "error" listener, the first lost connection would crash the process.
 */
export function logConnectionState(
  client: ConnectionEvents,
  lines: ConnectionLines,
  log: (line: string) => void,
): void {
  let down = false;
  client.on("error", (error) => {
    if (down) return;
    down = true;
    log(lines.down(error));
  });
  client.on("ready", () => {
    const line = down ? (lines.back ?? lines.connected) : lines.connected;
    down = false;
    if (line !== undefined) log(line);
  });
}
