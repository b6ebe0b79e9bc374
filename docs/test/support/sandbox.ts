/**
 * What a README's run does to Docker. Before it: its names must be free (locked against other
 * README runs, and not taken by anything else), and everything that exists is noted. After it,
 * even when a step failed, what is new and is the run's own (its label, its compose projects, or
 * a name its commands use) is removed: a student's own containers, networks, volumes and stacks are
 * never touched. Images are never removed: they are the build cache. A README that turns swarm mode
 * on (`docker swarm init`) needs it off before it begins, and the run leaves it off: every stack
 * was then the run's own.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import type { Names } from "./docker-names.ts";
import { lockAll } from "./lock.ts";
import { RUN_LABEL } from "./terminal.ts";

const run = promisify(execFile);
const PROJECT_LABEL = "com.docker.compose.project";
const STACK_LABEL = "com.docker.stack.namespace";
/** Compose puts it on every container it makes, and on no image. */
const ONEOFF_LABEL = "com.docker.compose.oneoff";

/** The Docker side of one README run, from `open` (before its first block) to `close` (after its last). */
export class Sandbox {
  /** The label value of what its `docker` makes; also the prefix of the compose projects it owns. */
  readonly runId: string;
  readonly #names: Names;
  /** What existed when the run began; undefined until then, and then nothing is ever removed. */
  #before: Set<string> | undefined;
  #release = () => {};

  constructor(runId: string, names: Names) {
    this.runId = runId;
    this.#names = names;
  }

  /** Compose projects whose names start so are the run's own (`npm start` takes it as START_PROJECT_PREFIX). */
  get projectPrefix(): string {
    return `${this.runId}-`;
  }

  /** Waits for its names to be free of other README runs, checks nothing else holds them, notes what exists. */
  async open(file: string, lockTimeoutMs: number): Promise<void> {
    const { containers, networks, volumes, projects, ports } = this.#names;
    this.#release = await lockAll(
      [
        ...[...containers].map((name) => `container ${name}`),
        ...[...networks].map((name) => `network ${name}`),
        ...[...volumes].map((name) => `volume ${name}`),
        ...[...projects].map((name) => `compose project ${name}`),
        ...[...ports].map((port) => `port ${port}`),
        ...[...this.#names.images].map((image) => `image ${image}`),
        ...(this.#names.swarmMode ? ["swarm mode"] : []),
      ],
      lockTimeoutMs,
    );
    const taken = await namesTaken(this.#names);
    if (taken.length > 0)
      throw new Error(
        `${file} uses names that are taken on this machine, and would touch what holds them: ` +
          `${taken.join(", ")}. Stop or remove those first.`,
      );
    const swarm = this.#names.swarmMode ? swarmModeTaken(file, await swarmState()) : undefined;
    if (swarm) throw new Error(swarm);
    this.#before = await snapshot();
  }

  /** What the run made since `since` (a snapshot), and still exists. */
  async made(since: Set<string>): Promise<Thing[]> {
    const owner = { runId: this.runId, names: this.#names, projectPrefix: this.projectPrefix };
    return (await everything())
      .filter((thing) => !since.has(thing.id) && isRunsOwn(thing, owner))
      .map(({ kind, id, name }) => ({ kind, id, name }));
  }

  /**
   * Leaves the swarm the run turned on, if it is still on; removes what the run made; releases its
   * names. Says whether it left the swarm, what it removed and which ports still listen.
   */
  async close(ports: number[]): Promise<{ leftSwarm: boolean; removed: Thing[]; listening: number[] }> {
    try {
      if (!this.#before) return { leftSwarm: false, removed: [], listening: [] };
      const leftSwarm = this.#names.swarmMode && (await swarmState()) !== "inactive";
      if (leftSwarm) await leaveSwarm();
      const removed = await this.made(this.#before);
      await remove(removed);
      const listening: number[] = [];
      for (const port of new Set([...this.#names.ports, ...ports]))
        if (!(await portIsFree(port))) listening.push(port);
      return { leftSwarm, removed, listening };
    } finally {
      this.#release();
    }
  }
}

/** What of `names` exists already on this Docker, or listens on this machine: one line each. */
async function namesTaken(names: Names): Promise<string[]> {
  const taken: string[] = [];
  const [containers, networks, volumes, projects] = await Promise.all([
    lines("ps", "-a", "--format", "{{.Names}}"),
    lines("network", "ls", "--format", "{{.Name}}"),
    lines("volume", "ls", "--format", "{{.Name}}"),
    lines("ps", "-a", "--format", `{{.Label "${PROJECT_LABEL}"}}\t{{.Label "${ONEOFF_LABEL}"}}`),
  ]);
  for (const name of names.containers) if (containers.includes(name)) taken.push(`container ${name}`);
  for (const name of names.networks) if (networks.includes(name)) taken.push(`network ${name}`);
  for (const name of names.volumes) if (volumes.includes(name)) taken.push(`volume ${name}`);
  const inProjects = projects.map((row) => {
    const [project = "", oneoff = ""] = row.split("\t");
    return composeProject("container", project, oneoff);
  });
  for (const name of names.projects) if (inProjects.includes(name)) taken.push(`compose project ${name}`);
  for (const port of names.ports) if (!(await portIsFree(port))) taken.push(`port ${port}`);
  return taken;
}

/** `inactive`, `active`, `pending`, `error` or `locked`. */
async function swarmState(): Promise<string> {
  const [state = ""] = await lines("info", "--format", "{{.Swarm.LocalNodeState}}");
  return state;
}

/** Leaves the swarm, and waits (30 s at most) until its stacks' containers and networks are gone with it. */
async function leaveSwarm(): Promise<void> {
  await run("docker", ["swarm", "leave", "--force"]);
  const stacks = `label=${STACK_LABEL}`;
  const left = async () => [
    ...(await lines("ps", "-aq", "--filter", stacks)),
    ...(await lines("network", "ls", "-q", "--filter", stacks)),
  ];
  const deadline = Date.now() + 30_000;
  while ((await left()).length > 0 && Date.now() < deadline) await delay(500);
}

/** Why a README that turns swarm mode on cannot begin in swarm mode `state`; undefined when it can. */
export function swarmModeTaken(file: string, state: string): string | undefined {
  if (state === "inactive") return undefined;
  return (
    `${file} runs docker swarm init, and turns swarm mode off at its end, but this Docker's swarm mode ` +
    `is ${state}: that swarm is not the run's to end. Run it once swarm mode is off.`
  );
}

/** True when nothing listens on the port (Docker publishes on every interface, so check those). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

export interface Thing {
  kind: "container" | "network" | "volume";
  id: string;
  name: string;
}

/** A container, network or volume, with the labels that say whose it is. */
export interface Listed extends Thing {
  run: string;
  project: string;
  stack: string;
}

/**
 * The compose project a container, network or volume is in, from its labels. A container also
 * carries its image's labels, and `docker compose build` labels the images it builds with their
 * project: a container that another tool started from such an image (a swarm task) is in no
 * project. Compose labels the containers it makes `oneoff`, and no image.
 */
export function composeProject(kind: Thing["kind"], project: string, oneoff: string): string {
  return kind === "container" && oneoff === "" ? "" : project;
}

/** Everything on this Docker now: containers, networks and volumes, with their labels. */
async function everything(): Promise<Listed[]> {
  const labels = `{{.Label "${RUN_LABEL}"}}\t{{.Label "${PROJECT_LABEL}"}}\t{{.Label "${STACK_LABEL}"}}`;
  const listed = await Promise.all([
    lines("ps", "-a", "--format", `{{.ID}}\t{{.Names}}\t${labels}\t{{.Label "${ONEOFF_LABEL}"}}`),
    lines("network", "ls", "--format", `{{.ID}}\t{{.Name}}\t${labels}`),
    lines("volume", "ls", "--format", `{{.Name}}\t{{.Name}}\t${labels}`),
  ]);
  return (["container", "network", "volume"] as const).flatMap((kind, index) =>
    (listed[index] ?? []).map((row) => {
      const [id = "", name = "", run = "", project = "", stack = "", oneoff = ""] = row.split("\t");
      return { kind, id, name, run, project: composeProject(kind, project, oneoff), stack };
    }),
  );
}

/** The ids of everything on this Docker now. */
export async function snapshot(): Promise<Set<string>> {
  return new Set((await everything()).map((thing) => thing.id));
}

/**
 * True when a thing that appeared during the run is the run's own: labelled with `runId`, in one
 * of its compose projects (named, or starting with `projectPrefix`), or named as its commands name
 * things. When the run turned swarm mode on, so are the stacks' things (their volumes outlast the
 * swarm) and the bridge network `docker swarm init` makes, which `docker swarm leave` keeps.
 */
export function isRunsOwn(
  thing: Listed,
  { runId, names, projectPrefix }: { runId: string; names: Names; projectPrefix: string },
): boolean {
  const namedAs = { container: names.containers, network: names.networks, volume: names.volumes };
  return (
    thing.run === runId ||
    names.projects.has(thing.project) ||
    (thing.project !== "" && thing.project.startsWith(projectPrefix)) ||
    namedAs[thing.kind].has(thing.name) ||
    (names.swarmMode &&
      (thing.stack !== "" || (thing.kind === "network" && thing.name === "docker_gwbridge")))
  );
}

/** Removes containers (with their anonymous volumes), then networks, then volumes. */
async function remove(things: Thing[]): Promise<void> {
  for (const [kind, args] of [
    ["container", ["rm", "--force", "--volumes"]],
    ["network", ["network", "rm"]],
    ["volume", ["volume", "rm", "--force"]],
  ] as const) {
    const ids = things.filter((thing) => thing.kind === kind).map((thing) => thing.id);
    if (ids.length === 0) continue;
    try {
      await run("docker", [...args, ...ids]);
    } catch (error) {
      // Gone meanwhile (a `down` that was still finishing) is as good as removed.
      const stderr = (error as { stderr?: string }).stderr ?? "";
      const errors = stderr.split("\n").filter(Boolean);
      if (errors.length === 0 || !errors.every((line) => /not found|no such/i.test(line))) throw error;
    }
  }
}

async function lines(...args: string[]): Promise<string[]> {
  const { stdout } = await run("docker", args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\n").filter(Boolean);
}
