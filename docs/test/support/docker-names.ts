/**
 * The Docker names and the ports a README's commands use: `--name listener`, `--network`,
 * `network create`, `volume create`, `-v <volume>:/…`, the project of each `docker compose -f …`
 * (its `-p`, or the `name:` of its files) and the ports its files publish, `localhost:8000`,
 * `-p 6379:6379`, the images they build, and swarm mode when they turn it on. They are checked free
 * before the README runs, and locked while it does.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

const BUILT_IN_NETWORKS = new Set(["none", "host", "bridge", "default"]);

/** The names a README's commands use, and the ports of this machine they use. */
export interface Names {
  containers: Set<string>;
  networks: Set<string>;
  volumes: Set<string>;
  projects: Set<string>;
  ports: Set<number>;
  /**
   * The images they build (`docker build -t`, a compose service's `image:` beside its `build:`):
   * two READMEs that build the same tag take turns, or one's `up` would recreate the other's
   * containers on the image just built.
   */
  images: Set<string>;
  /** The commands turn swarm mode on (`docker swarm init`): the run needs it off, and leaves it off. */
  swarmMode: boolean;
}

/** Reads the names out of the commands; compose files are read from `root` for their project and ports. */
export function namesUsedBy(commands: string[], root: string): Names {
  const names: Names = {
    containers: new Set(),
    networks: new Set(),
    volumes: new Set(),
    projects: new Set(),
    ports: new Set(),
    images: new Set(),
    swarmMode: commands.some((command) => /\bdocker swarm init\b/.test(command)),
  };
  for (const command of commands) {
    const add = (set: Set<string>, pattern: RegExp) => {
      for (const match of command.matchAll(pattern))
        if (match[1]) set.add(match[1].replace(/^["']|["']$/g, ""));
    };
    add(names.containers, /--name[= ](\S+)/g);
    add(names.networks, /--net(?:work)?[= ]([\w.-]+)/g);
    add(names.volumes, /(?:\s-v|--volume)[= ]([A-Za-z0-9][\w.-]*):\//g);
    for (const [, image = ""] of command.matchAll(/\bdocker build\b[^;&|\n]*?\s(?:-t|--tag)[= ](\S+)/g))
      names.images.add(repository(image));
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
    // `npm start` runs the compose files scripts/start.ts names, each under a project of its own.
    if (/\bnpm start\b/.test(command)) {
      const start = readFileSync(path.join(root, "scripts/start.ts"), "utf8");
      for (const [file] of start.matchAll(/docker-compose-[\w-]+\.yml/g)) imagesBuiltBy(file, root, names);
    }
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
      for (const file of compose.files) imagesBuiltBy(file, root, names);
    }
  }
  for (const network of BUILT_IN_NETWORKS) names.networks.delete(network);
  return names;
}

/** Adds the images that the services of a compose file build. */
function imagesBuiltBy(file: string, root: string, names: Names): void {
  const found = path.resolve(root, file);
  if (!existsSync(found)) return;
  const services: Record<string, { build?: unknown; image?: string }> =
    parse(readFileSync(found, "utf8"), { merge: true, logLevel: "error" })?.services ?? {};
  for (const service of Object.values(services))
    if (service?.build !== undefined && service.image) names.images.add(repository(service.image));
}

/** An image's name without its tag: `gps-workshop/lab03-pubsub:${TAG:-latest}` → `gps-workshop/lab03-pubsub`. */
function repository(image: string): string {
  return image.replace(/^["']|["']$/g, "").replace(/:[^/]*$/, "");
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
