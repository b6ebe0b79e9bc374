/**
 * Lab 04's stack on Docker Swarm, from the root of the repository:
 *
 *   npm run swarm:up     builds lab 03's images, creates the secret holding Redis's password,
 *                        deploys docker-compose-swarm.yml as the stack "gps", waits until every
 *                        service runs, and prints the page's address
 *   npm run swarm:down   removes the stack, its networks and its secrets, and waits until they are gone
 *
 * Each docker command that changes something is printed before it runs: the same can be typed
 * by hand. It never turns swarm mode on or off: `docker swarm init` is yours to run.
 * Exit codes: 0 done, 1 failed (the line before says why), 2 bad command line.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { UsageError } from "@gps-workshop/service/config";
import {
  Failure,
  lines,
  replicas,
  requireSwarmManager,
  run,
  stackLeftovers,
  succeeds,
  taskErrors,
} from "./docker.ts";
import { type Options, readOptions, readPassword } from "./options.ts";

const STACK_FILE = "docker-compose-swarm.yml";
/** The images the stack file runs; lab 03's two are built from its Dockerfiles. */
const images = (tag: string) => [
  { image: `gps-workshop/lab03-pubsub:${tag}`, dockerfile: "labs/03-pubsub/Dockerfile" },
  { image: `gps-workshop/lab03-proxy:${tag}`, dockerfile: "labs/03-pubsub/proxy/Dockerfile" },
  { image: "redis:7-bookworm" },
];
const CONVERGE_TIMEOUT_S = 180;

const command = process.argv[2] === "down" ? "down" : "up";
const log = (line: string) => console.log(`swarm:${command}: ${line}`);
try {
  const options = readOptions(command, process.argv.slice(3));
  await requireSwarmManager();
  await (command === "up" ? up(options) : down(options));
} catch (error) {
  if (!(error instanceof UsageError || error instanceof Failure)) throw error;
  const help = error instanceof UsageError ? ` (npm run swarm:${command} -- --help)` : "";
  console.error(`swarm:${command}: ${error.message}${help}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}

async function up({ stack, port, tag, passwordFile, build }: Options): Promise<void> {
  for (const { image, dockerfile } of images(tag)) {
    if (dockerfile && build) await run(["docker", "build", "-t", image, "-f", dockerfile, "."]);
    else if (await succeeds("image", "inspect", image)) continue;
    else if (!dockerfile) await run(["docker", "pull", image]);
    else
      throw new Failure(`the image ${image} is missing: build it (without --no-build) or pick another --tag`);
  }

  // A secret cannot change once created: an existing one is kept (the README says how to rotate it).
  const secret = `${stack}_redis_password`;
  if (await succeeds("secret", "inspect", secret)) log(`the secret ${secret} exists: kept`);
  else {
    const password = passwordFile ? await readPassword(passwordFile) : randomBytes(32).toString("hex");
    // On stdin (`-`): the password is on no command line, and printed nowhere.
    await run(["docker", "secret", "create", secret, "-"], { input: password });
    log(
      `created the secret ${secret}: ${passwordFile ? `the password in ${passwordFile}` : "a random password"}`,
    );
  }

  const errorsBefore = await taskErrors(stack);
  const deployedAt = performance.now();
  // The stack file's variables; --resolve-image never: the images are this machine's, not a registry's.
  const settings = { LAB04_TAG: tag, LAB04_PORT: String(port), REDIS_PASSWORD_SECRET: secret };
  await run(["docker", "stack", "deploy", "--resolve-image", "never", "-c", STACK_FILE, stack], { settings });

  // Converged: every service runs the tasks it asks for (a task counts once healthy), and the
  // page answers through the published port. A line each time a count changes, and each new error.
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
    if (services.every(({ running, desired }) => running === desired) && (await answers(port))) break;
    if (performance.now() - deployedAt > CONVERGE_TIMEOUT_S * 1000) {
      throw new Failure(
        `not every service runs after ${CONVERGE_TIMEOUT_S} s: \`docker stack ps ${stack}\` says why`,
      );
    }
    await sleep(1000);
  }
  const seconds = ((performance.now() - deployedAt) / 1000).toFixed(1);
  log(`every service runs (${seconds} s after the deploy): open http://localhost:${port}`);
  log(
    `look around: docker stack services ${stack}; docker service ps ${stack}_web; docker service logs ${stack}_web`,
  );
}

async function down({ stack, volumes }: Options): Promise<void> {
  if ((await lines("stack", "ls", "--format", "{{.Name}}")).includes(stack)) {
    await run(["docker", "stack", "rm", stack]);
  } else log(`there is no stack named ${stack}`);
  // `stack rm` returns at once: the containers stop within their grace period, and then the
  // networks can go.
  for (let second = 0; (await stackLeftovers(stack)).length > 0; second++) {
    if (second % 5 === 0) log("waiting for its containers and networks to go");
    await sleep(1000);
  }
  for (const secret of await lines("secret", "ls", "--format", "{{.Name}}")) {
    if (secret.startsWith(`${stack}_`)) await run(["docker", "secret", "rm", secret]);
  }
  const kept = await lines("volume", "ls", "-q", "--filter", `label=com.docker.stack.namespace=${stack}`);
  if (volumes) for (const volume of kept) await run(["docker", "volume", "rm", volume]);
  else if (kept.length > 0) log(`kept the volume ${kept.join(", ")} (Redis's data): --volumes removes it`);
  log(`the stack ${stack} is gone. Swarm mode stays on: \`docker swarm leave --force\` turns it off`);
}

async function answers(port: number): Promise<boolean> {
  return fetch(`http://localhost:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.ok,
    () => false,
  );
}
