import { Router } from "express";
import type { PageRenderer } from "../page-renderer.ts";

/** `GET /`: the page, with the dashboard as it stands; from then on, `/ui/events` keeps it up to date. */
export function pageRoutes(renderer: PageRenderer): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.type("html").set("Cache-Control", "no-store").send(renderer.page());
  });
  return router;
}
