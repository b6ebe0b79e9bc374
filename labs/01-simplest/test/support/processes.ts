import path from "node:path";
import { type Exit, type NodeProcess, startNodeProcess } from "@gps-workshop/shared/testing";

const SOURCES = path.resolve(import.meta.dirname, "../../src");

/** One of the lab's services, running as a child process exactly as `node src/<entry>.ts` would. */
export interface ServiceProcess extends NodeProcess {
  /** The complete lines written to stdout so far. */
  lines(): string[];
  /** Sends `signal` and resolves with the exit status. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Starts src/<entry>.ts with only the given environment; killed when the test finishes. */
export function startService(
  entry: "listener" | "publisher" | "reader",
  env: Record<string, string>,
): ServiceProcess {
  const service = startNodeProcess(path.join(SOURCES, `${entry}.ts`), { env });
  return {
    ...service,
    lines: () => service.stdout().split("\n").slice(0, -1),
    stop(signal = "SIGTERM") {
      service.child.kill(signal);
      return service.exited;
    },
  };
}

/** Starts the listener on `port` and resolves once it accepts connections. */
export async function startListener(port: number, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const listener = startService("listener", { LISTEN_PORT: String(port), ...env });
  await listener.waitForStderr(`listening on port ${port}`, WAIT.timeout);
  return listener;
}

/** How long a condition may take to come true; checked every 20 ms. */
export const WAIT = { timeout: 10_000, interval: 20 };
