import { once } from "node:events";
import { healthRoutes, notFound, onlyMethods, parseQuery, problemHandler } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { type Clock, systemClock } from "@gps-workshop/shared";
import express from "express";
import helmet from "helmet";
import { redisKeys } from "../redis-keys.ts";
import { averageSpeedOverNext, computations, ping, shuttingDown, stateReader } from "./avg-speed.ts";
import { DOCS_CSP, DOCS_PAGE, DOCS_START, openApiDocument, SWAGGER_UI_FILES } from "./openapi.ts";
import { TaskQuery, windowQuery } from "./schemas.ts";
import { backgroundTasks } from "./tasks.ts";

/** The limits of the API, and the defaults of main.ts's environment variables. */
export const DEFAULTS = {
  maxWindowSeconds: 300,
  maxBlockingRequests: 100, // /compute_avg_speed requests waiting at once; beyond, 429
  maxConcurrentTasks: 16, // tasks running at once; beyond, 429
  taskTtlSeconds: 3600, // how long a task stays in Redis after its last change
  taskGraceSeconds: 10, // how long past its deadline an unfinished task is taken for dead
};

export interface ApiOptions extends Partial<typeof DEFAULTS> {
  redis: RedisClient; // the process's one client; the API never closes it
  keyPrefix?: string; // before every key, so that several copies can share one Redis
  clock?: Clock; // times the windows; tests pass one that they move by hand
  log?: (line: string) => void;
}

// The GPS state changes every second: no answer is to be cached.
const JSON_NO_STORE = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

/** Builds the API; main.ts (or a test) connects Redis and listens. */
export function createApp(options: ApiOptions) {
  const { redis, clock = systemClock, log = console.error } = options;
  const shutdown = new AbortController();
  const keys = redisKeys(options.keyPrefix);
  const context = { ...DEFAULTS, ...options, keys, clock, log, shutdown: shutdown.signal };
  const readState = stateReader(context);
  const blocking = computations(context.maxBlockingRequests, "computations", clock);
  const tasks = backgroundTasks(context);
  const WindowQuery = windowQuery(context.maxWindowSeconds);
  const openApi = openApiDocument(WindowQuery);

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false); // a hash of every body, for answers that must not be cached anyway

  // The current GPS record, as the replayer wrote it last: curl localhost:8000/gps_state
  // The hottest route (npm run bench:rest-api): its headers are written as they are.
  app
    .route("/gps_state")
    .get(async (_req, res) => {
      const body = await readState();
      res.writeHead(200, { ...JSON_NO_STORE, "Content-Length": Buffer.byteLength(body) }).end(body);
    })
    .all(onlyMethods("GET"));

  // The mean speed over the next 10 s, answered at their end: curl 'localhost:8000/compute_avg_speed?time_window_seconds=10'
  app
    .route("/compute_avg_speed")
    .get(async (req, res) => {
      const { time_window_seconds: seconds } = parseQuery(WindowQuery, req.query);
      blocking.ensureRoom();
      blocking.track(seconds, once(res, "close")); // shutdown waits until the answer is sent
      const clientGone = new AbortController(); // a client that hung up wants no answer: stop
      res.once("close", () => clientGone.abort());
      const stop = AbortSignal.any([shutdown.signal, clientGone.signal]);
      try {
        res.set(JSON_NO_STORE).json(await averageSpeedOverNext(context, seconds, stop));
      } catch (error) {
        if (!clientGone.signal.aborted) throw error;
      }
    })
    .all(onlyMethods("GET"));

  // The same, computed in the background; answers at once with where to ask for the result:
  // curl -X POST 'localhost:8000/request_to_compute_avg_speed?time_window_seconds=10'
  app
    .route("/request_to_compute_avg_speed")
    .post(async (req, res) => {
      const { time_window_seconds: seconds } = parseQuery(WindowQuery, req.query);
      const { task_id, status } = await tasks.start(seconds);
      const location = `/get_avg_speed_task_status?task_id=${task_id}`;
      res.status(202).location(location).set(JSON_NO_STORE).json({ task_id, status });
    })
    .all(onlyMethods("POST"));

  // How that task is doing, and its result once DONE: curl 'localhost:8000/get_avg_speed_task_status?task_id=…'
  app
    .route("/get_avg_speed_task_status")
    .get(async (req, res) => {
      const { task_id } = parseQuery(TaskQuery, req.query);
      res.set(JSON_NO_STORE).json(await tasks.read(task_id));
    })
    .all(onlyMethods("GET"));

  // Liveness (/healthz) and readiness (/readyz: Redis answers PING within a second, even a frozen one).
  app.use(healthRoutes(() => ping(redis)));

  // This API described (OpenAPI 3.1), and a page to try it out (Swagger UI, served by this server).
  app
    .route("/openapi.json")
    .get((_req, res) => res.json(openApi))
    .all(onlyMethods("GET"));
  app.use("/docs", helmet({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } }));
  app
    .route("/docs")
    .get((_req, res) => res.type("html").send(DOCS_PAGE))
    .all(onlyMethods("GET"));
  app.get("/docs/:file", (req, res, next) => {
    const file = SWAGGER_UI_FILES.get(req.params.file);
    if (file) res.sendFile(file);
    else if (req.params.file === "start.js") res.type("js").send(DOCS_START);
    else next();
  });

  app.use(notFound("see /docs for the routes of this API"));
  app.use(problemHandler("api", undefined, log));

  return {
    app,
    /** Blocking requests get their 503, running tasks end FAILED "interrupted"; resolves once done. */
    async close(): Promise<void> {
      shutdown.abort(shuttingDown);
      await Promise.all([blocking.settled(), tasks.settled()]);
    },
  };
}

export type Api = ReturnType<typeof createApp>;
