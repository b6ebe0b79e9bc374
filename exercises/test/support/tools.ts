import { execFile } from "node:child_process";
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
  return new Promise((resolve, reject) => {
    const options = { cwd, env: toolEnv(extra), maxBuffer: 256 * 1024 * 1024 };
    const child = execFile(file, args, options, (error, stdout, stderr) => {
      // A string code is a command that could not start (ENOENT); a number, its exit code.
      if (typeof error?.code === "string") reject(error);
      else resolve({ code: error ? (error.code ?? -1) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}
