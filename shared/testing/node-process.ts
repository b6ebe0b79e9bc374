import { type ChildProcess, spawn } from "node:child_process";
import { onTestFinished, vi } from "vitest";

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
 * Runs a TypeScript entry file as students and containers do, `node <entry> [args]` (Node strips
 * the types; the development condition resolves @gps-workshop/shared to its sources), configured
 * by its environment alone. Killed, if still running, when the test that started it finishes.
 */
export function startNodeProcess(
  entry: string,
  { args = [], env = {} }: NodeProcessOptions = {},
): NodeProcess {
  const child = spawn(process.execPath, ["--conditions=development", entry, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
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
