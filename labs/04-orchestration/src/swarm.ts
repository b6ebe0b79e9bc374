/**
 * Lab 04's stack on Docker Swarm, from the root of the repository:
 *
 *   npm run swarm:up     builds lab 03's images, creates the secret holding Redis's password,
 *                        deploys docker-compose-swarm.yml as the stack "gps", waits until every
 *                        service runs, and prints the page's address
 *   npm run swarm:down   removes the stack, its networks and its secrets, and waits until they are gone
 *
 * It prints each docker command that changes something before running it: the same commands
 * can be typed by hand. It never turns swarm mode on or off: `docker swarm init` is yours to run.
 * Exit codes: 0 done, 1 failed (the line before says why), 2 bad command line.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs, promisify } from "node:util";
import { decimal, UsageError } from "@gps-workshop/service/config";

const USAGE = `Usage: npm run swarm:up [-- options]     npm run swarm:down [-- options]

  --stack NAME           the stack's name, in front of its services' names (default gps)
up:
  --port PORT            the page's port on each machine of the swarm (default 8504)
  --tag TAG              the tag of lab 03's images to build and run (default latest)
  --password-file FILE   Redis's password, read from FILE (default: a random one, printed nowhere)
  --no-build             run the images that are there, instead of building them first
  --timeout SECONDS      how long to wait for every service to run (default 180)
down:
  --volumes              remove Redis's volume too (its data is kept otherwise)`;

const OPTIONS = {
  stack: { type: "string", default: "gps" },
  port: { type: "string", default: "8504" },
  tag: { type: "string", default: "latest" },
  "password-file": { type: "string" },
  "no-build": { type: "boolean", default: false },
  timeout: { type: "string", default: "180" },
  volumes: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;
const ONLY_FOR = { up: ["port", "tag", "password-file", "no-build", "timeout"], down: ["volumes"] };

const ROOT = path.resolve(import.meta.dirname, "../../..");
const STACK_FILE = "docker-compose-swarm.yml";
/** The images that docker-compose-swarm.yml runs, and how lab 03 builds its own two. */
const images = (tag: string) => [
  { image: `gps-workshop/lab03-pubsub:${tag}`, dockerfile: "labs/03-pubsub/Dockerfile" },
  { image: `gps-workshop/lab03-proxy:${tag}`, dockerfile: "labs/03-pubsub/proxy/Dockerfile" },
  { image: "redis:7-bookworm" },
];

const execFileAsync = promisify(execFile);

/** Something that stops the script: its message is the last line printed, and it exits 1. */
class Failure extends Error {}

const command = process.argv[2] === "down" ? "down" : "up";
const log = (line: string) => console.log(`swarm:${command}: ${line}`);
try {
  const options = readOptions(process.argv.slice(3));
  await requireSwarmManager();
  if (command === "up") await up(options);
  else await down(options);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`swarm:${command}: ${error.message} (npm run swarm:${command} -- --help)`);
    process.exit(2);
  }
  if (!(error instanceof Failure)) throw error;
  console.error(`swarm:${command}: ${error.message}`);
  process.exit(1);
}

async function up({ stack, port, tag, passwordFile, build, timeout }: Options): Promise<void> {
  for (const { image, dockerfile } of images(tag)) {
    if (dockerfile && build) await run(["docker", "build", "-t", image, "-f", dockerfile, "."]);
    else if (!(await succeeds("docker", "image", "inspect", image))) {
      if (!dockerfile) await run(["docker", "pull", image]);
      else
        throw new Failure(
          `the image ${image} is missing: build it (without --no-build) or pick another --tag`,
        );
    }
  }

  // A secret is stored once and cannot change: an existing one is kept (see the README to rotate it).
  const secret = `${stack}_redis_password`;
  if (await succeeds("docker", "secret", "inspect", secret)) log(`the secret ${secret} exists: kept`);
  else {
    const password = passwordFile ? await readPasswordFile(passwordFile) : randomBytes(32).toString("hex"); // 64 hex digits, never printed
    // On stdin (`-`): the password shows in no command line.
    await run(["docker", "secret", "create", secret, "-"], { input: password });
    log(
      `created the secret ${secret}: ${passwordFile ? `the password in ${passwordFile}` : "a random password"}`,
    );
  }

  const errorsBefore = await taskErrors(stack);
  const settings = { LAB04_TAG: tag, LAB04_PORT: String(port), REDIS_PASSWORD_SECRET: secret };
  const deployed = performance.now();
  // --resolve-image never: the images are this machine's own, not a registry's (see the README).
  await run(["docker", "stack", "deploy", "--resolve-image", "never", "-c", STACK_FILE, stack], { settings });

  // Converged: every service runs as many tasks as it asks for (a task counts once healthy),
  // and the page answers through the published port.
  let progress = "";
  const errorsShown = new Set(errorsBefore);
  for (;;) {
    const services = await replicas(stack);
    const line = services.map(({ name, running, desired }) => `${name} ${running}/${desired}`).join(", ");
    if (line !== progress) log(line);
    progress = line;
    for (const error of await taskErrors(stack)) {
      if (!errorsShown.has(error)) log(`  ${error}`);
      errorsShown.add(error);
    }
    const converged = services.every(({ running, desired }) => running === desired);
    if (converged && (await answers(`http://localhost:${port}/readyz`))) break;
    const seconds = (performance.now() - deployed) / 1000;
    if (seconds > timeout) {
      throw new Failure(`not every service runs after ${timeout} s: \`docker stack ps ${stack}\` says why`);
    }
    await sleep(1000);
  }
  const seconds = ((performance.now() - deployed) / 1000).toFixed(1);
  log(`every service runs (${seconds} s after the deploy): open http://localhost:${port}`);
  log(
    `look around: docker stack services ${stack}; docker service ps ${stack}_web; docker service logs ${stack}_web`,
  );
}

async function down({ stack, volumes }: Options): Promise<void> {
  const namespace = `label=com.docker.stack.namespace=${stack}`;
  if ((await lines("docker", "stack", "ls", "--format", "{{.Name}}")).includes(stack)) {
    await run(["docker", "stack", "rm", stack]);
  } else log(`there is no stack named ${stack}`);
  // `stack rm` returns at once; the tasks' containers stop within their grace period, and a
  // network goes once no container is attached to it.
  for (let waited = 0; ; waited++) {
    const left = [
      ...(await lines("docker", "ps", "-a", "-q", "--filter", namespace)).map(() => "container"),
      ...(await lines("docker", "network", "ls", "-q", "--filter", namespace)).map(() => "network"),
    ];
    if (left.length === 0) break;
    if (waited % 5 === 0) log(`waiting for ${left.length} containers and networks to go`);
    await sleep(1000);
  }
  const secrets = await lines("docker", "secret", "ls", "--format", "{{.Name}}");
  for (const secret of secrets.filter((name) => name.startsWith(`${stack}_`))) {
    await run(["docker", "secret", "rm", secret]);
  }
  const stackVolumes = await lines("docker", "volume", "ls", "-q", "--filter", namespace);
  if (volumes) for (const volume of stackVolumes) await run(["docker", "volume", "rm", volume]);
  else if (stackVolumes.length > 0)
    log(`kept the volume ${stackVolumes.join(", ")} (Redis's data): --volumes removes it`);
  log(`the stack ${stack} is gone. Swarm mode stays on: \`docker swarm leave --force\` turns it off`);
}

type Options = ReturnType<typeof readOptions>;

function readOptions(args: string[]) {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, tokens: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, tokens } = parsed;
  const other = command === "up" ? "down" : "up";
  const misplaced = tokens.find((token) => token.kind === "option" && ONLY_FOR[other].includes(token.name));
  if (misplaced?.kind === "option")
    throw new UsageError(`${misplaced.rawName} is an option of swarm:${other}`);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: "port" | "timeout", max: number) => {
    const parsed = decimal({ min: 1, max, integer: true }).safeParse(values[name]);
    if (!parsed.success)
      throw new UsageError(`--${name}: ${parsed.error.issues[0]?.message} (got ${values[name]})`);
    return parsed.data;
  };
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(values.stack)) {
    throw new UsageError(`--stack: lower-case letters, digits and - (got ${values.stack})`);
  }
  if (!/^\w[\w.-]{0,127}$/.test(values.tag))
    throw new UsageError(`--tag: not an image tag (got ${values.tag})`);
  return {
    stack: values.stack,
    tag: values.tag,
    port: number("port", 65_535),
    timeout: number("timeout", 3600),
    passwordFile: values["password-file"],
    build: !values["no-build"],
    volumes: values.volumes,
  };
}

/** Swarm mode on, and this machine one of its managers (only managers deploy). */
async function requireSwarmManager(): Promise<void> {
  const format = "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}";
  const info = await output("docker", "info", "--format", format).catch((error: Error) => {
    throw new Failure(`cannot reach Docker (${error.message}): is it running?`);
  });
  const [state, manager] = info.trim().split(" ");
  if (state !== "active") {
    throw new Failure(
      "this Docker engine is not in swarm mode. Turn it on with:\n\n    docker swarm init\n\n" +
        "(and off again, once done, with `docker swarm leave --force`)",
    );
  }
  if (manager !== "true") throw new Failure("this machine is a worker of its swarm: run this on a manager");
}

async function readPasswordFile(file: string): Promise<string> {
  const password = (
    await readFile(file, "utf8").catch((error: Error) => {
      throw new Failure(`cannot read --password-file: ${error.message}`);
    })
  ).replace(/\r?\n$/, "");
  // It goes into redis.conf as one word: letters, digits and a few signs keep it one.
  if (!/^[\w.~+/=-]{16,}$/.test(password)) {
    throw new Failure(`${file}: a password of at least 16 letters, digits or . ~ + / = - _, on one line`);
  }
  return password;
}

/** Each service of the stack, by its name in the stack file, with its tasks running and wanted. */
async function replicas(stack: string) {
  const rows = await lines("docker", "stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}");
  return rows.map((row) => {
    const [, name = row, running = 0, desired = 0] = /^\S+?_(\S+) (\d+)\/(\d+)/.exec(row) ?? [];
    return { name, running: Number(running), desired: Number(desired) };
  });
}

/** Why tasks of the stack failed, one line per service and reason. */
async function taskErrors(stack: string): Promise<string[]> {
  const format = "{{.Name}}: {{.Error}}";
  const rows = await lines("docker", "stack", "ps", stack, "--no-trunc", "--format", format).catch(() => []);
  return rows.filter((row) => !row.endsWith(": ")).map((row) => row.replace(/^\S+?_(\S+?)\.\S*:/, "$1:"));
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.ok,
    () => false,
  );
}

/**
 * Runs a command that changes something, printed first as it could be typed. `settings` are
 * environment variables for it, printed in front; `input` goes to its stdin.
 */
async function run(
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

/** A command's stdout; it fails with the first line of its stderr. */
async function output(file: string, ...args: string[]): Promise<string> {
  try {
    return (await execFileAsync(file, args, { cwd: ROOT })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split("\n")[0];
    throw new Error(stderr || (error instanceof Error ? error.message : String(error)));
  }
}

async function lines(file: string, ...args: string[]): Promise<string[]> {
  return (await output(file, ...args)).split("\n").filter((line) => line !== "");
}

async function succeeds(file: string, ...args: string[]): Promise<boolean> {
  return output(file, ...args).then(
    () => true,
    () => false,
  );
}
