/**
 * What lab 04's tests do with Docker: the commands a student types (the lab's script, `docker
 * service update`, `docker kill`), and what Swarm shows of a stack (its services' tasks, their
 * containers' health, the state of an update), read through the Docker API.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { REPO_ROOT } from "@gps-workshop/shared/testing/docker";
import { EnvironmentError } from "@gps-workshop/shared/testing/environment";
import { freePort } from "@gps-workshop/shared/testing/free-port";
import { getContainerRuntimeClient } from "testcontainers";

/**
 * This run's own names. Two runs may share the engine (a grade of the starter while the suite
 * runs): neither may use, nor remove, the other's stacks, secrets or images. The run's global
 * setup draws LAB04_TEST_RUN; a process started without one (the bench) draws its own.
 */
const RUN = process.env.LAB04_TEST_RUN ?? randomBytes(3).toString("hex");
/** The tag of the images the tests build, so that they never replace a student's `latest`. */
export const TEST_TAG = `lab04-test-${RUN}`;
/** Every test stack's name starts with this; the global setup removes whatever is left of them. */
export const TEST_STACK_PREFIX = `lab04-test-${RUN}-`;
const SWARM_SCRIPT = "labs/04-orchestration/src/swarm.ts";
const LABEL_STACK = "com.docker.stack.namespace";
const LABEL_SERVICE = "com.docker.swarm.service.name";

const execFileAsync = promisify(execFile);

/** `docker …`: its stdout; on failure, an error with its stderr. */
export async function docker(args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync("docker", args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`docker ${args.slice(0, 3).join(" ")} failed: ${stderr || String(error)}`);
  }
}

export interface ScriptRun {
  code: number | null;
  /** stdout and stderr, interleaved as printed. */
  output: string;
}

/** `npm run swarm:up -- …` (or down): the lab's script, as a student runs it from the root. */
export async function swarmScript(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=development", SWARM_SCRIPT, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, output };
}

/** Lab 03's two images under `tag`, built as the script builds them. */
export async function buildImages(tag = TEST_TAG): Promise<void> {
  for (const [image, dockerfile] of [
    ["lab03-pubsub", "labs/03-pubsub/Dockerfile"],
    ["lab03-proxy", "labs/03-pubsub/proxy/Dockerfile"],
  ] as const) {
    await docker(["build", "-q", "-t", `gps-workshop/${image}:${tag}`, "-f", dockerfile, "."]).catch(
      (error: Error) => {
        throw new EnvironmentError(`cannot build gps-workshop/${image}:${tag}: ${error.message}`);
      },
    );
  }
}

/** A stack deployed by the tests: where its page answers. */
export interface TestStack {
  name: string;
  url: string;
}

/**
 * The stack that the exercise checks share, deployed from docker-compose-swarm.yml as it is
 * (the student's file) by the lab's script. The first check deploys it; the next ones find it
 * running and use it as the previous one left it. A deploy that fails is the file's fault: the
 * check fails with the script's output.
 */
export async function checksStack(): Promise<TestStack> {
  await ensureSwarmMode();
  const name = `${TEST_STACK_PREFIX}checks`;
  const port = await publishedPort(name);
  if (port !== undefined && (await converged(name))) return { name, url: `http://localhost:${port}` };
  await buildImages();
  const newPort = await freePort();
  const passwordFile = path.join(await mkdtemp(path.join(tmpdir(), "lab04-")), "redis_password");
  await writeFile(passwordFile, randomBytes(24).toString("hex"));
  const args = ["up", "--stack", name, "--port", String(newPort), "--tag", TEST_TAG, "--no-build"];
  const run = await swarmScript([...args, "--password-file", passwordFile], { REPLAY_SPEED: "10" });
  if (run.code !== 0) throw new Error(`npm run swarm:up failed (exit ${run.code}):\n${run.output}`);
  return { name, url: `http://localhost:${newPort}` };
}

async function publishedPort(stack: string): Promise<number | undefined> {
  const format = "{{range .Endpoint.Spec.Ports}}{{.PublishedPort}}{{end}}";
  const port = await docker(["service", "inspect", `${stack}_proxy`, "--format", format]).catch(() => "");
  return port.trim() === "" ? undefined : Number(port);
}

/** Every service of the stack runs as many tasks as it wants, each healthy if it has a healthcheck. */
async function converged(stack: string): Promise<boolean> {
  const rows = await docker(["stack", "services", stack, "--format", "{{.Replicas}}"]).catch(() => "");
  const replicas = rows.split("\n").filter((row) => row !== "");
  return replicas.length > 0 && replicas.every((row) => /^(\d+)\/\1\b/.test(row));
}

/** Turns swarm mode on, on this machine's loopback address alone, unless it is on already. */
export async function ensureSwarmMode(): Promise<void> {
  if ((await swarmState()) !== "inactive") return;
  await docker(["swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377"]);
}

async function swarmState(): Promise<string> {
  return (await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim();
}

/**
 * Swarm mode for a run: turned on now, or by the first test that needs it (`lazily`: the tests
 * call ensureSwarmMode). Resolves with what puts things back as they were: the test stacks
 * removed, and swarm mode off again (with the bridge network Swarm adds) if it was off. A run
 * interrupted with Ctrl-C skips vitest's teardown: swarm mode is then turned off (or the test
 * stacks removed) as the process exits.
 */
export async function swarmModeForTheRun(
  log: (line: string) => void,
  { lazily = false } = {},
): Promise<() => Promise<void>> {
  const wasOff = (await swarmState()) === "inactive";
  const networks = (await docker(["network", "ls", "--format", "{{.Name}}"])).split("\n");
  if (!lazily) await ensureSwarmMode();
  const onExit = () => {
    // Synchronous: the process is exiting. A command that fails changes nothing here.
    const now = (...args: string[]) => {
      try {
        return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split(
          "\n",
        );
      } catch {
        return [];
      }
    };
    const ours = (names: string[]) => names.filter((name) => name.startsWith(TEST_STACK_PREFIX));
    const stacks = ours(now("stack", "ls", "--format", "{{.Name}}"));
    if (wasOff) now("swarm", "leave", "--force");
    else if (stacks.length > 0) now("stack", "rm", ...stacks);
    // A volume still in use stays: `docker volume prune` removes it later.
    const volumes = ours(now("volume", "ls", "-q"));
    if (volumes.length > 0) now("volume", "rm", ...volumes);
    if (wasOff && !networks.includes("docker_gwbridge")) now("network", "rm", "docker_gwbridge");
    log("interrupted: the test stacks removed, and swarm mode as it was");
  };
  // Nothing else handles these signals in vitest's process: without this, they end it at once.
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === "SIGINT" ? 130 : 143);
  process.once("exit", onExit).once("SIGINT", onSignal).once("SIGTERM", onSignal);
  return async () => {
    process.off("exit", onExit).off("SIGINT", onSignal).off("SIGTERM", onSignal);
    const on = (await swarmState()) !== "inactive";
    try {
      await removeTestStacks({ swarm: on });
    } finally {
      if (wasOff && on) {
        await docker(["swarm", "leave", "--force"]);
        log("swarm mode turned off again (docker swarm leave --force)");
      }
      if (wasOff && !networks.includes("docker_gwbridge"))
        await docker(["network", "rm", "docker_gwbridge"]).catch(() => "");
    }
  };
}

/** Removes what the tests deployed: their stacks, then (once their containers are gone) their secrets, volumes and extra image tags. */
async function removeTestStacks({ swarm }: { swarm: boolean }): Promise<void> {
  // Off, swarm mode has no stacks and no secrets, and docker refuses to list them.
  if (swarm) {
    const stacks = (await docker(["stack", "ls", "--format", "{{.Name}}"])).split("\n");
    for (const stack of stacks.filter((name) => name.startsWith(TEST_STACK_PREFIX))) {
      await swarmScript(["down", "--stack", stack, "--volumes"]);
    }
    const secrets = (await docker(["secret", "ls", "--format", "{{.Name}}"])).split("\n");
    const ours = secrets.filter((name) => name.startsWith(TEST_STACK_PREFIX));
    if (ours.length > 0) await docker(["secret", "rm", ...ours]);
  }
  // This run's tags (the layers stay in the build cache for the next run).
  const format = "{{.Repository}}:{{.Tag}}";
  const images = (
    await docker(["image", "ls", "--filter", "reference=gps-workshop/*", "--format", format])
  ).split("\n");
  const tags = images.filter((image) => image.endsWith(`:${TEST_TAG}`) || image.includes(`:${TEST_TAG}-`));
  if (tags.length > 0) await docker(["rmi", ...tags]);
}

async function dockerApi() {
  return (await getContainerRuntimeClient()).container.dockerode;
}

/** The short ids of the containers of a service's tasks that Docker reports healthy. */
export async function healthyContainers(service: string): Promise<string[]> {
  const containers = await (await dockerApi()).listContainers({
    filters: { label: [`${LABEL_SERVICE}=${service}`], health: ["healthy"] },
  });
  return containers.map(({ Id }) => Id.slice(0, 12));
}

/**
 * The service's last update: its state (`updating`, `completed`, `paused`, `rollback_completed`…),
 * Swarm's message, when it started, and the image the service asks for now.
 */
export async function updateStatus(service: string) {
  const info = await (await dockerApi()).getService(service).inspect();
  return {
    state: info.UpdateStatus?.State ?? "none",
    message: info.UpdateStatus?.Message ?? "",
    startedAt: Date.parse(info.UpdateStatus?.StartedAt ?? "") || 0,
    image: info.Spec?.TaskTemplate?.ContainerSpec?.Image ?? "",
  };
}

/** The running containers of a service's tasks: their ids and environment (`docker ps`, `docker inspect`). */
export async function serviceContainers(service: string): Promise<{ id: string; env: string[] }[]> {
  const api = await dockerApi();
  const containers = await api.listContainers({ filters: { label: [`${LABEL_SERVICE}=${service}`] } });
  return Promise.all(
    containers.map(async ({ Id }) => ({ id: Id, env: (await api.getContainer(Id).inspect()).Config.Env })),
  );
}

/** What the tests created and is still there: services, containers, networks, secrets and volumes of `stack`. */
export async function leftovers(stack: string): Promise<string[]> {
  const api = await dockerApi();
  const filters = { label: [`${LABEL_STACK}=${stack}`] };
  const secrets = await api.listSecrets();
  return [
    ...(await api.listServices({ filters })).map(({ Spec }) => `service ${Spec?.Name}`),
    ...(await api.listContainers({ all: true, filters })).map(({ Names }) => `container ${Names[0]}`),
    ...(await api.listNetworks({ filters })).map(({ Name }) => `network ${Name}`),
    ...(await api.listVolumes({ filters })).Volumes.map(({ Name }) => `volume ${Name}`),
    ...secrets
      .filter(({ Spec }) => Spec?.Name?.startsWith(`${stack}_`))
      .map(({ Spec }) => `secret ${Spec?.Name}`),
  ];
}

/**
 * `redis-cli …` in the stack's Redis container, authenticated as the web is: with the file that
 * its REDIS_PASSWORD_FILE names, if it names one (`auth: false`: without the password).
 */
export async function redisCli(stack: string, args: string[], { auth = true } = {}): Promise<string> {
  const password = auth ? await webRedisPassword(stack) : undefined;
  const [redis] = await serviceContainers(`${stack}_redis`);
  if (!redis) throw new Error(`no container runs ${stack}_redis`);
  // REDISCLI_AUTH from this process's environment, not on a command line; `env -u` drops one the
  // container itself may set.
  const command = password === undefined ? ["env", "-u", "REDISCLI_AUTH", "redis-cli"] : ["redis-cli"];
  return docker(["exec", "-e", "REDISCLI_AUTH", redis.id, ...command, ...args], {
    REDISCLI_AUTH: password ?? "",
  });
}

/** Redis's password as a web task reads it: the content of the file its REDIS_PASSWORD_FILE names. */
export async function webRedisPassword(stack: string): Promise<string | undefined> {
  const [web] = await serviceContainers(`${stack}_web`);
  const file = web?.env.find((entry) => entry.startsWith("REDIS_PASSWORD_FILE="))?.split("=")[1];
  if (!web || !file) return undefined;
  return (await docker(["exec", web.id, "cat", file])).replace(/\n$/, "");
}

/** The ids of the history's entries from `first` to `last`, both included, in order. */
export async function historyIds(stack: string, first: string, last: string): Promise<string[]> {
  const reply = await redisCli(stack, ["XRANGE", "gps_history", first, last]);
  return reply.split("\n").filter((line) => /^\d+-\d+$/.test(line));
}

/**
 * Counts the service's healthy containers every 250 ms until `stop()`, which resolves with the
 * fewest seen: the capacity left at the worst moment of an update.
 */
export function watchHealthy(service: string): { stop(): Promise<number> } {
  let fewest = Number.POSITIVE_INFINITY;
  let watching = true;
  const done = (async () => {
    while (watching) {
      fewest = Math.min(fewest, (await healthyContainers(service)).length);
      await sleep(250);
    }
  })();
  return {
    async stop() {
      watching = false;
      await done;
      return fewest;
    },
  };
}

/** Waits until the update of the service started after `since` (ms) has ended, one way or another, and returns how. */
export async function settledUpdate(service: string, since: number, timeoutMs = 240_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = await updateStatus(service);
    // Docker's clock and this one are the same machine's; a second of slack for their rounding.
    const ours = status.startedAt >= since - 1000;
    if (ours && !["updating", "rollback_started"].includes(status.state)) return status;
    if (performance.now() > deadline) {
      throw new Error(`${service}: the update is still ${status.state} after ${timeoutMs / 1000} s`);
    }
    await sleep(500);
  }
}

/** The image of labs/04-orchestration/broken.Dockerfile on top of the tests' image: a web that never gets healthy. */
export async function buildBrokenImage(): Promise<string> {
  const image = `gps-workshop/lab03-pubsub:${TEST_TAG}-broken`;
  const dockerfile = path.join(REPO_ROOT, "labs/04-orchestration/broken.Dockerfile");
  // As the README builds it: the Dockerfile alone on stdin, no build context.
  const build = spawn("docker", ["build", "-q", "--build-arg", `TAG=${TEST_TAG}`, "-t", image, "-"], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  build.stdin.end(await readFile(dockerfile));
  let stderr = "";
  build.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => build.once("close", resolve));
  if (code !== 0) throw new EnvironmentError(`cannot build ${image}: ${stderr}`);
  return image;
}
