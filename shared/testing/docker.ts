import { randomUUID } from "node:crypto";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { text } from "node:stream/consumers";
import {
  DockerComposeEnvironment,
  GenericContainer,
  getContainerRuntimeClient,
  type StartedDockerComposeEnvironment,
  type StartedTestContainer,
  type WaitStrategy,
} from "testcontainers";
import { dockerBuild, reachDocker } from "./environment.ts";

/** The repository root: the build context of every Dockerfile and compose file. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface BuildImageOptions {
  /** Path of the Dockerfile, relative to the repository root. */
  dockerfile: string;
  /** Tag for the image, e.g. "workshop/lab-01:test". */
  tag: string;
  /** Multi-stage target, when the Dockerfile has several. */
  target?: string;
}

/**
 * Builds an image from the repository (context = the root) as `docker build` does, ready for
 * `new GenericContainer(tag)`; an EnvironmentError when Docker is not running or the build fails.
 */
export async function buildImage({ dockerfile, tag, target }: BuildImageOptions): Promise<GenericContainer> {
  await reachDocker();
  // The docker CLI, not Testcontainers' build: that one reports no build output, and when the tag
  // already exists, a failed build goes unnoticed and the old image runs. The image is kept after
  // the run: the layer cache makes the next build take seconds.
  const targetArgs = target ? ["--target", target] : [];
  await dockerBuild(["build", "--file", dockerfile, "--tag", tag, ...targetArgs, "."], {
    cwd: REPO_ROOT,
    what: `image ${tag}`,
  });
  return new GenericContainer(tag);
}

export interface ComposeUpOptions {
  /** Compose files, relative to the repository root, e.g. ["docker-compose-rest.yml"]. */
  files: string[];
  profiles?: string[];
  env?: Record<string, string>;
  /** Wait strategies by container name, e.g. { "api-1": Wait.forHealthCheck() }. */
  waitFor?: Record<string, WaitStrategy>;
  /** Services to start; all by default. */
  services?: string[];
}

/**
 * Builds and starts a compose stack under a unique project name; call `down()` on the result. When
 * Docker is not running or an image of the stack fails to build, an EnvironmentError; a stack that
 * builds but does not start (a service exits, a healthcheck fails) is the code's failure.
 */
export async function composeUp(options: ComposeUpOptions): Promise<StartedDockerComposeEnvironment> {
  await reachDocker();
  const projectName = `gps-workshop-test-${randomUUID().slice(0, 8)}`;
  const profiles = options.profiles ?? [];
  // Every image of the stack, before `up`: a dependency's stale image would otherwise run.
  const selection = [
    ...options.files.flatMap((file) => ["--file", file]),
    ...profiles.flatMap((profile) => ["--profile", profile]),
  ];
  await dockerBuild(["compose", "--project-name", projectName, ...selection, "build"], {
    cwd: REPO_ROOT,
    what: `compose stack ${options.files.join(" + ")}`,
    env: options.env,
  });
  const environment = new DockerComposeEnvironment(REPO_ROOT, options.files)
    .withProjectName(projectName)
    .withProfiles(...profiles)
    .withEnvironment(options.env ?? {})
    .withStartupTimeout(180_000);
  for (const [container, strategy] of Object.entries(options.waitFor ?? {})) {
    environment.withWaitStrategy(container, strategy);
  }
  return environment.up(options.services);
}

/** Everything a container has written to stdout and stderr so far (a snapshot, not a follow). */
export async function containerLogs(container: StartedTestContainer): Promise<string> {
  // Testcontainers' own container.logs() follows, so it never ends while the container runs:
  // ask Docker for what is there now, through the Dockerode client Testcontainers holds.
  const { container: containers } = await getContainerRuntimeClient();
  const raw = await containers.getById(container.getId()).logs({ follow: false, stdout: true, stderr: true });
  // Docker frames each chunk with a header saying stdout or stderr; Dockerode's modem removes them.
  const source = Readable.from([raw]);
  const output = new PassThrough();
  containers.dockerode.modem.demuxStream(source, output, output);
  source.once("end", () => output.end());
  return text(output);
}
