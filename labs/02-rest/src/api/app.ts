import { once } from "node:events";
import {
  HttpProblem,
  healthRoutes,
  notFound,
  onlyMethods,
  parseQuery,
  problemHandler,
} from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { type Clock, systemClock } from "@gps-workshop/shared";
import express from "express";
import helmet from "helmet";
import { redisKeys } from "../redis-keys.ts";
import {
  averageSpeedOverNext,
  computations,
  redisError,
  shuttingDown,
  stateReader,
  unavailable,
} from "./avg-speed.ts";
import { DOCS_CSP, DOCS_PAGE, DOCS_START, openApiDocument, SWAGGER_UI_FILES } from "./openapi.ts";
import { TaskQuery, windowQuery } from "./schemas.ts";
import { backgroundTasks } from "./tasks.ts";

/** The defaults of the options below, and of main.ts's environment variables. */
export const DEFAULTS = {
  maxWindowSeconds: 300,
  maxBlockingRequests: 100,
  maxConcurrentTasks: 16,
  taskTtlSeconds: 3600,
  taskGraceSeconds: 10,
};

export interface ApiOptions extends Partial<typeof DEFAULTS> {
  /** The process's one Redis client; the API never closes it. */
  redis: RedisClient;
  /** Put before every Redis key, so that several copies can share one Redis. */
  keyPrefix?: string;
  /** Times the windows; tests pass one they move by hand. */
  clock?: Clock;
  log?: (line: string) => void;
}

/**
 * Builds the API; main.ts (or a test) connects Redis and listens. Beyond `maxBlockingRequests`
 * waiting at once, or `maxConcurrentTasks` running, a request gets a 429. A task stays in Redis
 * `taskTtlSeconds` after its last change, and reads FAILED once `taskGraceSeconds` past its end.
 */
export function createApp({
  redis,
  keyPrefix = "",
  clock = systemClock,
  log = console.error,
  ...options
}: ApiOptions) {
  const settings = { ...DEFAULTS, ...options };
  const keys = redisKeys(keyPrefix);
  const shutdown = new AbortController();
  const compute = (seconds: number, signal: AbortSignal) =>
    averageSpeedOverNext({ redis, keys, clock }, seconds, signal);
  const readState = stateReader(redis, keys.state);
  const blocking = computations(settings.maxBlockingRequests, "computations", clock);
  const running = computations(settings.maxConcurrentTasks, "tasks", clock);
  const tasks = backgroundTasks({
    ...settings,
    redis,
    keys,
    running,
    compute,
    shutdown: shutdown.signal,
    log,
  });
  const WindowQuery = windowQuery(settings.maxWindowSeconds);
  const openApi = openApiDocument(WindowQuery);

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false); // a hash of every body, for answers that must not be cached anyway
  app.use((_req, res, next) => {
    res.set("Cache-Control", "no-store"); // the GPS state changes every second
    next();
  });

  // The current GPS record, as the replayer wrote it last: curl localhost:8000/gps_state
  app
    .route("/gps_state")
    .get(async (_req, res) => {
      res.type("json").send(await readState());
    })
    .all(onlyMethods("GET"));

  // The mean speed over the next 10 s, answered after them: curl 'localhost:8000/compute_avg_speed?time_window_seconds=10'
  app
    .route("/compute_avg_speed")
    .get(async (req, res) => {
      const { time_window_seconds } = parseQuery(WindowQuery, req.query);
      blocking.ensureRoom();
      blocking.track(time_window_seconds, once(res, "close")); // shutdown waits until the answer is sent
      const clientGone = new AbortController(); // a client that hung up no longer wants the answer
      res.once("close", () => clientGone.abort());
      try {
        res.json(await compute(time_window_seconds, AbortSignal.any([shutdown.signal, clientGone.signal])));
      } catch (error) {
        if (!clientGone.signal.aborted) throw error;
      }
    })
    .all(onlyMethods("GET"));

  // The same, as a background task; answers at once: curl -X POST 'localhost:8000/request_to_compute_avg_speed?time_window_seconds=10'
  app
    .route("/request_to_compute_avg_speed")
    .post(async (req, res) => {
      const { time_window_seconds } = parseQuery(WindowQuery, req.query);
      const { task_id, status } = await tasks.start(time_window_seconds);
      res.status(202).location(`/get_avg_speed_task_status?task_id=${task_id}`).json({ task_id, status });
    })
    .all(onlyMethods("POST"));

  // How that task is doing, and its result once DONE: curl 'localhost:8000/get_avg_speed_task_status?task_id=…'
  app
    .route("/get_avg_speed_task_status")
    .get(async (req, res) => {
      const { task_id } = parseQuery(TaskQuery, req.query);
      const task = await tasks.read(task_id.toLowerCase()); // a UUID means the same in either case
      if (!task)
        throw new HttpProblem(404, `there is no task ${task_id}: it was never requested, or it expired`);
      res.json(task);
    })
    .all(onlyMethods("GET"));

  // Liveness (/healthz) and readiness (/readyz: Redis answers PING within a second, even a frozen Redis).
  app.use(
    healthRoutes(() =>
      redis
        .withCommandOptions({ timeout: 1000, rejectInFlight: true })
        .ping()
        .then(() => {}, unavailable),
    ),
  );

  // This API described (OpenAPI 3.1), and a page to try it out (Swagger UI, served from this server).
  app
    .route("/openapi.json")
    .get((_req, res) => {
      res.json(openApi);
    })
    .all(onlyMethods("GET"));
  app.use("/docs", helmet({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } }));
  app
    .route("/docs")
    .get((_req, res) => {
      res.type("html").send(DOCS_PAGE);
    })
    .all(onlyMethods("GET"));
  app.get("/docs/:file", (req, res, next) => {
    const file = SWAGGER_UI_FILES.get(req.params.file);
    if (file) res.sendFile(file);
    else if (req.params.file === "start.js") res.type("js").send(DOCS_START);
    else next();
  });

  app.use(notFound("see /docs for the routes of this API"));
  app.use(problemHandler("api", redisError, log));

  return {
    app,
    /** Blocking requests get their 503, running tasks end FAILED "interrupted"; resolves once done. */
    async close(): Promise<void> {
      shutdown.abort(shuttingDown);
      await Promise.all([blocking.settled(), running.settled()]);
    },
  };
}

export type Api = ReturnType<typeof createApp>;
