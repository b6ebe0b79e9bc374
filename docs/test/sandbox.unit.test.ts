import { describe, expect, it } from "vitest";
import { composeProject } from "./support/sandbox.ts";

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
