import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { freePort } from "@gps-workshop/shared/testing";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const script = path.join(root, "scripts/start.ts");
// As `npm start` runs it: tsx, which needs no type stripping from Node.
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `npm start`'s script with extra environment; output is stdout and stderr together. */
function start(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [tsx, script], { cwd: root, env: { ...process.env, ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}

/** The containers a compose project has, running or not. */
function projectContainers(project: string): string[] {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
}

describe("npm start", () => {
  it("says in one line that Docker is not installed, and exits 1", async () => {
    // A PATH with Node's folder only: no docker command to find.
    const run = start({ PATH: path.dirname(process.execPath) });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "npm start: Docker is not installed: install Docker Desktop or Docker Engine with Compose v2 (https://docs.docker.com/get-docker/)",
    );
  });

  it("says in one line that Docker is not running, and exits 1", async () => {
    const run = start({ DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "npm start: Docker is installed but not running: start Docker Desktop (or the Docker service) and try again",
    );
  });

  it("names a port that is taken and how to pick another, and exits 1", async () => {
    const port = await freePort();
    const squatter: Server = createServer().listen(port, "0.0.0.0");
    await new Promise((resolve) => squatter.once("listening", resolve));
    try {
      const run = start({ LAB02_WEB_PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`npm start: port ${port} (lab 02 web) is already in use`);
      expect(run.output()).toContain(`LAB02_WEB_PORT=${port + 1000} npm start`);
    } finally {
      squatter.close();
    }
  });

  it("rejects a port setting that is not a port", async () => {
    const run = start({ LAB03_WEB_PORT: "eighty" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      'npm start: LAB03_WEB_PORT must be a port number (1-65535), got "eighty"',
    );
  });

  describe("with Docker", () => {
    let run: Run | undefined;

    afterAll(async () => {
      if (run && run.child.exitCode === null) {
        run.child.kill("SIGINT");
        await run.exited;
      }
    });

    it("brings both stacks up healthy, prints their URLs, and stops everything on Ctrl-C", async () => {
      const ports = { api: await freePort(), rest: await freePort(), pubsub: await freePort() };
      // Its own project names: a student's running labs stay untouched.
      const prefix = `start-test-${process.pid}-`;
      run = start({
        START_PROJECT_PREFIX: prefix,
        LAB02_API_PORT: String(ports.api),
        LAB02_WEB_PORT: String(ports.rest),
        LAB03_WEB_PORT: String(ports.pubsub),
      });
      const current = run;
      await vi.waitFor(() => expect(current.output()).toContain("Press Ctrl-C to stop everything."), {
        timeout: 540_000,
        interval: 500,
      });
      expect(current.output()).toContain(`web UI    http://localhost:${ports.rest}`);
      expect(current.output()).toContain(`API docs  http://localhost:${ports.api}/docs`);
      expect(current.output()).toContain(`web UI    http://localhost:${ports.pubsub}`);

      // Healthy means they answer: the two pages and the API docs.
      for (const url of [
        `http://localhost:${ports.rest}/`,
        `http://localhost:${ports.api}/docs`,
        `http://localhost:${ports.pubsub}/`,
      ]) {
        const response = await fetch(url);
        expect(response.status, url).toBe(200);
      }
      expect(projectContainers(`${prefix}lab02-rest`).length).toBeGreaterThan(0);
      expect(projectContainers(`${prefix}lab03-pubsub`).length).toBeGreaterThan(0);

      current.child.kill("SIGINT");
      expect(await current.exited).toBe(0);
      expect(current.output()).toContain("Stopped.");
      expect(projectContainers(`${prefix}lab02-rest`)).toEqual([]);
      expect(projectContainers(`${prefix}lab03-pubsub`)).toEqual([]);
    });
  });
});
