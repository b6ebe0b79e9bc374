import path from "node:path";
import { staticFolders } from "@gps-workshop/shared/ui";
import express, { Router } from "express";

/** Where the page's own scripts are served (public/, beside this file in src/ and in dist/). */
export const PAGE_ASSETS = "/assets";

/**
 * The static files of the page, all from this server (no CDN: the workshop works offline): the
 * shared stylesheet and scripts, htmx and its extensions (hx-sse), Leaflet, and the page's own
 * scripts.
 */
export function staticAssets(): Router {
  const router = Router();
  const options = { index: false, fallthrough: true };
  for (const { mount, folder } of staticFolders(import.meta.url)) {
    router.use(mount, express.static(folder, options));
  }
  router.use(PAGE_ASSETS, express.static(path.join(import.meta.dirname, "public"), options));
  return router;
}
