import { randomUUID } from "node:crypto";
import { HttpProblem } from "@gps-workshop/service/http";
import type { DEFAULTS } from "./app.ts";
import type { RedisContext } from "./avg-speed.ts";
import { averageSpeedOverNext, computations, parseStored, redisFailed } from "./avg-speed.ts";
import { StoredTask, type TaskStatus } from "./schemas.ts";

export type TasksContext = RedisContext &
  typeof DEFAULTS & {
    shutdown: AbortSignal; // aborted when the API shuts down: running tasks end FAILED "interrupted"
    log: (line: string) => void;
  };

/**
 * Average speeds computed in the background. Each task is a JSON string in Redis, rewritten at
 * each change with a TTL, so that any API process can answer for it and it cleans itself up.
 * A task goes REQUESTED, RUNNING, then DONE with its result or FAILED with why.
 */
export function backgroundTasks(context: TasksContext) {
  const { redis, keys, shutdown, log } = context;
  const running = computations(context.maxConcurrentTasks, "tasks", context.clock);
  const ttl = { EX: context.taskTtlSeconds };
  const save = (task: StoredTask) =>
    redis.set(keys.task(task.task_id), JSON.stringify(task), ttl).catch(redisFailed);

  async function run(task: StoredTask): Promise<void> {
    try {
      await save({ ...task, status: "RUNNING" });
      const result = await averageSpeedOverNext(context, task.time_window_seconds, shutdown);
      await save({ ...task, status: "DONE", result, finished_at: new Date().toISOString() });
    } catch (error) {
      // The expected failures say why; anything else is a bug: logged, and the client told no more.
      const known = error instanceof HttpProblem;
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
     * The task, or a 404. A killed process cannot mark its tasks FAILED: a task still unfinished
     * well past its deadline reads FAILED "interrupted". A UUID means the same in either case.
     */
    async read(id: string): Promise<TaskStatus> {
      const raw = await redis.get(keys.task(id.toLowerCase())).catch(redisFailed);
      const stored = raw === null ? null : parseStored(StoredTask, raw, `task ${id}`);
      // #region solution lab02.task-status
      if (stored === null)
        throw new HttpProblem(404, `there is no task ${id}: it was never requested, or it expired`);
      const { deadline_at, ...task } = stored;
      const dead = Date.now() > Date.parse(deadline_at) + context.taskGraceSeconds * 1000;
      const unfinished = task.status === "REQUESTED" || task.status === "RUNNING";
      return unfinished && dead ? { ...task, status: "FAILED", error: "interrupted" } : task;
      // #endregion
    },

    settled: () => running.settled(),
  };
}
