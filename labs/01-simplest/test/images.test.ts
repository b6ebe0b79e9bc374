import { buildImage, containerLogs, dockerStop } from "@gps-workshop/shared/testing";
import {
  GenericContainer,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const NODE_IMAGE = "gps-workshop/lab01-node:test";
const SOCAT_LISTENER = "gps-workshop/lab01-socat-listener:test";
const SOCAT_PUBLISHER = "gps-workshop/lab01-socat-publisher:test";
type Flavour = "node" | "socat";

let network: StartedNetwork;
const started: StartedTestContainer[] = [];

beforeAll(async () => {
  // One after the other: the socat images share their apt layer, built once.
  await buildImage({ dockerfile: "labs/01-simplest/Dockerfile", tag: NODE_IMAGE });
  await buildImage({ dockerfile: "labs/01-simplest/socat/Dockerfile.listener", tag: SOCAT_LISTENER });
  await buildImage({ dockerfile: "labs/01-simplest/socat/Dockerfile.publisher", tag: SOCAT_PUBLISHER });
});

// A new user-defined network per test, as `docker network create` would make.
beforeEach(async () => {
  network = await new Network().start();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((container) => container.stop()));
  await network.stop();
});

async function start(container: GenericContainer): Promise<StartedTestContainer> {
  const running = await container.withNetwork(network).start();
  started.push(running);
  return running;
}

/** The listener, reachable as "listener" on the network, once it accepts connections. */
function startListener(flavour: Flavour): Promise<StartedTestContainer> {
  const container =
    flavour === "node"
      ? new GenericContainer(NODE_IMAGE).withWaitStrategy(Wait.forLogMessage("listening on port 12345"))
      : new GenericContainer(SOCAT_LISTENER).withWaitStrategy(
          Wait.forSuccessfulCommand("socat -u /dev/null TCP:127.0.0.1:12345"),
        );
  return start(container.withNetworkAliases("listener"));
}

function startPublisher(flavour: Flavour, name: string): Promise<StartedTestContainer> {
  const container =
    flavour === "node"
      ? new GenericContainer(NODE_IMAGE).withCommand(["node", "dist/publisher.js"])
      : new GenericContainer(SOCAT_PUBLISHER);
  return start(container.withEnvironment({ PUB_NAME: name }));
}

/** Waits until the listener's logs hold at least one line from each named publisher. */
async function expectLinesFrom(listener: StartedTestContainer, names: string[]): Promise<void> {
  await vi.waitFor(
    async () => {
      const logs = await containerLogs(listener);
      for (const name of names) expect(logs).toContain(`Hello from ${name}! `);
    },
    { timeout: 15_000, interval: 250 },
  );
}

describe("the lab 01 images on a user-defined network", () => {
  it.each(["node", "socat"] as const)("a %s listener prints the lines of two publishers", async (flavour) => {
    const listener = await startListener(flavour);
    await startPublisher(flavour, "publisher1");
    await startPublisher(flavour, "publisher2");
    await expectLinesFrom(listener, ["publisher1", "publisher2"]);
  });

  it("the Node publisher talks to the socat listener", async () => {
    const listener = await startListener("socat");
    await startPublisher("node", "node-publisher");
    await expectLinesFrom(listener, ["node-publisher"]);
  });

  it("the socat publisher talks to the Node listener", async () => {
    const listener = await startListener("node");
    await startPublisher("socat", "socat-publisher");
    await expectLinesFrom(listener, ["socat-publisher"]);
  });

  it("the Node publisher names itself after its container's hostname by default", async () => {
    const listener = await startListener("node");
    const publisher = await start(
      new GenericContainer(NODE_IMAGE).withCommand(["node", "dist/publisher.js"]),
    );
    await expectLinesFrom(listener, [publisher.getHostname()]);
  });

  it("the Node listener, running as PID 1 without an init, exits 0 on docker stop", async () => {
    const listener = await startListener("node");

    // Had it ignored SIGTERM, Docker would have killed it after 10 s: exit code 137.
    expect((await dockerStop(listener)).exitCode).toBe(0);
    expect(await containerLogs(listener)).toContain("listener: SIGTERM received, shutting down");
  });
});
