import { env, readEnv, redisEnv } from "@gps-workshop/service/config";
import { closeServer, serve } from "@gps-workshop/service/http";
import { createRedisClient } from "@gps-workshop/service/redis";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { createApp, DEFAULTS } from "./app.ts";

// The defaults work on localhost; compose sets REDIS_URL=redis://redis:6379.
const config = readEnv("api", {
  PORT: env.port(8000),
  ...redisEnv,
  MAX_WINDOW_SECONDS: env.number(DEFAULTS.maxWindowSeconds, 1, 86_400),
  MAX_BLOCKING_REQUESTS: env.integer(DEFAULTS.maxBlockingRequests, 1, 10_000),
  MAX_CONCURRENT_TASKS: env.integer(DEFAULTS.maxConcurrentTasks, 1, 1000),
  TASK_TTL_SECONDS: env.integer(DEFAULTS.taskTtlSeconds, 1, 30 * 86_400),
});

const redis = createRedisClient({
  url: config.REDIS_URL,
  password: config.REDIS_PASSWORD_FILE,
  service: "api",
});
redis.connect().catch(() => {}); // not awaited: until Redis answers, the API answers 503

const api = createApp({
  redis,
  keyPrefix: config.REDIS_KEY_PREFIX,
  maxWindowSeconds: config.MAX_WINDOW_SECONDS,
  maxBlockingRequests: config.MAX_BLOCKING_REQUESTS,
  maxConcurrentTasks: config.MAX_CONCURRENT_TASKS,
  taskTtlSeconds: config.TASK_TTL_SECONDS,
});
const server = serve(api.app, "api", config.PORT);

// docker stop, Ctrl-C: stop accepting, answer what is in flight (see api.close), exit 0.
onShutdown("api", async () => {
  const closing = closeServer(server);
  await api.close();
  await closing;
  redis.destroy();
});
