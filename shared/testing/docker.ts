import path from "node:path";
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
  const client = await getContainerRuntimeClient();
  const raw = await client.container
    .getById(container.getId())
    .logs({ follow: false, stdout: true, stderr: true });
  return demultiplex(raw);
}

/**
 * Docker frames the logs of a container without a TTY: an 8-byte header (stream id, 3 zero
 * bytes, big-endian payload length) before each payload. Strip the headers.
 */
function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && raw[offset + 1] === 0 && raw[offset + 2] === 0) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return offset === 0 ? raw.toString("utf8") : Buffer.concat(parts).toString("utf8");
}
