/**
 * A student's terminal: bash, in which each command runs as its own process group (so that a
 * Ctrl-C, SIGINT to the group, reaches it as a keyboard would), while the folder, the variables and
 * the functions a command leaves carry over to the next one, as in one long-lived shell.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as delay } from "node:timers/promises";

/** Marks what the README's `docker run/create`, `docker network/volume create` make, for the cleanup. */
export const RUN_LABEL = "gps-workshop.docs-run";

/** Sourced before every command: the terminal's state, and `docker` labelling what it creates. */
const PRELUDE = path.join(import.meta.dirname, "terminal-prelude.sh");

/** A command running in the background, or one being waited for. */
export class Job {
  readonly exited: Promise<number>;
  #output = "";
  #code: number | undefined;
  readonly #child: ChildProcess;
  readonly #listeners = new Set<() => void>();

  constructor(child: ChildProcess) {
    this.#child = child;
    const decoder = new StringDecoder("utf8");
    const append = (chunk: Buffer) => {
      this.#output += decoder.write(chunk);
      for (const listener of this.#listeners) listener();
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const closed = new Promise((resolve) => child.once("close", resolve));
    this.exited = new Promise((resolve) => {
      child.once("exit", async (code, signal) => {
        // The last output comes with "close", unless a process it started keeps the output open.
        await Promise.race([closed, delay(2000)]);
        this.#code = code ?? 128 + (signal ? constants.signals[signal] : 0);
        for (const listener of this.#listeners) listener();
        resolve(this.#code);
      });
    });
  }

  output(): string {
    return this.#output;
  }

  running(): boolean {
    return this.#code === undefined;
  }

  /**
   * Resolves once `done(output)` holds; rejects with `what` when the job exits first or the
   * deadline passes.
   */
  waitFor(done: (output: string) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (done(this.#output)) finish();
        else if (this.#code !== undefined)
          finish(new Error(`${what}, but it exited with ${this.#code} first`));
      };
      const timer = setTimeout(() => finish(new Error(`${what} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  /**
   * Ctrl-C (SIGINT to the whole group), then SIGTERM after 30 s, then SIGKILL after 5 s more.
   * Done when every process of the group has ended, not only its first: `npm start` gives the
   * prompt back at once on Ctrl-C, while the script it ran still removes its stacks.
   */
  async stop(): Promise<number> {
    const group = -(this.#child.pid ?? 0);
    const alive = () => {
      try {
        process.kill(group, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const [signal, graceMs] of [
      ["SIGINT", 30_000],
      ["SIGTERM", 5_000],
      ["SIGKILL", 5_000],
    ] as const) {
      if (!alive()) break;
      process.kill(group, signal);
      const deadline = Date.now() + graceMs;
      while (alive() && Date.now() < deadline) await delay(100);
    }
    return this.exited;
  }
}

export class Terminal {
  readonly #env: NodeJS.ProcessEnv;

  /** A terminal in `cwd`, its state kept in `stateFile`, `runId` labelling what its docker makes. */
  constructor({
    cwd,
    stateFile,
    env,
    runId,
  }: { cwd: string; stateFile: string; env: NodeJS.ProcessEnv; runId: string }) {
    this.#env = { ...env, __DOCS_STATE: stateFile, __DOCS_LABEL: `${RUN_LABEL}=${runId}` };
    writeFileSync(stateFile, `cd -- ${quote(cwd)}\n`);
  }

  /** Starts `command` (from `folder`, when given), as if typed into this terminal. */
  start(command: string, { folder, keepState = true }: { folder?: string; keepState?: boolean } = {}): Job {
    const cd = folder ? `cd -- ${quote(folder)} || exit\n` : "";
    const save = keepState ? "__docs_save\n" : "";
    const script = `source ${quote(PRELUDE)}\n${cd}${command}\n__docs_status=$?\n${save}exit $__docs_status\n`;
    const child = spawn("bash", ["--noprofile", "--norc", "-c", script], {
      env: this.#env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new Job(child);
  }
}

/** The text as one shell word, in single quotes. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
