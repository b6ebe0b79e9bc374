/**
 * One run of one README, step by step, as a student follows it: its commands in a terminal, its
 * background blocks started and stopped, its shown output checked, and, at the end, everything it
 * left on Docker removed and its ports checked free.
 */
import type { Names } from "./docker-names.ts";
import type { Marker } from "./markers.ts";
import { findMissingLine } from "./match.ts";
import type { Command, Step } from "./readme.ts";
import { failure, listThings, time } from "./report.ts";
import { Sandbox, snapshot } from "./sandbox.ts";
import type { Job } from "./terminal.ts";
import { Workspace } from "./workspace.ts";

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
  readonly #sandbox: Sandbox;
  readonly #workspace: Workspace;
  readonly #backgrounds: Background[] = [];
  #last: Started | undefined;
  readonly #started = Date.now();

  constructor(file: string, names: Names, env: NodeJS.ProcessEnv) {
    this.#file = file;
    const runId = `docs-${file.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${process.pid}`;
    this.#sandbox = new Sandbox(runId, names);
    // Compose projects of `npm start` get this prefix: a student's own stacks keep theirs.
    this.#workspace = new Workspace({
      file,
      env: { ...env, START_PROJECT_PREFIX: this.#sandbox.projectPrefix },
      runId: this.#sandbox.runId,
    });
  }

  /** Waits for the names it uses to be free of other README runs, and checks nothing else has them. */
  begin(lockTimeoutMs: number): Promise<void> {
    return this.#sandbox.open(this.#file, lockTimeoutMs);
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
      await this.#checkOutput(step.shown, step.line, step.marker);
    } else if (step.marker.kind === "background") {
      await this.#background(step);
    } else {
      await this.#run(step);
    }
  }

  async #run(block: Block): Promise<void> {
    const { terminal, folder } = this.#workspace.terminalFor(block.marker);
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
      const missing = findMissingLine(command.shown, job.output(), block.marker);
      if (missing) this.#fail(command, `printed no line like the one shown: ${missing.line}`, job);
      console.log(
        `${this.#file}:${command.line} $ ${command.text.split("\n")[0]}  (${time(Date.now() - started)})`,
      );
    }
  }

  async #background(block: Block): Promise<void> {
    const { terminal, folder } = this.#workspace.terminalFor(block.marker);
    const before = block.marker.stopsCleanly ? await snapshot() : undefined;
    const started = Date.now();
    const job = terminal.start(block.commands.map((command) => command.text).join("\n"), {
      folder,
      keepState: false,
    });
    this.#last = { block, job, output: () => job.output() };
    this.#backgrounds.push({ ...this.#last, job, before });
    // A failure names the whole block: its commands ran as one.
    const command = {
      ...(block.commands[0] as Command),
      text: block.commands.map((each) => each.text).join("; "),
    };
    const { until, withinMs = DEFAULT_WAIT_MS } = block.marker;
    if (until) {
      await job
        .waitFor((output) => !findMissingLine([until], output), withinMs, `printed no "${until}"`)
        .catch((error: Error) => this.#fail(command, error.message, job));
    }
    const shown = block.commands.flatMap((each) => each.shown);
    await this.#checkOutput(shown, command.line, block.marker);
    console.log(
      `${this.#file}:${block.line} started in the background, ready after ${time(Date.now() - started)}`,
    );
  }

  /** Checks that the block above (or the background block `name`) printed the lines shown. */
  async #checkOutput(shown: string[], line: number, { name, unordered, withinMs = DEFAULT_WAIT_MS }: Marker) {
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
    if (background.job.running()) {
      await background.job.stop();
      console.log(
        `${this.#file}:${background.block.line} stopped with Ctrl-C in ${time(Date.now() - started)}`,
      );
    }
    if (!background.before) return;
    const left = (await this.#sandbox.made(background.before)).filter((thing) => thing.kind !== "volume");
    if (left.length > 0)
      this.#fail(
        background.block.commands[0] as Command,
        `left after Ctrl-C: ${listThings(left)}`,
        background.job,
      );
  }

  /**
   * Stops what still runs, leaves the swarm it turned on, removes what the run left on Docker,
   * checks its ports are free again.
   * When the run never began (a name was taken), nothing ran, and nothing is touched.
   */
  async end(ports: number[]): Promise<void> {
    const errors: unknown[] = [];
    try {
      for (const background of [...this.#backgrounds])
        await this.#stop(background).catch((e) => errors.push(e));
      const { leftSwarm, removed, listening } = await this.#sandbox.close(ports);
      if (leftSwarm) console.log(`${this.#file}: swarm mode was still on: docker swarm leave --force`);
      if (removed.length > 0) console.log(`${this.#file}: removed what it left: ${listThings(removed)}`);
      if (listening.length > 0)
        errors.push(new Error(`${this.#file}: still listening after the run: port ${listening.join(", ")}`));
      if (errors.length > 0) throw errors[0];
    } finally {
      this.#workspace.dispose();
      console.log(`${this.#file}: ${time(Date.now() - this.#started)} in all`);
    }
  }

  #fail(command: Command, what: string, output: Job | string): never {
    this.failed = true;
    throw failure(this.#file, command, what, typeof output === "string" ? output : output.output());
  }
}
