import { Router } from "express";
import { RedisUnavailableError } from "../errors.ts";
import { onlyMethods } from "../problem.ts";
import { type RedisClient, unavailable } from "../redis-client.ts";

/** How long /readyz waits for Redis to answer PING. */
const PING_TIMEOUT_MS = 1000;

/**
 * GET /healthz: the process is up (a liveness check: restart the container if this fails).
 * GET /readyz: the API can serve, i.e. Redis answers PING (a readiness check: send no traffic until it does).
 */
export function healthRoutes(redis: RedisClient): Router {
  const router = Router();
  router
    .route("/healthz")
    .get((_req, res) => {
      res.set("Cache-Control", "no-store").json({ status: "ok" });
    })
    .all(onlyMethods("GET"));
  router
    .route("/readyz")
    .get(async (_req, res) => {
      await ping(redis);
      res.set("Cache-Control", "no-store").json({ status: "ok" });
    })
    .all(onlyMethods("GET"));
  return router;
}

// A Redis that accepts connections but does not answer (e.g. frozen) must not hang the check.
async function ping(redis: RedisClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new RedisUnavailableError(`no answer to PING within ${PING_TIMEOUT_MS} ms`)),
      PING_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([redis.ping().catch(unavailable), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
