import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { swarmScript } from "./support/swarm.ts";

// npm run swarm:up / swarm:down before they reach a swarm: their command line, and what they say
// when Docker is not there or not in swarm mode. No Docker engine needed.

/**
 * A `docker` command first on the PATH that answers `docker info` as an engine that is not in
 * swarm mode does, fails everything else, and writes down each command it was given.
 */
async function engineNotInSwarmMode(): Promise<{
  env: Record<string, string>;
  calls: () => Promise<string>;
}> {
  const bin = await mkdtemp(path.join(tmpdir(), "lab04-docker-"));
  const log = path.join(bin, "calls");
  await writeFile(log, "");
  await writeFile(
    path.join(bin, "docker"),
    `#!/bin/sh\necho "$*" >> '${log}'\n[ "$1" = info ] && echo "inactive false" && exit 0\nexit 1\n`,
  );
  await chmod(path.join(bin, "docker"), 0o755);
  return { env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` }, calls: () => readFile(log, "utf8") };
}

describe("npm run swarm:up", () => {
  it("on an engine not in swarm mode, prints the command that turns it on, runs nothing else, and exits 1", async () => {
    const docker = await engineNotInSwarmMode();
    const run = await swarmScript(["up"], docker.env);
    expect(run.code).toBe(1);
    expect(run.output).toContain("swarm:up: this Docker engine is not in swarm mode. Turn it on with:");
    expect(run.output).toContain("    docker swarm init\n");
    expect((await docker.calls()).trim().split("\n")).toEqual([
      "info --format {{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}",
    ]);
  });

  it("says so in one line and exits 1 when Docker cannot be reached", async () => {
    const run = await swarmScript(["up"], {
      DOCKER_HOST: `unix://${path.join(tmpdir(), "no-docker-here.sock")}`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^swarm:up: cannot reach Docker \(.+\): is it running\?\n$/);
  });

  it.each([
    [["--port", "0"], "swarm:up: --port: expected a whole number >= 1 (got 0)"],
    [
      ["--port", "8504x"],
      "swarm:up: --port: expected a whole number from 1 to 65535, written with digits only",
    ],
    [["--stack", "My Stack"], "swarm:up: --stack: lower-case letters, digits and - (got My Stack)"],
    [["--tag", "a:b"], "swarm:up: --tag: not an image tag (got a:b)"],
    [["--volumes"], "swarm:up: --volumes is an option of swarm:down"],
    [["--colour"], "swarm:up: Unknown option '--colour'"],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const run = await swarmScript(["up", ...args]);
    expect(run.code).toBe(2);
    expect(run.output).toContain(message);
    expect(run.output.trim().split("\n")).toHaveLength(1);
  });

  it("lists its options with --help", async () => {
    const run = await swarmScript(["up", "--help"]);
    expect(run.code).toBe(0);
    expect(run.output).toContain("--password-file FILE");
  });
});

describe("npm run swarm:down", () => {
  it("rejects an option of swarm:up with exit code 2", async () => {
    const run = await swarmScript(["down", "--tag", "v2"]);
    expect(run.code).toBe(2);
    expect(run.output).toContain("swarm:down: --tag is an option of swarm:up");
  });
});
