import { randomUUID } from "node:crypto";
import type { Clock } from "@gps-workshop/shared";
import { ErrorReply } from "redis";
import type { Computations } from "./computations.ts";
import {
  InterruptedError,
  InvalidStoredRecordError,
  NoGpsStateError,
  RedisUnavailableError,
} from "./errors.ts";
import { tooManyRequests } from "./problem.ts";
import type { StoredTask } from "./schemas.ts";
import type { TaskStore } from "./task-store.ts";

export interface TaskRunnerOptions {
  store: TaskStore;
  /** The background tasks in progress, and how many may run at once. */
  tasks: Computations;
  /** The computation itself: the mean speed over the next `seconds`. */
  compute: (seconds: number, signal: AbortSignal) => Promise<number>;
  clock: Clock;
  /** Aborted with an InterruptedError when the API shuts down. */
  shutdown: AbortSignal;
  log: (line: string) => void;
}

/**
 * Runs avg-speed computations in the background of the API process, recording each one's
 * progress in the task store: REQUESTED, RUNNING, then DONE with the result or FAILED with why.
 */
export class TaskRunner {
  readonly #options: TaskRunnerOptions;

  constructor(options: TaskRunnerOptions) {
    this.#options = options;
  }

  /**
   * Records a new task and starts it. Resolves once the task is in Redis (REQUESTED), while
   * the computation goes on. Throws a 429 problem when `tasks` is full.
   */
  async start(seconds: number): Promise<StoredTask> {
    const { store, tasks, clock } = this.#options;
    if (tasks.full) {
      const retryAfter = tasks.retryAfterSeconds();
      throw tooManyRequests(`too many tasks in progress: try again in ${retryAfter} s`, retryAfter);
    }
    const task: StoredTask = {
      task_id: randomUUID(),
      status: "REQUESTED",
      time_window_seconds: seconds,
      requested_at: new Date().toISOString(),
      deadline_at: new Date(Date.now() + seconds * 1000).toISOString(),
    };
    // Counted from now, before any await, so that concurrent requests cannot overshoot the limit.
    const requested = store.save(task);
    tasks.track(
      requested.then(() => this.#run(task)),
      clock.now() + seconds * 1000,
    );
    await requested;
    return task;
  }

  async #run(task: StoredTask): Promise<void> {
    const { store, compute, shutdown, log } = this.#options;
    try {
      await store.save({ ...task, status: "RUNNING" });
      const result = await compute(task.time_window_seconds, shutdown);
      await store.save({ ...task, status: "DONE", result, finished_at: new Date().toISOString() });
    } catch (error) {
      const why = failureReason(error);
      if (why === undefined) {
        log(`api: task ${task.task_id} failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
      const finished_at = new Date().toISOString();
      const failed: StoredTask = { ...task, status: "FAILED", error: why ?? "internal error", finished_at };
      // If Redis is gone, the task stays RUNNING there until its deadline has long passed, and then reads FAILED.
      await store.save(failed).catch((saveError: unknown) => {
        log(
          `api: task ${task.task_id} failed (${failed.error}) and could not be marked FAILED: ${String(saveError)}`,
        );
      });
    }
  }
}

/** What a FAILED task tells its client, for the failures that are expected; undefined for a bug. */
function failureReason(error: unknown): string | undefined {
  const known =
    error instanceof InterruptedError ||
    error instanceof NoGpsStateError ||
    error instanceof InvalidStoredRecordError ||
    error instanceof RedisUnavailableError ||
    error instanceof ErrorReply;
  return known ? error.message : undefined;
}
