import { composeUp, containerLogs, freePort } from "@gps-workshop/shared/testing";
import { getContainerRuntimeClient, type StartedDockerComposeEnvironment, Wait } from "testcontainers";
import { afterAll } from "vitest";

/** How long a check waits for what a working stack does within seconds. */
export const UNTIL = { timeout: 30_000, interval: 250 };

export interface RestStack {
  compose: StartedDockerComposeEnvironment;
  /** e.g. http://localhost:34567 */
  api: string;
  web: string;
  /** What a service's container has logged so far. */
  logs(service: "api" | "replayer" | "web"): Promise<string>;
  /** What `node -e "<script>"` prints inside a service's container. */
  run(service: "api" | "replayer" | "web", script: string): Promise<string>;
  /** The names of the networks a service's container is on. */
  networks(service: "api" | "redis" | "replayer" | "web"): Promise<string[]>;
}

/**
 * docker-compose-rest.yml, built and started on the first call (every check of the file calls it:
 * the first one waits for the build), and taken down after the file's last check. The API is not
 * waited for: a stack whose API cannot reach Redis comes up too, and the checks say so.
 */
export function restStack(): () => Promise<RestStack> {
  let started: Promise<RestStack> | undefined;
  afterAll(async () => {
    const stack = await started?.catch(() => undefined);
    await stack?.compose.down();
  });
  return () => {
    started ??= start();
    return started;
  };
}

async function start(): Promise<RestStack> {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const compose = await composeUp({
    files: ["docker-compose-rest.yml", "labs/02-rest/test/support/web-starts-anyway.compose.yml"],
    env: { LAB02_API_PORT: String(apiPort), LAB02_WEB_PORT: String(webPort) },
    waitFor: { "api-1": Wait.forListeningPorts(), "web-1": Wait.forHealthCheck() },
  });
  const container = (service: string) => compose.getContainer(`${service}-1`);
  const client = await getContainerRuntimeClient();
  return {
    compose,
    api: `http://localhost:${apiPort}`,
    web: `http://localhost:${webPort}`,
    logs: (service) => containerLogs(container(service)),
    run: async (service, script) => (await container(service).exec(["node", "-e", script])).output.trim(),
    networks: async (service) => {
      const inspected = await client.container.inspect(client.container.getById(container(service).getId()));
      return Object.keys(inspected.NetworkSettings.Networks ?? {});
    },
  };
}
