import { spawn } from "node:child_process";
import path from "node:path";

/** tsx's loader, by URL, as the package.json scripts run the tools. */
const TSX = import.meta.resolve("tsx");

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment a tool gets: this one without vitest's own variables, which would make the
 * vitest inside the tool believe it runs inside a test.
 */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|NODE_ENV$|REDIS_URL$)/.test(name)),
  );
  return { ...env, ...extra };
}

/** Runs one of the tools of the repository at `root` (exercises/<name>.ts) as its npm script does. */
export function tool(
  root: string,
  name: string,
  args: string[] = [],
  { env = {}, input = "" }: { env?: Record<string, string>; input?: string } = {},
): Promise<ToolRun> {
  const script = path.join("exercises", `${name}.ts`);
  return exec(
    root,
    process.execPath,
    ["--import", TSX, "--conditions=development", script, ...args],
    env,
    input,
  );
}

/** Runs a command in `cwd`, with `input` on its stdin; its exit code and output, whatever the code. */
export function exec(
  cwd: string,
  file: string,
  args: readonly string[],
  extra: Record<string, string> = {},
  input = "",
): Promise<ToolRun> {
  const child = spawn(file, args, { cwd, env: toolEnv(extra) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
