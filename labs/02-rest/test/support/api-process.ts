import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const LAB_ROOT = path.resolve(import.meta.dirname, "../..");

export interface ApiProcess {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

/** Runs the API as students and containers do: `node src/api/main.ts`, configured by `env`. */
export function spawnApi(env: Record<string, string>): ApiProcess {
  const child = spawn(process.execPath, ["--conditions=development", "src/api/main.ts"], {
    cwd: LAB_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}
