/**
 * The docker commands behind swarm.ts: those that change something, printed before they run as
 * they could be typed, and those that only read the swarm's state.
 */
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/** The repository's root: where the stack file and the Dockerfiles' context are. */
export const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Something that stops the script: its message is the last line printed, and it exits 1. */
export class Failure extends Error {}

/**
 * Runs a command that changes something, printed first as it could be typed, its output shown
 * as it comes. `settings` are environment variables for it, printed in front; `input` is its stdin.
 */
export async function run(
  argv: string[],
  { settings = {}, input }: { settings?: Record<string, string>; input?: string } = {},
): Promise<void> {
  const prefix = Object.entries(settings).map(([name, value]) => `${name}=${value} `);
  console.log(`$ ${prefix.join("")}${argv.join(" ")}`);
  const [file = "docker", ...args] = argv;
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, ...settings },
    stdio: [input === undefined ? "ignore" : "pipe", "inherit", "inherit"],
  });
  child.stdin?.end(input);
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("close", resolve);
  });
  if (code !== 0) throw new Failure(`\`${argv.slice(0, 3).join(" ")}\` failed (see above)`);
}

const execFileAsync = promisify(execFile);

/** `docker …` that only reads: its output's lines; it fails with the first line of its stderr. */
export async function lines(...args: string[]): Promise<string[]> {
  try {
    const { stdout } = await execFileAsync("docker", args, { cwd: ROOT });
    return stdout.split("\n").filter((line) => line !== "");
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split("\n")[0];
    throw new Error(stderr || (error instanceof Error ? error.message : String(error)));
  }
}

export async function succeeds(...args: string[]): Promise<boolean> {
  return lines(...args).then(
    () => true,
    () => false,
  );
}

/** Swarm mode on, and this machine one of its managers (only managers deploy). */
export async function requireSwarmManager(): Promise<void> {
  const [info = ""] = await lines(
    "info",
    "--format",
    "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}",
  ).catch((error: Error) => {
    throw new Failure(`cannot reach Docker (${error.message}): is it running?`);
  });
  const [state, manager] = info.split(" ");
  if (state !== "active") {
    throw new Failure(
      "this Docker engine is not in swarm mode. Turn it on with:\n\n    docker swarm init\n\n" +
        "(and off again, once done, with `docker swarm leave --force`)",
    );
  }
  if (manager !== "true") throw new Failure("this machine is a worker of its swarm: run this on a manager");
}

/** Each service of the stack, by its name in the stack file, with its tasks running (healthy) and wanted. */
export async function replicas(stack: string) {
  const rows = await lines("stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}");
  return rows.map((row) => {
    const [, name = row, running = 0, desired = 0] = /^[^_]+_(\S+) (\d+)\/(\d+)/.exec(row) ?? [];
    return { name, running: Number(running), desired: Number(desired) };
  });
}

/** Why tasks of the stack failed, one line per service and reason: `web: task: non-zero exit (1)`. */
export async function taskErrors(stack: string): Promise<string[]> {
  const rows = await lines("stack", "ps", stack, "--no-trunc", "--format", "{{.Name}}: {{.Error}}").catch(
    () => [],
  );
  return rows.filter((row) => !row.endsWith(": ")).map((row) => row.replace(/^[^_]+_([^.]+)\.\S*:/, "$1:"));
}

/** The names of the stack's containers (running or not) and networks: what `docker stack rm` leaves for a while. */
export async function stackLeftovers(stack: string): Promise<string[]> {
  const namespace = `label=com.docker.stack.namespace=${stack}`;
  return [
    ...(await lines("ps", "-a", "--filter", namespace, "--format", "{{.Names}}")),
    ...(await lines("network", "ls", "--filter", namespace, "--format", "{{.Name}}")),
  ];
}
