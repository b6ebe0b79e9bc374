// Checks of the exercise lab02.task-status (npm run exercises -- hint lab02.task-status).
import { randomUUID } from "node:crypto";
import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { why } from "../support/api-answer.ts";
import { expectProblem } from "../support/api-problem.ts";
import { startApi } from "../support/api-server.ts";
import { storeTask, taskStatus } from "../support/api-tasks.ts";

describe("GET /get_avg_speed_task_status", () => {
  test("answers a task as it is stored, without its deadline: REQUESTED, RUNNING, or DONE with its result", async ({
    redis,
  }) => {
    const api = await startApi(redis);
    const requested = await storeTask(api, { status: "REQUESTED" });
    const running = await storeTask(api, { status: "RUNNING" });
    // Finished long ago: a finished task stays as it is, whatever its deadline.
    const done = await storeTask(api, { status: "DONE", result: 5.6, deadlineInSeconds: -3600 });

    for (const { id, status } of [requested, running, done])
      expect(await taskStatus(api, id)).toEqual(status);
  });

  test("answers 404 problem JSON for a task that was never requested, or has expired", async ({ redis }) => {
    const api = await startApi(redis);
    const expired = await storeTask(api, { status: "DONE", result: 1 });
    await api.writer.del(api.keys.task(expired.id));

    for (const id of [randomUUID(), expired.id]) {
      const response = await fetch(`${api.url}/get_avg_speed_task_status?task_id=${id}`);

      expect(response.status, await why(response, api)).toBe(404);
      await expectProblem(response, 404);
    }
  });

  test('answers FAILED "interrupted" for a task left unfinished well past its deadline', async ({
    redis,
  }) => {
    const api = await startApi(redis);
    // What an API killed in the middle of a task leaves in Redis, found a minute after its deadline.
    const requested = await storeTask(api, { status: "REQUESTED", deadlineInSeconds: -60 });
    const running = await storeTask(api, { status: "RUNNING", deadlineInSeconds: -60 });

    for (const { id, status } of [requested, running]) {
      expect(await taskStatus(api, id)).toEqual({ ...status, status: "FAILED", error: "interrupted" });
    }
  });
});
