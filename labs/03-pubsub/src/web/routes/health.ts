import { Router } from "express";
import { sendProblem } from "../problem.ts";

export interface HealthContext {
  /** Which Redis connection is down, or undefined when both are ready. */
  notReady(): string | undefined;
  stats(): object;
}

/** `/healthz` (the process answers), `/readyz` (it can serve events), `/stats` (counters). */
export function healthRoutes(context: HealthContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", (_req, res) => {
    const down = context.notReady();
    if (down === undefined) {
      res.json({ status: "ready" });
    } else {
      sendProblem(res, { status: 503, detail: down });
    }
  });
  router.get("/stats", (_req, res) => {
    res.set("Cache-Control", "no-store").json(context.stats());
  });
  return router;
}
