import { staticFolders } from "@gps-workshop/shared/ui";
import express, { Router } from "express";

/**
 * The static files of the pages, all from this server (no CDN: the workshop works offline):
 * the shared stylesheet and scripts, htmx, and Leaflet (its script, stylesheet and images).
 */
export function staticAssets(): Router {
  const router = Router();
  const options = { index: false, fallthrough: true };
  for (const { mount, folder } of staticFolders(import.meta.url)) {
    router.use(mount, express.static(folder, options));
  }
  return router;
}
