// Hidden checks of the exercise lab02.task-status: in the instructor's copy only.
import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { startApi } from "../support/api-server.ts";
import { storeTask, taskStatus } from "../support/api-tasks.ts";

describe("GET /get_avg_speed_task_status", () => {
  test("answers a FAILED task with its error, and a task within its grace period as it is stored", async ({
    redis,
  }) => {
    const api = await startApi(redis, { taskGraceSeconds: 30 });
    const failed = await storeTask(api, {
      status: "FAILED",
      error: "no GPS state",
      deadlineInSeconds: -3600,
    });
    // Past its deadline, but not by more than the grace: its API may still be finishing it.
    const late = await storeTask(api, { status: "RUNNING", deadlineInSeconds: -10 });

    expect(await taskStatus(api, failed.id)).toEqual(failed.status);
    expect(await taskStatus(api, late.id)).toEqual(late.status);
  });
});
