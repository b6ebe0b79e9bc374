/**
 * One run of one README, step by step, as a student follows it: its commands in a terminal, its
 * background blocks started and stopped, its shown output checked, and, at the end, everything it
 * left on Docker removed and its ports checked free.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { madeBy, type Names, namesTaken, portIsFree, remove, snapshot, type Thing } from "./docker-state.ts";
import { lockAll } from "./lock.ts";
import { findMissingLine } from "./match.ts";
import type { Command, Step } from "./readme.ts";
import { type Job, Terminal } from "./terminal.ts";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Set in a fresh clone's terminal: its own `npm test` leaves out the fresh-clone blocks. */
export const IN_FRESH_CLONE = "DOCS_IN_FRESH_CLONE";
const DEFAULT_RUN_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 60_000;

type Block = Extract<Step, { type: "shell" }>;
interface Started {
  block: Block;
  output: () => string;
  job?: Job;
}
interface Background extends Started {
  job: Job;
  /** What existed when it started, to check it `stops cleanly`. */
  before?: Set<string>;
}

export class ReadmeRun {
  failed = false;
  readonly #file: string;
  readonly #names: Names;
  readonly #env: NodeJS.ProcessEnv;
  readonly #runId: string;
  readonly #temp = mkdtempSync(path.join(tmpdir(), "gps-docs-"));
  readonly #terminal: Terminal;
  #clone: { root: string; terminal: Terminal } | undefined;
  readonly #backgrounds: Background[] = [];
  #last: Started | undefined;
  #before = new Set<string>();
  #release = () => {};
  readonly #started = Date.now();

  constructor(file: string, names: Names, env: NodeJS.ProcessEnv) {
    this.#file = file;
    this.#names = names;
    this.#runId = `docs-${file.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${process.pid}`;
    // Compose projects of `npm start` get this prefix: a student's own stacks keep theirs.
    this.#env = { ...env, START_PROJECT_PREFIX: `${this.#runId}-` };
    this.#terminal = this.#newTerminal(ROOT, "terminal.state", this.#env);
  }

  /** Waits for the names it uses to be free of other README runs, and checks nothing else has them. */
  async begin(lockTimeoutMs: number): Promise<void> {
    const { containers, networks, volumes, projects, ports } = this.#names;
    const keys = [
      ...[...containers].map((name) => `container ${name}`),
      ...[...networks].map((name) => `network ${name}`),
      ...[...volumes].map((name) => `volume ${name}`),
      ...[...projects].map((name) => `compose project ${name}`),
      ...[...ports].map((port) => `port ${port}`),
    ];
    this.#release = await lockAll(keys, lockTimeoutMs);
    const taken = await namesTaken(this.#names);
    if (taken.length > 0)
      throw new Error(
        `${this.#file} uses names that are taken on this machine, and would touch what holds them: ` +
          `${taken.join(", ")}. Stop or remove those first.`,
      );
    this.#before = await snapshot();
  }

  /** Runs one step; headings and `stop` markers stop background blocks. */
  async step(step: Step): Promise<void> {
    if (step.type === "heading") {
      for (const background of this.#backgrounds.filter((b) => !b.block.marker.name))
        await this.#stop(background);
    } else if (step.type === "stop") {
      const named = this.#backgrounds.find((background) => background.block.marker.name === step.name);
      if (named) await this.#stop(named);
    } else if (step.type === "output") {
      await this.#checkOutput(
        step.shown,
        step.line,
        step.marker.name,
        step.marker.unordered,
        step.marker.withinMs,
      );
    } else if (step.marker.kind === "background") {
      await this.#background(step);
    } else {
      await this.#run(step);
    }
  }

  async #run(block: Block): Promise<void> {
    const { terminal, folder } = this.#where(block);
    const within = block.marker.withinMs ?? DEFAULT_RUN_MS;
    const deadline = Date.now() + within;
    const outputs: Job[] = [];
    this.#last = { block, output: () => outputs.map((job) => job.output()).join("") };
    for (const [index, command] of block.commands.entries()) {
      const started = Date.now();
      const job = terminal.start(command.text, { folder: index === 0 ? folder : undefined });
      outputs.push(job);
      const timer = setTimeout(() => job.stop(), Math.max(0, deadline - started));
      const code = await job.exited;
      clearTimeout(timer);
      const wanted = index === block.commands.length - 1 ? block.marker.exitCode : 0;
      if (Date.now() >= deadline) this.#fail(command, `did not finish within ${time(within)}: stopped`, job);
      if (code !== wanted) this.#fail(command, `exited with ${code}${wanted ? `, not ${wanted}` : ""}`, job);
      const missing = findMissingLine(command.shown, job.output());
      if (missing) this.#fail(command, `printed no line like the one shown: ${missing.line}`, job);
      console.log(
        `${this.#file}:${command.line} $ ${command.text.split("\n")[0]}  (${time(Date.now() - started)})`,
      );
    }
  }

  async #background(block: Block): Promise<void> {
    const { terminal, folder } = this.#where(block);
    const before = block.marker.stopsCleanly ? await snapshot() : undefined;
    const started = Date.now();
    const job = terminal.start(block.commands.map((command) => command.text).join("\n"), {
      folder,
      keepState: false,
    });
    this.#last = { block, job, output: () => job.output() };
    this.#backgrounds.push({ ...this.#last, job, before });
    const command = block.commands[0] as Command;
    const { until, withinMs = DEFAULT_WAIT_MS } = block.marker;
    if (until) {
      await job
        .waitFor((output) => !findMissingLine([until], output), withinMs, `printed no "${until}"`)
        .catch((error: Error) => this.#fail(command, error.message, job));
    }
    const shown = block.commands.flatMap((each) => each.shown);
    await this.#checkOutput(shown, command.line, undefined, false, withinMs);
    console.log(
      `${this.#file}:${block.line} started in the background, ready after ${time(Date.now() - started)}`,
    );
  }

  async #checkOutput(
    shown: string[],
    line: number,
    name?: string,
    unordered = false,
    withinMs = DEFAULT_WAIT_MS,
  ) {
    const target = name ? this.#backgrounds.find((b) => b.block.marker.name === name) : this.#last;
    if (!target) throw new Error(`${this.#file}:${line}: no block above whose output this shows`);
    const missing = () => findMissingLine(shown, target.output(), { unordered });
    if (target.job?.running())
      await target.job.waitFor(() => !missing(), withinMs, "").catch(() => undefined);
    const absent = missing();
    if (absent)
      this.#fail(
        target.block.commands[0] as Command,
        `printed no line like the one shown at line ${line}: ${absent.line}`,
        target.output(),
      );
  }

  async #stop(background: Background): Promise<void> {
    this.#backgrounds.splice(this.#backgrounds.indexOf(background), 1);
    const started = Date.now();
    await background.job.stop();
    console.log(
      `${this.#file}:${background.block.line} stopped with Ctrl-C in ${time(Date.now() - started)}`,
    );
    if (!background.before) return;
    const left = (await this.#made(background.before)).filter((thing) => thing.kind !== "volume");
    if (left.length > 0)
      this.#fail(
        background.block.commands[0] as Command,
        `left after Ctrl-C: ${describe(left)}`,
        background.job,
      );
  }

  /** Stops what still runs, removes what the run left on Docker, checks its ports are free again. */
  async end(ports: number[]): Promise<void> {
    const errors: unknown[] = [];
    try {
      for (const background of [...this.#backgrounds])
        await this.#stop(background).catch((e) => errors.push(e));
      const left = await this.#made(this.#before);
      await remove(left);
      if (left.length > 0) console.log(`${this.#file}: removed what it left: ${describe(left)}`);
      const listening: number[] = [];
      for (const port of new Set([...this.#names.ports, ...ports]))
        if (!(await portIsFree(port))) listening.push(port);
      if (listening.length > 0)
        errors.push(new Error(`${this.#file}: still listening after the run: port ${listening.join(", ")}`));
      if (errors.length > 0) throw errors[0];
    } finally {
      this.#release();
      rmSync(this.#temp, { recursive: true, force: true });
      console.log(`${this.#file}: ${time(Date.now() - this.#started)} in all`);
    }
  }

  #made(since: Set<string>): Promise<Thing[]> {
    return madeBy({ runId: this.#runId, names: this.#names, projectPrefix: `${this.#runId}-` }, since);
  }

  /** The terminal and folder of a block: the main one, or the fresh clone's (cloned on first use). */
  #where(block: Block): { terminal: Terminal; folder?: string } {
    const { folder, freshClone } = block.marker;
    if (!freshClone) return { terminal: this.#terminal, folder: folder && path.join(ROOT, folder) };
    if (!this.#clone) {
      const root = path.join(this.#temp, "clone");
      execFileSync("git", ["clone", "--quiet", ROOT, root]);
      if (execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim())
        console.log(
          `${this.#file}: the fresh clone holds the last commit, not the changes not committed yet`,
        );
      this.#clone = {
        root,
        terminal: this.#newTerminal(root, "clone.state", { ...this.#env, [IN_FRESH_CLONE]: "1" }),
      };
    }
    return { terminal: this.#clone.terminal, folder: folder && path.join(this.#clone.root, folder) };
  }

  #newTerminal(cwd: string, state: string, env: NodeJS.ProcessEnv): Terminal {
    return new Terminal({ cwd, stateFile: path.join(this.#temp, state), env, runId: this.#runId });
  }

  /** Throws the failure of a command: the README, the line, the command, the end of its output. */
  #fail(command: Command, what: string, output: Job | string): never {
    this.failed = true;
    const text = typeof output === "string" ? output : output.output();
    const tail = text.trimEnd().split("\n").slice(-40).join("\n");
    throw new Error(
      `${this.#file}:${command.line}: ${command.text} — ${what}\n--- its output, last 40 lines ---\n${tail}`,
    );
  }
}

function describe(things: Thing[]): string {
  return things.map((thing) => `${thing.kind} ${thing.name}`).join(", ");
}

function time(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
