import { Router } from "express";
import { onlyMethods } from "../problem.ts";

/** GET /gps_state: the current GPS record, as the replayer last wrote it. */
export function gpsStateRoutes(readState: () => Promise<string>): Router {
  const router = Router();
  router
    .route("/gps_state")
    .get(async (_req, res) => {
      const body = await readState();
      // The hottest route, so the headers are written as they are: res.send() would parse the
      // Content-Type again on every call. The body is JSON already (see current-state.ts).
      res
        .writeHead(200, {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Length": Buffer.byteLength(body),
          "Cache-Control": "no-store",
        })
        .end(body);
    })
    .all(onlyMethods("GET"));
  return router;
}
