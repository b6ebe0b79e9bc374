import { Router } from "express";
import { type ApiClient, ApiError } from "../api-client.ts";

/**
 * GET /healthz: the web process is up (liveness).
 * GET /readyz: the web can serve its pages, i.e. the API says it is ready (readiness):
 * 200, or 503 problem JSON saying why not.
 */
export function healthRoutes(api: ApiClient): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    try {
      await api.ready();
      res.set("Cache-Control", "no-store").json({ status: "ok" });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      res
        .status(503)
        .set("Cache-Control", "no-store")
        .type("application/problem+json")
        .send(
          JSON.stringify({
            type: "/problems/api-unavailable",
            title: "API unavailable",
            status: 503,
            detail: `the web cannot serve its pages: ${error.message}`,
            instance: req.originalUrl,
          }),
        );
    }
  });
  return router;
}
