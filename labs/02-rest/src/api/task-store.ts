import type { RedisKeys } from "../redis-keys.ts";
import { InvalidStoredRecordError } from "./errors.ts";
import { type RedisClient, unavailable } from "./redis-client.ts";
import { type StoredTask, StoredTaskSchema, type TaskStatus } from "./schemas.ts";

export interface TaskStoreOptions {
  redis: RedisClient;
  keys: RedisKeys;
  /** Each write keeps the task for this long: a finished task's result stays readable that long. */
  ttlSeconds: number;
  /** How long past its deadline an unfinished task is taken for dead. */
  graceMs: number;
}

/**
 * The background tasks' records in Redis: one JSON string per task, `task:<id>`, with a TTL,
 * so that any API process can answer for any task, and finished tasks clean themselves up.
 */
export class TaskStore {
  readonly #options: TaskStoreOptions;

  constructor(options: TaskStoreOptions) {
    this.#options = options;
  }

  async save(task: StoredTask): Promise<void> {
    const { redis, keys, ttlSeconds } = this.#options;
    await redis.set(keys.task(task.task_id), JSON.stringify(task), { EX: ttlSeconds }).catch(unavailable);
  }

  /**
   * The task's status, or undefined when there is no such task (or it expired).
   *
   * A process that is killed (SIGKILL, out of memory, power cut) cannot mark its tasks FAILED,
   * and they would read RUNNING until they expire. So a task still unfinished well past its
   * deadline reads as what it is: FAILED, "interrupted".
   */
  async read(id: string): Promise<TaskStatus | undefined> {
    const { redis, keys, graceMs } = this.#options;
    const raw = await redis.get(keys.task(id)).catch(unavailable);
    if (raw === null) return undefined;
    const { deadline_at, ...task } = parseStoredTask(raw, id);
    const dead = Date.now() > Date.parse(deadline_at) + graceMs;
    if ((task.status === "REQUESTED" || task.status === "RUNNING") && dead) {
      return { ...task, status: "FAILED", error: "interrupted" };
    }
    return task;
  }
}

function parseStoredTask(raw: string, id: string): StoredTask {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InvalidStoredRecordError(`task ${id} in Redis is not JSON`);
  }
  const result = StoredTaskSchema.safeParse(json);
  if (!result.success) throw new InvalidStoredRecordError(`task ${id} in Redis is not a valid task record`);
  return result.data;
}
