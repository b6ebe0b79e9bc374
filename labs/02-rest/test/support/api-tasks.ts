import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { StoredTask } from "../../src/api/schemas.ts";
import { why } from "./api-answer.ts";
import type { RunningApi } from "./api-server.ts";

export interface TaskToStore {
  status: StoredTask["status"];
  result?: number;
  error?: string;
  /** When its window ends (or ended, if negative), in seconds from now; 30 by default. */
  deadlineInSeconds?: number;
}

/**
 * Writes a task to Redis as an API process does (any process of the API answers for any task),
 * with a window of 10 s. Resolves to its id, and to the status that GET /get_avg_speed_task_status
 * answers for it as it is stored: the same without its deadline.
 */
export async function storeTask(
  api: RunningApi,
  { deadlineInSeconds = 30, ...task }: TaskToStore,
): Promise<{ id: string; status: Omit<StoredTask, "deadline_at"> }> {
  const deadline = Date.now() + deadlineInSeconds * 1000;
  const finished = task.status === "DONE" || task.status === "FAILED";
  const status = {
    task_id: randomUUID(),
    time_window_seconds: 10,
    requested_at: new Date(deadline - 10_000).toISOString(),
    ...task,
    ...(finished ? { finished_at: new Date(deadline).toISOString() } : {}),
  };
  const stored: StoredTask = { ...status, deadline_at: new Date(deadline).toISOString() };
  await api.writer.set(api.keys.task(status.task_id), JSON.stringify(stored), { EX: 3600 });
  return { id: status.task_id, status };
}

/** GET /get_avg_speed_task_status for this id: its 200 answer's body. */
export async function taskStatus(api: RunningApi, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${api.url}/get_avg_speed_task_status?task_id=${id}`);
  expect(response.status, await why(response, api)).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}
