import { Router } from "express";
import { notFound, onlyMethods } from "../problem.ts";
import { parseQuery } from "../query.ts";
import { TaskQuerySchema, type WindowQuerySchema } from "../schemas.ts";
import type { TaskRunner } from "../task-runner.ts";
import type { TaskStore } from "../task-store.ts";

export interface TaskRoutesOptions {
  windowQuery: WindowQuerySchema;
  runner: TaskRunner;
  store: TaskStore;
}

/**
 * The non-blocking version of /compute_avg_speed: POST starts a background task and answers at
 * once (202 Accepted) with where to ask for its result; GET tells how the task is doing.
 */
export function taskRoutes({ windowQuery, runner, store }: TaskRoutesOptions): Router {
  const router = Router();
  router
    .route("/request_to_compute_avg_speed")
    .post(async (req, res) => {
      const { time_window_seconds: seconds } = parseQuery(windowQuery, req.query);
      const { task_id, status } = await runner.start(seconds);
      res
        .status(202)
        .location(`/get_avg_speed_task_status?task_id=${task_id}`)
        .set("Cache-Control", "no-store")
        .json({ task_id, status });
    })
    .all(onlyMethods("POST"));
  router
    .route("/get_avg_speed_task_status")
    .get(async (req, res) => {
      const { task_id } = parseQuery(TaskQuerySchema, req.query);
      // Task ids are made lowercase; a UUID means the same in either case.
      const task = await store.read(task_id.toLowerCase());
      if (!task) throw notFound(`there is no task ${task_id}: no such task was requested, or it has expired`);
      res.set("Cache-Control", "no-store").json(task);
    })
    .all(onlyMethods("GET"));
  return router;
}
