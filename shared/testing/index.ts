export { launchBrowser } from "./browser.ts";
export { buildImage, composeUp, containerLogs, REPO_ROOT } from "./docker.ts";
export { test } from "./fixtures.ts";
export { freePort } from "./free-port.ts";
export type { RedisServer, TestRedis } from "./redis.ts";
export { acquireTestRedis, DOCKER_NEEDED, REDIS_IMAGE, startRedisServer } from "./redis.ts";
