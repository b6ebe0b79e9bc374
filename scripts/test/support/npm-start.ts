import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

export interface Run {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start`'s script as npm does, through tsx, with extra environment. */
export function npmStart(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [TSX, path.join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}
