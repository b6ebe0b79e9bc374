/**
 * What a README's commands do to Docker: the names they use (checked free before the run), and
 * what they created (removed after it, even when a step failed). A student's own containers,
 * networks, volumes and compose projects are never touched: only what is new since the run began
 * and is the run's own (its label, its compose projects, or a name its commands use) goes.
 * Images are never removed: they are the build cache.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { RUN_LABEL } from "./terminal.ts";

const run = promisify(execFile);
const PROJECT_LABEL = "com.docker.compose.project";
const BUILT_IN_NETWORKS = new Set(["none", "host", "bridge", "default"]);

/** The names a README's commands use, and the ports of this machine they use. */
export interface Names {
  containers: Set<string>;
  networks: Set<string>;
  volumes: Set<string>;
  projects: Set<string>;
  ports: Set<number>;
}

/** Reads the names out of the commands; compose files are read from `root` for their project and ports. */
export function namesUsedBy(commands: string[], root: string): Names {
  const names: Names = {
    containers: new Set(),
    networks: new Set(),
    volumes: new Set(),
    projects: new Set(),
    ports: new Set(),
  };
  for (const command of commands) {
    const add = (set: Set<string>, pattern: RegExp) => {
      for (const match of command.matchAll(pattern))
        if (match[1]) set.add(match[1].replace(/^["']|["']$/g, ""));
    };
    add(names.containers, /--name[= ](\S+)/g);
    add(names.networks, /--net(?:work)?[= ]([\w.-]+)/g);
    add(names.volumes, /(?:\s-v|--volume)[= ]([A-Za-z0-9][\w.-]*):\//g);
    for (const [, kind, rest = ""] of command.matchAll(/\b(network|volume) create([^;&|\n]*)/g)) {
      const name = rest
        .split(/\s+/)
        .filter((word) => word && !word.startsWith("-"))
        .at(-1);
      if (name) (kind === "network" ? names.networks : names.volumes).add(name);
    }
    for (const [, port] of command.matchAll(
      /(?:localhost|127\.0\.0\.1|-p |--publish[= ])(?::)?(\d+)(?=[:/\s]|$)/g,
    ))
      names.ports.add(Number(port));
    for (const compose of composeCommands(command)) {
      const texts = compose.files.map((file) => path.resolve(root, file)).filter(existsSync);
      const content = texts.map((file) => readFileSync(file, "utf8"));
      const named = content
        .map((text) => /^name:\s*["']?([\w.-]+)/m.exec(text)?.[1])
        .filter(Boolean)
        .at(-1);
      const project = compose.project ?? named;
      if (project) names.projects.add(project);
      for (const text of content)
        for (const [, fallback, fixed] of text.matchAll(/^\s*-\s*["']?(?:\$\{\w+:-(\d+)\}|(\d+)):\d+/gm))
          names.ports.add(Number(fallback ?? fixed));
    }
  }
  for (const network of BUILT_IN_NETWORKS) names.networks.delete(network);
  return names;
}

/** The `-f` files and `-p` project of each `docker compose` in a command. */
function composeCommands(command: string): { files: string[]; project?: string }[] {
  const found: { files: string[]; project?: string }[] = [];
  const words = command.split(/\s+/);
  words.forEach((word, index) => {
    if (word !== "compose" || words[index - 1] !== "docker") return;
    const compose: { files: string[]; project?: string } = { files: [] };
    for (let at = index + 1; at < words.length; at += 2) {
      const [flag, value] = [words[at] ?? "", words[at + 1] ?? ""];
      if (flag === "-f" || flag === "--file") compose.files.push(value);
      else if (flag === "-p" || flag === "--project-name") compose.project = value;
      else break;
    }
    if (compose.files.length === 0) compose.files.push("compose.yaml", "docker-compose.yml");
    found.push(compose);
  });
  return found;
}

/** What of `names` exists already on this Docker, or listens on this machine: one line each. */
export async function namesTaken(names: Names): Promise<string[]> {
  const taken: string[] = [];
  const [containers, networks, volumes, projects] = await Promise.all([
    lines("ps", "-a", "--format", "{{.Names}}"),
    lines("network", "ls", "--format", "{{.Name}}"),
    lines("volume", "ls", "--format", "{{.Name}}"),
    lines("ps", "-a", "--format", `{{.Label "${PROJECT_LABEL}"}}`),
  ]);
  for (const name of names.containers) if (containers.includes(name)) taken.push(`container ${name}`);
  for (const name of names.networks) if (networks.includes(name)) taken.push(`network ${name}`);
  for (const name of names.volumes) if (volumes.includes(name)) taken.push(`volume ${name}`);
  for (const name of names.projects) if (projects.includes(name)) taken.push(`compose project ${name}`);
  for (const port of names.ports) if (!(await portIsFree(port))) taken.push(`port ${port}`);
  return taken;
}

/** True when nothing listens on the port (Docker publishes on every interface, so check those). */
export function portIsFree(port: number): Promise<boolean> {
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

/** Everything on this Docker now: containers, networks and volumes, with their labels. */
async function everything(): Promise<(Thing & { run: string; project: string })[]> {
  const labels = `{{.Label "${RUN_LABEL}"}}\t{{.Label "${PROJECT_LABEL}"}}`;
  const listed = await Promise.all([
    lines("ps", "-a", "--format", `{{.ID}}\t{{.Names}}\t${labels}`),
    lines("network", "ls", "--format", `{{.ID}}\t{{.Name}}\t${labels}`),
    lines("volume", "ls", "--format", `{{.Name}}\t{{.Name}}\t${labels}`),
  ]);
  return (["container", "network", "volume"] as const).flatMap((kind, index) =>
    (listed[index] ?? []).map((row) => {
      const [id = "", name = "", run = "", project = ""] = row.split("\t");
      return { kind, id, name, run, project };
    }),
  );
}

/** The ids of everything on this Docker now. */
export async function snapshot(): Promise<Set<string>> {
  return new Set((await everything()).map((thing) => thing.id));
}

/**
 * What the run made since `before`: labelled with `runId`, in one of its compose projects (named,
 * or starting with `projectPrefix`), or named as its commands name things.
 */
export async function madeBy(
  { runId, names, projectPrefix }: { runId: string; names: Names; projectPrefix: string },
  before: Set<string>,
): Promise<Thing[]> {
  const namedAs = { container: names.containers, network: names.networks, volume: names.volumes };
  return (await everything())
    .filter((thing) => !before.has(thing.id))
    .filter(
      (thing) =>
        thing.run === runId ||
        names.projects.has(thing.project) ||
        (thing.project !== "" && thing.project.startsWith(projectPrefix)) ||
        namedAs[thing.kind].has(thing.name),
    )
    .map(({ kind, id, name }) => ({ kind, id, name }));
}

/** Removes containers (with their anonymous volumes), then networks, then volumes. */
export async function remove(things: Thing[]): Promise<void> {
  for (const [kind, args] of [
    ["container", ["rm", "--force", "--volumes"]],
    ["network", ["network", "rm"]],
    ["volume", ["volume", "rm", "--force"]],
  ] as const) {
    const ids = things.filter((thing) => thing.kind === kind).map((thing) => thing.id);
    if (ids.length > 0) await run("docker", [...args, ...ids]);
  }
}

async function lines(...args: string[]): Promise<string[]> {
  const { stdout } = await run("docker", args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\n").filter(Boolean);
}
