import { randomUUID } from "node:crypto";
import { HttpProblem } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { ErrorReply } from "redis";
import type { RedisKeys } from "../redis-keys.ts";
import { type Computations, parseStored, unavailable } from "./avg-speed.ts";
import { StoredTask, type TaskStatus } from "./schemas.ts";

export interface TasksOptions {
  redis: RedisClient;
  keys: RedisKeys;
  /** The tasks in progress in this process, and how many may run at once. */
  running: Computations;
  /** The mean speed over the next `seconds`. */
  compute: (seconds: number, signal: AbortSignal) => Promise<number>;
  /** Aborted when the API shuts down: the running tasks then end FAILED "interrupted". */
  shutdown: AbortSignal;
  taskTtlSeconds: number;
  taskGraceSeconds: number;
  log: (line: string) => void;
}

/**
 * Background computations. Each task is a JSON string in Redis, `task:<id>`, rewritten at each
 * change with a TTL, so that any API process can answer for it and finished ones clean themselves
 * up. A task goes REQUESTED, RUNNING, then DONE with its result or FAILED with why.
 */
export function backgroundTasks(options: TasksOptions) {
  const { redis, keys, running, shutdown, log } = options;
  const save = async (task: StoredTask) => {
    const json = JSON.stringify(task);
    await redis.set(keys.task(task.task_id), json, { EX: options.taskTtlSeconds }).catch(unavailable);
  };

  async function run(task: StoredTask): Promise<void> {
    try {
      await save({ ...task, status: "RUNNING" });
      const result = await options.compute(task.time_window_seconds, shutdown);
      await save({ ...task, status: "DONE", result, finished_at: new Date().toISOString() });
    } catch (error) {
      // The expected failures say why; anything else is a bug: logged, and the client told no more.
      const known = error instanceof HttpProblem || error instanceof ErrorReply;
      if (!known) log(`api: task ${task.task_id} failed: ${error instanceof Error ? error.stack : error}`);
      const why = shutdown.aborted ? "interrupted" : known ? error.message : "internal error";
      // With Redis gone, the task stays RUNNING there, and reads FAILED once well past its deadline.
      await save({ ...task, status: "FAILED", error: why, finished_at: new Date().toISOString() }).catch(
        (saveError: unknown) => log(`api: task ${task.task_id} failed (${why}), not marked so: ${saveError}`),
      );
    }
  }

  return {
    /** Records a new task and starts it; resolves once it is in Redis, REQUESTED. */
    async start(seconds: number): Promise<StoredTask> {
      running.ensureRoom();
      const now = Date.now();
      const task: StoredTask = {
        task_id: randomUUID(),
        status: "REQUESTED",
        time_window_seconds: seconds,
        requested_at: new Date(now).toISOString(),
        deadline_at: new Date(now + seconds * 1000).toISOString(),
      };
      const requested = save(task);
      // Counted before any await, so that requests arriving together cannot overshoot the limit.
      running.track(
        seconds,
        requested.then(() => run(task)),
      );
      await requested;
      return task;
    },

    /**
     * The task, or undefined if there is none (or it expired). A killed process cannot mark its
     * tasks FAILED: a task still unfinished well past its deadline reads FAILED "interrupted".
     */
    async read(id: string): Promise<TaskStatus | undefined> {
      const raw = await redis.get(keys.task(id)).catch(unavailable);
      if (raw === null) return undefined;
      const { deadline_at, ...task } = parseStored(StoredTask, raw, `task ${id}`);
      const dead = Date.now() > Date.parse(deadline_at) + options.taskGraceSeconds * 1000;
      const unfinished = task.status === "REQUESTED" || task.status === "RUNNING";
      return unfinished && dead ? { ...task, status: "FAILED", error: "interrupted" } : task;
    },
  };
}
