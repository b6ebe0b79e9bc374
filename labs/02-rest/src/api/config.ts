import { configFromEnv, env, redisEnv } from "@gps-workshop/shared";
import { z } from "zod";
import { API_DEFAULTS } from "./app.ts";

const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * The API's configuration, from environment variables. The defaults work on localhost; compose
 * sets REDIS_URL=redis://redis:6379. A bad value stops the API with one line naming the variable.
 */
export function readConfig() {
  const vars = configFromEnv("api", {
    PORT: env.port(8000),
    ...redisEnv,
    MAX_WINDOW_SECONDS: env.number(API_DEFAULTS.maxWindowSeconds, 1, 86_400),
    MAX_CONCURRENT_TASKS: count(API_DEFAULTS.maxConcurrentTasks, 1000),
    MAX_BLOCKING_REQUESTS: count(API_DEFAULTS.maxBlockingRequests, 10_000),
    TASK_TTL_SECONDS: count(API_DEFAULTS.taskTtlSeconds, 30 * 86_400),
  });
  return {
    port: vars.PORT,
    redisUrl: vars.REDIS_URL,
    keyPrefix: vars.REDIS_KEY_PREFIX,
    maxWindowSeconds: vars.MAX_WINDOW_SECONDS,
    maxConcurrentTasks: vars.MAX_CONCURRENT_TASKS,
    maxBlockingRequests: vars.MAX_BLOCKING_REQUESTS,
    taskTtlSeconds: vars.TASK_TTL_SECONDS,
  };
}
