import { freePort } from "@gps-workshop/shared/testing/free-port";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openEventStream } from "./support/clients.ts";
import {
  docker,
  ensureSwarmMode,
  healthyContainers,
  historyIds,
  leftovers,
  type ScriptRun,
  swarmScript,
  TEST_STACK_PREFIX,
  TEST_TAG,
  webRedisPassword,
} from "./support/swarm.ts";

// The lab as a student runs it: `npm run swarm:up` builds the images and deploys
// docker-compose-swarm.yml, the page answers on the published port, Swarm replaces a task that
// dies, and `npm run swarm:down` leaves nothing behind. One stack for the file, in that order.

const STACK = `${TEST_STACK_PREFIX}up`;
const WEB = `${STACK}_web`;
const UNTIL = { timeout: 60_000, interval: 250 };
let port: number;
let url: string;
let up: ScriptRun;

beforeAll(async () => {
  await ensureSwarmMode();
  port = await freePort();
  url = `http://localhost:${port}`;
  // Ten records a second, so that a few seconds hold enough of them.
  up = await swarmScript(["up", "--stack", STACK, "--port", String(port), "--tag", TEST_TAG], {
    REPLAY_SPEED: "10",
  });
});

afterAll(async () => {
  // When a test before the last one failed, the stack is still there: the last test removes it.
  if ((await leftovers(STACK)).length > 0) await swarmScript(["down", "--stack", STACK, "--volumes"]);
});

describe("npm run swarm:up", () => {
  it("builds the images, deploys the stack and waits until every service runs, printing its progress", () => {
    expect(up.code, up.output).toBe(0);
    expect(up.output).toContain(`$ docker build -t gps-workshop/lab03-pubsub:${TEST_TAG}`);
    expect(up.output).toContain(
      `docker stack deploy --resolve-image never -c docker-compose-swarm.yml ${STACK}`,
    );
    // A line each time a count changes, the last one with every service running.
    expect(up.output).toMatch(/web [0-2]\/3/);
    expect(up.output).toMatch(/proxy 1\/1, redis 1\/1, replayer 1\/1, web 3\/3\n/);
    expect(up.output).toContain(`open http://localhost:${port}`);
  });

  it("creates the secret with a random password that it prints nowhere", async () => {
    const password = await webRedisPassword(STACK);
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(up.output).not.toContain(password);
    expect(up.output).toContain(`created the secret ${STACK}_redis_password: a random password`);
  });

  it("serves the event stream through the published port, from each of the three web tasks", async () => {
    const tasks = await healthyContainers(WEB);
    expect(tasks).toHaveLength(3);
    // Each new connection goes to one of the tasks, as the proxy picks: open streams until each has answered.
    const streams = [];
    try {
      while (new Set(streams.flatMap((stream) => stream.servedBy)).size < 3 && streams.length < 60) {
        const stream = openEventStream(`${url}/events`);
        streams.push(stream);
        await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(0), UNTIL);
      }
      expect(new Set(streams.flatMap((stream) => stream.servedBy))).toEqual(new Set(tasks));
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("run again, keeps the secret and the running tasks", async () => {
    const tasks = await healthyContainers(WEB);
    const again = await swarmScript(
      ["up", "--stack", STACK, "--port", String(port), "--tag", TEST_TAG, "--no-build"],
      {
        REPLAY_SPEED: "10",
      },
    );
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain(`the secret ${STACK}_redis_password exists: kept`);
    expect((await healthyContainers(WEB)).sort()).toEqual(tasks.sort());
  });

  it("says which image is missing, and deploys nothing", async () => {
    const stack = `${TEST_STACK_PREFIX}missing`;
    const run = await swarmScript(["up", "--stack", stack, "--tag", "lab04-test-missing", "--no-build"]);
    expect(run.code).toBe(1);
    expect(run.output).toContain("the image gps-workshop/lab03-pubsub:lab04-test-missing is missing");
    expect(await leftovers(stack)).toEqual([]);
  });
});

describe("self-healing", () => {
  it("replaces a killed web task, and a stream that was on it resumes with Last-Event-ID and misses no record", async () => {
    const stream = openEventStream(`${url}/events`);
    try {
      // The 300 newest records first, then a few live ones.
      await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(310), UNTIL);
      const [victim = ""] = stream.servedBy;
      expect(await healthyContainers(WEB)).toContain(victim);

      await docker(["kill", victim]);

      // Swarm starts a new task: three healthy again, none of them the killed one.
      await vi.waitFor(async () => {
        const tasks = await healthyContainers(WEB);
        expect(tasks).toHaveLength(3);
        expect(tasks).not.toContain(victim);
      }, UNTIL);
      // The stream reconnected to another task, and records come again.
      await vi.waitFor(() => expect(stream.servedBy.length).toBeGreaterThan(1), UNTIL);
      expect(stream.servedBy[1]).not.toBe(victim);
      const received = stream.ids.length;
      await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(received + 20), UNTIL);
    } finally {
      stream.close();
    }
    // Every record of the history from the first received to the last, in order, once.
    const ids = [...stream.ids];
    expect(await historyIds(STACK, ids[0] ?? "-", ids.at(-1) ?? "+")).toEqual(ids);
  });
});

describe("npm run swarm:down", () => {
  it("removes the stack, its networks, secret and volume, waits until they are gone, and leaves swarm mode on", async () => {
    const down = await swarmScript(["down", "--stack", STACK, "--volumes"]);
    expect(down.code, down.output).toBe(0);
    expect(down.output).toContain(`$ docker stack rm ${STACK}`);
    expect(await leftovers(STACK)).toEqual([]);
    expect((await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim()).toBe("active");
  });
});
