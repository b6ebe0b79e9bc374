import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { freePort } from "@gps-workshop/shared/testing";
import { afterAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { npmStart, type Run } from "./support/npm-start.ts";

/** The ids a docker listing (`ps -a`, the containers running or not; `volume ls`) gives for a compose project. */
function ofProject(project: string, list = ["ps", "-a"]): string[] {
  return execFileSync("docker", [...list, "-q", "--filter", `label=com.docker.compose.project=${project}`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
}

// These need a running Docker: npm start checks for it before it checks the ports.
describe("npm start, with Docker running", () => {
  let run: Run | undefined;

  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill("SIGINT");
      await run.exited;
    }
  });

  it("names a port that is taken and how to pick another, and exits 1", async () => {
    const port = await freePort();
    const squatter: Server = createServer().listen(port, "0.0.0.0");
    await new Promise((resolve) => squatter.once("listening", resolve));
    try {
      const refused = npmStart({ LAB02_WEB_PORT: String(port) });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`npm start: port ${port} (lab 02 web) is already in use`);
      expect(refused.output()).toContain(`LAB02_WEB_PORT=${port + 1000} npm start`);
    } finally {
      squatter.close();
    }
  });

  it("brings both stacks up healthy, prints their URLs, and stops everything on Ctrl-C", async () => {
    const ports = { api: await freePort(), rest: await freePort(), pubsub: await freePort() };
    // Its own project names: a student's running labs stay untouched.
    const prefix = `start-test-${process.pid}-`;
    const projects = [`${prefix}lab02-rest`, `${prefix}lab03-pubsub`];
    // npm start keeps Redis's volumes for the next time, as the README says: these are the test's.
    onTestFinished(() => {
      const volumes = projects.flatMap((project) => ofProject(project, ["volume", "ls"]));
      if (volumes.length > 0) execFileSync("docker", ["volume", "rm", ...volumes]);
    });
    run = npmStart({
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
    for (const project of projects) expect(ofProject(project).length, project).toBeGreaterThan(0);

    current.child.kill("SIGINT");
    expect(await current.exited).toBe(0);
    expect(current.output()).toContain("Stopped.");
    for (const project of projects) {
      expect(ofProject(project), project).toEqual([]);
      expect(ofProject(project, ["volume", "ls"]), project).toHaveLength(1);
    }
  });
});
