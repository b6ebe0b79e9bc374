import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildImage, composeUp, containerLogs } from "@gps-workshop/shared/testing";
import { Wait } from "testcontainers";
import { afterAll, describe, expect, it } from "vitest";
import { gradeSchema } from "../grade-file.ts";
import { makeFixtureRepo, REPO } from "./support/fixture-repo.ts";
import { exec, type ToolRun } from "./support/tools.ts";

const SOCKET = "/var/run/docker.sock";
const TSX = import.meta.resolve("tsx");
const scratch = mkdtempSync(path.join(tmpdir(), "exercises-environment-"));
const fixture = makeFixtureRepo();
afterAll(() => {
  fixture.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * Whether Docker can be hidden from a command: Linux, and root (or sudo without a password) to
 * unshare a mount namespace. Testcontainers falls back to the socket when DOCKER_HOST is bogus,
 * so the socket itself must go: an empty file is bound over it, for that command alone.
 */
function canHideDocker(): boolean {
  if (process.platform !== "linux" || !existsSync(SOCKET)) return false;
  try {
    execFileSync(...privileged(["unshare", "--mount", "true"]), { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function privileged(command: string[]): [string, string[]] {
  const [file = "", ...args] =
    process.getuid?.() === 0 ? command : ["sudo", "--non-interactive", "--preserve-env", ...command];
  return [file, args];
}

/**
 * Runs `node <args>` in `cwd` where Docker cannot be reached. Through sudo, the command itself runs
 * as this user again (setpriv), so that what it writes stays this user's to remove.
 */
function withoutDocker(cwd: string, args: string[]): Promise<ToolRun> {
  const empty = path.join(scratch, "no-docker.sock");
  writeFileSync(empty, "");
  const uid = process.getuid?.() ?? 0;
  const asMe =
    uid === 0 ? [] : ["setpriv", `--reuid=${uid}`, `--regid=${process.getgid?.()}`, "--clear-groups"];
  const hide = [
    "unshare",
    "--mount",
    "sh",
    "-c",
    'mount --bind "$1" "$2" && shift 2 && exec "$@"',
    "sh",
    empty,
    SOCKET,
  ];
  const node = [process.execPath, "--import", TSX, "--conditions=development", ...args];
  // No DOCKER_HOST: Testcontainers then tries the socket, and finds the empty file.
  return exec(cwd, ...privileged([...hide, ...asMe, ...node]), { DOCKER_HOST: "" });
}

const grade = (args: string[]) => withoutDocker(fixture.root, ["exercises/grade.ts", ...args]);
const gradeFile = () =>
  gradeSchema.parse(JSON.parse(readFileSync(path.join(fixture.root, "grade.json"), "utf8")));

describe.runIf(canHideDocker())("with Docker unreachable (its socket hidden)", () => {
  it("grades a Redis-backed exercise as an environment error, with no points, and exits 3", async () => {
    const run = await grade(["--only", "lab02.fixture-counter"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      "environment error: Docker is not running, or cannot be reached: start Docker, then run again\n  (no grade for lab02.fixture-counter: fix this and grade again)",
    );
    expect(gradeFile().exercises).toEqual([
      {
        id: "lab02.fixture-counter",
        points: 0,
        max: 4,
        failed: ["counts from 1, one at a time"],
        error: "Docker is not running, or cannot be reached: start Docker, then run again",
      },
    ]);
  });

  it("still grades the exercises that need no Docker, and exits 3 for the one that does", async () => {
    const run = await grade([]);
    expect(run.code).toBe(3);
    expect(gradeFile().exercises.map(({ id, points, error }) => ({ id, points, error }))).toEqual([
      { id: "lab01.fixture-sum", points: 5, error: undefined },
      { id: "lab01.fixture-volume", points: 3, error: undefined },
      { id: "lab02.fixture-counter", points: 0, error: expect.stringContaining("Docker is not running") },
    ]);
  });

  it("makes every harness entry that needs Docker throw an EnvironmentError", async () => {
    const script = path.join(scratch, "harness.mts");
    writeFileSync(
      script,
      [
        // The harness's modules one by one: its index also holds vitest fixtures, which load in tests only.
        ...["redis", "docker", "lab-image"].map(
          (module) => `export * from ${JSON.stringify(path.join(REPO, `shared/testing/${module}.ts`))};`,
        ),
        'import * as testing from "./harness.mts";',
        "const calls = {",
        "  acquireTestRedis: () => testing.acquireTestRedis(),",
        "  startRedisServer: () => testing.startRedisServer(),",
        '  buildImage: () => testing.buildImage({ dockerfile: "labs/01-simplest/Dockerfile", tag: "unused:test" }),',
        '  composeUp: () => testing.composeUp({ files: ["docker-compose-simplest.yml"] }),',
        '  startLabImage: () => testing.startLabImage({ dockerfile: "labs/02-rest/Dockerfile", tag: "unused:test" }),',
        "};",
        "for (const [name, call] of Object.entries(calls)) {",
        "  const error = await call().then(() => undefined, (failure: Error) => failure);",
        '  console.log(JSON.stringify({ name, error: error && error.name + ": " + error.message }));',
        "}",
      ].join("\n"),
    );
    const run = await withoutDocker(REPO, [script]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const expected =
      "EnvironmentError: Docker is not running, or cannot be reached: start Docker, then run again";
    expect(lines).toEqual(
      ["acquireTestRedis", "startRedisServer", "buildImage", "composeUp", "startLabImage"].map((name) => ({
        name,
        error: expected,
      })),
    );
  });
});

describe("an image or a stack that does not build", () => {
  const tag = "gps-workshop/exercises-broken:test";
  const dockerfile = path.join(scratch, "Dockerfile");
  afterAll(() => execFileSync("docker", ["image", "rm", "--force", tag], { stdio: "ignore" }));

  it("is an EnvironmentError naming the image, with the build's last lines, even when the tag already exists", async () => {
    writeFileSync(dockerfile, "FROM node:24-bookworm-slim\nRUN echo built\n");
    await buildImage({ dockerfile, tag });
    writeFileSync(dockerfile, "FROM node:24-bookworm-slim\nRUN echo the build breaks here && exit 3\n");
    const failure = await buildImage({ dockerfile, tag }).catch((error: Error) => error);
    expect(failure).toMatchObject({
      name: "EnvironmentError",
      message: expect.stringContaining(`image ${tag} could not be built:\n`),
    });
    expect((failure as Error).message).toContain("the build breaks here");
  });

  it("is an EnvironmentError naming the compose stack when one of its images does not build", async () => {
    writeFileSync(dockerfile, "FROM node:24-bookworm-slim\nRUN echo the stack breaks here && exit 3\n");
    const compose = path.join(scratch, "compose.yml");
    writeFileSync(
      compose,
      `services:\n  broken:\n    image: ${tag}\n    build:\n      context: .\n      dockerfile: Dockerfile\n`,
    );
    const failure = await composeUp({ files: [compose] }).catch((error: Error) => error);
    expect(failure).toMatchObject({
      name: "EnvironmentError",
      message: expect.stringContaining(`compose stack ${compose} could not be built:\n`),
    });
    expect((failure as Error).message).toContain("the stack breaks here");
  });

  it("is no error when it builds: the stack starts, and comes down", async () => {
    writeFileSync(
      dockerfile,
      'FROM node:24-bookworm-slim\nCMD ["node", "-e", "console.log(\'ready\'); setInterval(() => {}, 1000)"]\n',
    );
    const compose = path.join(scratch, "compose.yml");
    writeFileSync(
      compose,
      `services:\n  fixture:\n    image: ${tag}\n    init: true\n    build:\n      context: .\n      dockerfile: Dockerfile\n`,
    );
    const stack = await composeUp({
      files: [compose],
      waitFor: { "fixture-1": Wait.forLogMessage("ready") },
    });
    expect(await containerLogs(stack.getContainer("fixture-1"))).toBe("ready\n");
    await stack.down();
  });
});
