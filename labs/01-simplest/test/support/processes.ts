import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, vi } from "vitest";

const SOURCES = path.resolve(import.meta.dirname, "../../src");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One of the lab's services, running as a child process exactly as `node src/<entry>.ts` would. */
export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The complete lines written to stdout so far. */
  lines(): string[];
  exited: Promise<Exit>;
  /** Sends `signal` and resolves with the exit status and how long the process took to exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit & { ms: number }>;
}

const running = new Set<ChildProcess>();

/** Starts src/<entry>.ts with Node (which strips the types) and only the given environment. */
export function startService(
  entry: "listener" | "publisher" | "reader",
  env: Record<string, string>,
): ServiceProcess {
  const child = spawn(process.execPath, ["--conditions=development", path.join(SOURCES, `${entry}.ts`)], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    lines: () => stdout.split("\n").slice(0, -1),
    exited,
    async stop(signal = "SIGTERM") {
      const start = performance.now();
      child.kill(signal);
      const exit = await exited;
      return { ...exit, ms: performance.now() - start };
    },
  };
}

/** For afterEach: kills whatever a failed test left running. */
export function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Starts the listener on `port` and resolves once it accepts connections. */
export async function startListener(port: number, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const listener = startService("listener", { LISTEN_PORT: String(port), ...env });
  await vi.waitFor(() => expect(listener.stderr()).toContain(`listening on port ${port}`), WAIT);
  return listener;
}

/** How long a condition may take to come true; checked every 20 ms. */
export const WAIT = { timeout: 10_000, interval: 20 };
