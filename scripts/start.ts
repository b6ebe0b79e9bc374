/**
 * `npm start`: the one-command demo. Builds and starts the REST stack (lab 02) and the pub/sub
 * stack (lab 03) with Docker Compose, waits until every service is healthy, prints the URLs,
 * and on Ctrl-C stops everything it started. Ports can be changed with LAB02_API_PORT,
 * LAB02_WEB_PORT and LAB03_WEB_PORT; START_PROJECT_PREFIX runs a second, separate copy of the
 * stacks (the tests use it so that they never touch a student's running labs).
 *
 * Exit codes: 0 stopped cleanly, 1 Docker missing, a port taken or a stack that did not start.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { COMPOSE_NEEDED, composeVersionProblem } from "./compose-version.ts";

interface Stack {
  title: string;
  file: string;
  /** The Compose project: what `docker compose ls` shows, and what `down` removes. */
  project: string;
  /** Host ports, by the variable that sets them: in the compose file, and for `npm start` too. */
  ports: { variable: string; port: number; what: string }[];
  urls: (port: (variable: string) => number) => string[];
}

const root = path.resolve(import.meta.dirname, "..");

const stacks: Stack[] = [
  {
    title: "Lab 02, REST",
    file: "docker-compose-rest.yml",
    project: `${projectPrefix()}lab02-rest`,
    ports: [hostPort("LAB02_API_PORT", 8000, "lab 02 API"), hostPort("LAB02_WEB_PORT", 8501, "lab 02 web")],
    urls: (port) => [
      `web UI    http://localhost:${port("LAB02_WEB_PORT")}`,
      `API docs  http://localhost:${port("LAB02_API_PORT")}/docs`,
    ],
  },
  {
    title: "Lab 03, pub/sub",
    file: "docker-compose-pubsub.yml",
    project: `${projectPrefix()}lab03-pubsub`,
    ports: [hostPort("LAB03_WEB_PORT", 8502, "lab 03 web")],
    urls: (port) => [
      `web UI    http://localhost:${port("LAB03_WEB_PORT")}`,
      `events    curl -N http://localhost:${port("LAB03_WEB_PORT")}/events`,
    ],
  },
];

await main();

async function main(): Promise<void> {
  checkDocker();
  for (const stack of stacks) {
    for (const { port, what, variable } of stack.ports) {
      if (!(await isFree(port))) {
        fail(
          `port ${port} (${what}) is already in use: stop what uses it (is the lab already running? ` +
            `docker compose -f ${stack.file} down), or pick another port, e.g. ${variable}=${port + 1000} npm start`,
        );
      }
    }
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the stacks…");
    await Promise.all(stacks.map((stack) => compose(stack, ["down", "--timeout", "5"])));
    console.log("Stopped.");
  };
  // Ctrl-C also reaches a compose command still running in the foreground: it stops by itself.
  process.once("SIGINT", () => stop().then(() => process.exit(0)));
  process.once("SIGTERM", () => stop().then(() => process.exit(0)));

  for (const stack of stacks) {
    console.log(`Building and starting ${stack.title} (${stack.file})…`);
    const code = await compose(stack, ["up", "--build", "--detach", "--wait"]);
    if (stopping) return;
    if (code !== 0) {
      console.error(
        `npm start: ${stack.title} did not become healthy (docker compose exited with ${code}); see above.`,
      );
      await stop();
      process.exit(1);
    }
  }

  console.log("\nEverything is up and healthy:\n");
  for (const stack of stacks) {
    const port = (variable: string) => stack.ports.find((p) => p.variable === variable)?.port ?? 0;
    console.log(`  ${stack.title}`);
    for (const url of stack.urls(port)) console.log(`    ${url}`);
  }
  console.log("\nPress Ctrl-C to stop everything.");
  // Keep the process alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

/** Runs `docker compose -f <file> <args>` for a stack, with its ports, showing its output. */
function compose(stack: Stack, args: string[]): Promise<number> {
  const env = { ...process.env };
  for (const { variable, port } of stack.ports) env[variable] = String(port);
  return new Promise((resolve) => {
    const child = spawn("docker", ["compose", "-p", stack.project, "-f", stack.file, ...args], {
      cwd: root,
      env,
      stdio: "inherit",
    });
    child.once("error", () => resolve(1));
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

/** Stops at once, with one line, when Docker or a recent enough Compose cannot be used. */
function checkDocker(): void {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
  if (info.error) {
    fail(
      `Docker is not installed: install Docker Desktop, or Docker Engine with ${COMPOSE_NEEDED} (https://docs.docker.com/get-docker/)`,
    );
  }
  if (info.status !== 0) {
    fail("Docker is installed but not running: start Docker Desktop (or the Docker service) and try again");
  }
  const version = spawnSync("docker", ["compose", "version", "--short"], { encoding: "utf8" });
  const problem =
    version.status === 0
      ? composeVersionProblem(version.stdout)
      : `Docker Compose is missing (\`docker compose version\` failed): ${COMPOSE_NEEDED} is needed`;
  if (problem) fail(`${problem} (https://docs.docker.com/compose/install/)`);
}

/** True when nothing listens on the port yet (Docker publishes on every interface, so check those). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

function projectPrefix(): string {
  const prefix = process.env.START_PROJECT_PREFIX ?? "";
  // Compose project names: lowercase letters, digits, dashes and underscores.
  if (!/^[a-z0-9_-]*$/.test(prefix))
    fail(`START_PROJECT_PREFIX may hold only a-z, 0-9, - and _, got "${prefix}"`);
  return prefix;
}

/** A host port from its variable (the default when unset), and what it is for. */
function hostPort(
  variable: string,
  fallback: number,
  what: string,
): { variable: string; port: number; what: string } {
  const text = process.env[variable];
  if (text === undefined || text === "") return { variable, port: fallback, what };
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`${variable} must be a port number (1-65535), got "${text}"`);
  return { variable, port, what };
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}
