import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { npmStart } from "./support/npm-start.ts";

/**
 * A folder with a `docker` command that answers `docker info` as a running engine would, and
 * `docker compose version --short` with `composeVersion`: a machine with that Compose installed.
 */
async function dockerWithCompose(composeVersion: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "fake-docker-"));
  const docker = path.join(folder, "docker");
  await writeFile(
    docker,
    `#!/bin/sh\nif [ "$1" = info ]; then echo 27.5.1; else echo "${composeVersion}"; fi\n`,
  );
  await chmod(docker, 0o755);
  return folder;
}

describe("npm start, before it touches Docker", () => {
  it("says in one line that Docker is not installed, and exits 1", async () => {
    // A PATH with Node's folder only: no docker command to find.
    const run = npmStart({ PATH: path.dirname(process.execPath) });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "npm start: Docker is not installed: install Docker Desktop, or Docker Engine with Compose 2.24 or later (Docker Desktop ships 5.x) (https://docs.docker.com/get-docker/)",
    );
  });

  it("says in one line that Docker is not running, and exits 1", async () => {
    const run = npmStart({ DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "npm start: Docker is installed but not running: start Docker Desktop (or the Docker service) and try again",
    );
  });

  it("names the Compose it found and the one it needs when Compose is older than 2.24, and exits 1", async () => {
    const folder = await dockerWithCompose("2.23.3");
    const run = npmStart({ PATH: `${folder}${path.delimiter}${path.dirname(process.execPath)}` });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "npm start: Docker Compose 2.23.3 is too old: Compose 2.24 or later (Docker Desktop ships 5.x) is needed (https://docs.docker.com/compose/install/)",
    );
  });

  it("rejects a port setting that is not a port", async () => {
    const run = npmStart({ LAB03_WEB_PORT: "eighty" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      'npm start: LAB03_WEB_PORT must be a port number (1-65535), got "eighty"',
    );
  });
});
