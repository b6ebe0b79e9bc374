import type { Clock } from "@gps-workshop/shared";
import { Router } from "express";
import type { Computations } from "../computations.ts";
import { onlyMethods, tooManyRequests } from "../problem.ts";
import { parseQuery } from "../query.ts";
import type { WindowQuerySchema } from "../schemas.ts";

export interface AvgSpeedRoutesOptions {
  windowQuery: WindowQuerySchema;
  /** The mean speed over the next `seconds`. */
  compute: (seconds: number, signal: AbortSignal) => Promise<number>;
  /** The blocking requests in progress, and how many may wait at once. */
  requests: Computations;
  clock: Clock;
  /** Aborted when the API shuts down. */
  shutdown: AbortSignal;
}

/**
 * GET /compute_avg_speed?time_window_seconds=10: the mean speed over the next 10 s, answered
 * after those 10 s. The lecture's example of a blocking request: the client waits all along.
 */
export function avgSpeedRoutes({
  windowQuery,
  compute,
  requests,
  clock,
  shutdown,
}: AvgSpeedRoutesOptions): Router {
  const router = Router();
  router
    .route("/compute_avg_speed")
    .get(async (req, res) => {
      const { time_window_seconds: seconds } = parseQuery(windowQuery, req.query);
      if (requests.full) {
        const retryAfter = requests.retryAfterSeconds();
        throw tooManyRequests(`too many computations in progress: try again in ${retryAfter} s`, retryAfter);
      }
      // A client that hangs up no longer wants the answer: stop computing it.
      const clientGone = new AbortController();
      const closed = new Promise((resolve) => res.once("close", resolve));
      closed.then(() => clientGone.abort());
      // Shutdown waits until the response has been sent (or the connection is gone).
      requests.track(closed, clock.now() + seconds * 1000);
      let speed: number;
      try {
        speed = await compute(seconds, AbortSignal.any([shutdown, clientGone.signal]));
      } catch (error) {
        if (clientGone.signal.aborted) return;
        throw error;
      }
      res.set("Cache-Control", "no-store").json(speed);
    })
    .all(onlyMethods("GET"));
  return router;
}
