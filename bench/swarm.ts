/**
 * Lab 04 on one node: how long Swarm takes to bring the stack up and to replace a task that dies,
 * and what a rolling update and a killed task cost the users.
 *
 *   npm run bench:swarm (about 4 minutes; needs Docker; turns swarm mode on for the run if it
 *   is off, and off again at the end)
 *
 * 1. `npm run swarm:up` with the images built: seconds from `docker stack deploy` until every
 *    service runs its tasks, healthy, and the page answers. Goal: under 60 s.
 * 2. Three times, the web task that serves an open /events stream is killed (`docker kill`):
 *    seconds until the web has three healthy tasks again, the killed one replaced (goal: under
 *    15 s), and records the stream missed once it has resumed elsewhere with Last-Event-ID (goal: 0).
 * 3. A rolling update of the web to a new tag (`docker service update --image`) under 20 requests
 *    a second: failed requests (goal: 0), and records an open stream missed (goal: 0).
 * The stack replays ten records a second, so that a second without records shows. Run it on an
 * otherwise idle machine: the figures are the whole machine's.
 */
import { freePort } from "@gps-workshop/shared/testing/free-port";
import { loadLoop, openEventStream } from "../labs/04-orchestration/test/support/clients.ts";
import {
  buildImages,
  docker,
  healthyContainers,
  historyIds,
  settledUpdate,
  swarmModeForTheRun,
  swarmScript,
  TEST_STACK_PREFIX,
  TEST_TAG,
  updateStatus,
} from "../labs/04-orchestration/test/support/swarm.ts";

const STACK = `${TEST_STACK_PREFIX}bench`;
const WEB = `${STACK}_web`;
const KILLS = 3;
const LOAD_PER_SECOND = 20;

/** Resolves once `condition` holds, checked every 100 ms; rejects after `timeoutMs`. */
async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 120_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Records of the history between the first and the last the stream received that it did not receive. */
async function missed(ids: string[]): Promise<number> {
  const history = await historyIds(STACK, ids[0] ?? "-", ids.at(-1) ?? "+");
  const received = new Set(ids);
  return history.filter((id) => !received.has(id)).length + (ids.length - received.size);
}

const restore = await swarmModeForTheRun((line) => console.log(`bench: ${line}`));
try {
  console.log(`bench: building lab 03's images (${TEST_TAG})`);
  await buildImages();
  const port = await freePort();
  const url = `http://localhost:${port}`;

  // 1. From the deploy to every service running.
  const args = ["up", "--stack", STACK, "--port", String(port), "--tag", TEST_TAG, "--no-build"];
  const up = await swarmScript(args, { REPLAY_SPEED: "10" });
  if (up.code !== 0) throw new Error(`swarm:up failed:\n${up.output}`);
  const converged = /every service runs \(([\d.]+) s after the deploy\)/.exec(up.output)?.[1];
  console.log(`swarm:up: every service running ${converged} s after docker stack deploy (goal: < 60 s)`);

  // 2. Kill the task under an open stream, three times.
  const stream = openEventStream(`${url}/events`);
  const replaced: number[] = [];
  const gaps: number[] = [];
  await until(() => stream.ids.length > 300, "the first records");
  for (let kill = 0; kill < KILLS; kill++) {
    const victim = stream.servedBy.at(-1) ?? "";
    const connections = stream.servedBy.length;
    const killedAt = performance.now();
    await docker(["kill", victim]);
    const receivedAt = stream.ids.length;
    await until(
      () => stream.servedBy.length > connections && stream.ids.length > receivedAt,
      "the stream to resume",
    );
    gaps.push((performance.now() - killedAt) / 1000);
    await until(async () => {
      const healthy = await healthyContainers(WEB);
      return healthy.length === 3 && !healthy.includes(victim);
    }, "a replacement task");
    replaced.push((performance.now() - killedAt) / 1000);
  }
  const killedIds = [...stream.ids];
  stream.close();
  const format = (values: number[]) => values.map((value) => value.toFixed(1)).join(", ");
  console.log(`task killed → 3 healthy web tasks again: ${format(replaced)} s (goal: < 15 s)`);
  console.log(`task killed → the stream's next record, from another task: ${format(gaps)} s`);
  console.log(
    `records missed by the stream across ${KILLS} kills: ${await missed(killedIds)} of ${killedIds.length} (goal: 0)`,
  );

  // 3. A rolling update under load, with a stream open.
  const { image } = await updateStatus(WEB);
  const next = `gps-workshop/lab03-pubsub:${TEST_TAG}-bench`;
  await docker(["tag", image, next]);
  const updating = openEventStream(`${url}/events`);
  await until(() => updating.ids.length > 0, "the first records");
  const load = loadLoop(`${url}/healthz`, LOAD_PER_SECOND);
  const since = Date.now();
  await docker(["service", "update", "--detach", "--no-resolve-image", "--image", next, WEB]);
  const update = await settledUpdate(WEB, since);
  const seconds = ((Date.now() - since) / 1000).toFixed(1);
  const afterUpdate = updating.ids.length;
  await until(() => updating.ids.length > afterUpdate + 10, "records after the update");
  const { ok, failed } = await load.stop();
  updating.close();
  console.log(`rolling update of 3 web tasks: ${update.state} in ${seconds} s`);
  console.log(
    `rolling update: ${failed.length} failed requests of ${ok + failed.length} at ${LOAD_PER_SECOND}/s (goal: 0)${failed.length > 0 ? `: ${failed.slice(0, 3).join("; ")}` : ""}`,
  );
  console.log(
    `records missed by a stream across the update: ${await missed(updating.ids)} of ${updating.ids.length} (goal: 0)`,
  );
} finally {
  await restore();
}
