import { type Clock, systemClock } from "@gps-workshop/shared";
import express, { type Express } from "express";
import { redisKeys } from "../redis-keys.ts";
import { averageSpeedOverNext } from "./avg-speed.ts";
import { Computations } from "./computations.ts";
import { currentStateReader } from "./current-state.ts";
import { docsRoutes } from "./docs.ts";
import { InterruptedError } from "./errors.ts";
import { openApiDocument } from "./openapi.ts";
import { problemHandler, unknownRoute } from "./problem.ts";
import type { RedisClient } from "./redis-client.ts";
import { avgSpeedRoutes } from "./routes/avg-speed.ts";
import { gpsStateRoutes } from "./routes/gps-state.ts";
import { healthRoutes } from "./routes/health.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { windowQuerySchema } from "./schemas.ts";
import { TaskRunner } from "./task-runner.ts";
import { TaskStore } from "./task-store.ts";

/** The defaults of the options below; config.ts uses them as the defaults of the environment variables. */
export const API_DEFAULTS = {
  maxWindowSeconds: 300,
  maxConcurrentTasks: 16,
  maxBlockingRequests: 100,
  taskTtlSeconds: 3600,
  taskGraceSeconds: 10,
};

export interface ApiOptions {
  /** The process's one Redis client (see redis-client.ts); the API never closes it. */
  redis: RedisClient;
  /** Put before every Redis key, so several copies can share one Redis. Default "". */
  keyPrefix?: string;
  /** Times the windows; tests can pass one they control. Default: the system's monotonic clock. */
  clock?: Clock;
  /** Longest time_window_seconds accepted. */
  maxWindowSeconds?: number;
  /** Background tasks that may run at once; beyond, POST gets 429. */
  maxConcurrentTasks?: number;
  /** Blocking /compute_avg_speed requests that may wait at once; beyond, 429. */
  maxBlockingRequests?: number;
  /** How long a task's record stays in Redis after its last change. */
  taskTtlSeconds?: number;
  /** How long past its deadline an unfinished task is taken for dead (its process was killed). */
  taskGraceSeconds?: number;
  /** Where the API writes its log lines. Default: stderr. */
  log?: (line: string) => void;
}

export interface Api {
  /** The request handler, to pass to `http.createServer` or call `listen` on. */
  app: Express;
  /**
   * Interrupts the work in progress: the blocking requests get a 503, the running tasks are
   * marked FAILED "interrupted". Resolves when that is done; call it before closing Redis.
   */
  close(): Promise<void>;
}

/** Builds the API. It does not listen and does not connect: main.ts (or a test) does. */
export function createApp(options: ApiOptions): Api {
  const {
    redis,
    keyPrefix = "",
    clock = systemClock,
    maxWindowSeconds = API_DEFAULTS.maxWindowSeconds,
    maxConcurrentTasks = API_DEFAULTS.maxConcurrentTasks,
    maxBlockingRequests = API_DEFAULTS.maxBlockingRequests,
    taskTtlSeconds = API_DEFAULTS.taskTtlSeconds,
    taskGraceSeconds = API_DEFAULTS.taskGraceSeconds,
    log = (line) => console.error(line),
  } = options;
  const keys = redisKeys(keyPrefix);
  const shutdown = new AbortController();
  const compute = (seconds: number, signal: AbortSignal) =>
    averageSpeedOverNext({ redis, keys, seconds, clock, signal });
  const windowQuery = windowQuerySchema(maxWindowSeconds);
  const requests = new Computations(maxBlockingRequests, clock);
  const tasks = new Computations(maxConcurrentTasks, clock);
  const store = new TaskStore({ redis, keys, ttlSeconds: taskTtlSeconds, graceMs: taskGraceSeconds * 1000 });
  const runner = new TaskRunner({ store, tasks, compute, clock, shutdown: shutdown.signal, log });
  const openApi = openApiDocument(windowQuery);

  const app = express();
  app.disable("x-powered-by");
  // ETags would cost a hash of every body, for responses that must not be cached anyway.
  app.set("etag", false);
  app.use(gpsStateRoutes(currentStateReader(redis, keys.state)));
  app.use(avgSpeedRoutes({ windowQuery, compute, requests, clock, shutdown: shutdown.signal }));
  app.use(taskRoutes({ windowQuery, runner, store }));
  app.use(healthRoutes(redis));
  app.get("/openapi.json", (_req, res) => {
    res.json(openApi);
  });
  app.use(docsRoutes());
  app.use(unknownRoute);
  app.use(problemHandler(log));

  return {
    app,
    async close() {
      shutdown.abort(new InterruptedError());
      await Promise.all([requests.settled(), tasks.settled()]);
    },
  };
}
