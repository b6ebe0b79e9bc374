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

/** Builds an image from the repository (context = the root), ready for `new GenericContainer(tag)`. */
export async function buildImage({ dockerfile, tag, target }: BuildImageOptions): Promise<GenericContainer> {
  const builder = GenericContainer.fromDockerfile(REPO_ROOT, dockerfile).withCache(true);
  if (target) builder.withTarget(target);
  // Keep the image after the run: the layer cache makes the next build take seconds.
  return builder.build(tag, { deleteOnExit: false });
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

/** Builds and starts a compose stack under a unique project name; call `down()` on the result. */
export async function composeUp(options: ComposeUpOptions): Promise<StartedDockerComposeEnvironment> {
  const environment = new DockerComposeEnvironment(REPO_ROOT, options.files)
    .withBuild()
    .withProfiles(...(options.profiles ?? []))
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
