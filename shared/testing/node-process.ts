import { type ChildProcess, spawn } from "node:child_process";
import { onTestFinished, vi } from "vitest";

/** tsx's loader, by URL: the child finds it wherever it runs from. */
const TSX_LOADER = import.meta.resolve("tsx");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A service's entry file, running in a child process of the test. */
export interface NodeProcess {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The lines written to stderr so far, empty ones left out. */
  stderrLines(): string[];
  /** Waits for a line on stderr that contains `text`, e.g. the "listening" line; resolves with it. */
  waitForStderr(text: string, timeout?: number): Promise<string>;
}

export interface NodeProcessOptions {
  /** Command-line arguments after the entry file. */
  args?: string[];
  /** The process's whole environment, besides PATH: as in a container, nothing else leaks in. */
  env?: Record<string, string>;
}

/**
 * Runs a TypeScript entry file as the workshop runs its sources, through tsx:
 * `node --import tsx --conditions=development <entry> [args]` (the development condition resolves
 * @gps-workshop/shared to its sources), configured by its environment alone. One process, so the
 * signals a test sends reach the service itself. Killed, if still running, when the test that
 * started it finishes.
 */
export function startNodeProcess(
  entry: string,
  { args = [], env = {} }: NodeProcessOptions = {},
): NodeProcess {
  const child = spawn(
    process.execPath,
    ["--import", TSX_LOADER, "--conditions=development", entry, ...args],
    {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited;
  });
  const stderrLines = () => stderr.split("\n").filter((line) => line !== "");
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    stderrLines,
    waitForStderr: (text, timeout = 15_000) =>
      vi.waitFor(
        () => {
          const line = stderrLines().find((candidate) => candidate.includes(text));
          if (line === undefined) throw new Error(`no line with "${text}" on stderr yet:\n${stderr}`);
          return line;
        },
        { timeout, interval: 20 },
      ),
  };
}
