import { describe, expect, it } from "vitest";
import { namesUsedBy } from "./support/docker-names.ts";
import { composeProject, isRunsOwn, type Listed, swarmModeTaken } from "./support/sandbox.ts";
import { ROOT } from "./support/workspace.ts";

const plain = namesUsedBy(["docker run --rm --name listener -t gps-workshop/lab01-node"], ROOT);
const swarm = namesUsedBy(["docker swarm init", "npm run swarm:up"], ROOT);
const owner = (names: typeof plain) => ({ runId: "docs-run-1", names, projectPrefix: "docs-run-1-" });
const thing = (fields: Partial<Listed>): Listed => ({
  kind: "container",
  id: "c0ffee123",
  name: "other",
  run: "",
  project: "",
  stack: "",
  ...fields,
});

describe("what a README run owns", () => {
  it("owns what carries its label, its compose projects and the names its commands use", () => {
    expect(isRunsOwn(thing({ run: "docs-run-1" }), owner(plain))).toBe(true);
    expect(isRunsOwn(thing({ project: "docs-run-1-lab03-pubsub" }), owner(plain))).toBe(true);
    expect(isRunsOwn(thing({ name: "listener" }), owner(plain))).toBe(true);
    expect(isRunsOwn(thing({ run: "docs-run-2", project: "lab03-pubsub" }), owner(plain))).toBe(false);
  });

  it("owns the stacks' things and the new docker_gwbridge only when its commands turn swarm mode on", () => {
    const volume = thing({ kind: "volume", name: "gps_redis-data", stack: "gps" });
    const bridge = thing({ kind: "network", name: "docker_gwbridge" });
    expect([isRunsOwn(volume, owner(swarm)), isRunsOwn(bridge, owner(swarm))]).toEqual([true, true]);
    expect([isRunsOwn(volume, owner(plain)), isRunsOwn(bridge, owner(plain))]).toEqual([false, false]);
  });
});

describe("swarm mode before a README that runs docker swarm init", () => {
  it("lets it begin when swarm mode is off", () => {
    expect(swarmModeTaken("labs/04-orchestration/README.md", "inactive")).toBeUndefined();
  });

  it("stops it when swarm mode is on, saying the swarm is not the run's to end", () => {
    expect(swarmModeTaken("labs/04-orchestration/README.md", "active")).toBe(
      "labs/04-orchestration/README.md runs docker swarm init, and turns swarm mode off at its end, " +
        "but this Docker's swarm mode is active: that swarm is not the run's to end. Run it once swarm mode is off.",
    );
  });
});

describe("the compose project of what a README run finds on Docker", () => {
  it("is the project label of a container that Compose made", () => {
    expect(composeProject("container", "lab03-pubsub", "False")).toBe("lab03-pubsub");
    expect(composeProject("container", "lab03-pubsub", "True")).toBe("lab03-pubsub");
  });

  it("is none for a container whose project label comes from its image, such as a swarm task", () => {
    expect(composeProject("container", "lab03-pubsub", "")).toBe("");
  });

  it("is the project label of a network or a volume, which no image labels", () => {
    expect(composeProject("network", "lab03-pubsub", "")).toBe("lab03-pubsub");
    expect(composeProject("volume", "lab03-pubsub", "")).toBe("lab03-pubsub");
  });
});
