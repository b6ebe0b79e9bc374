import { createRequire } from "node:module";
import path from "node:path";
import { SHARED_PUBLIC_DIR, STATIC_MOUNTS } from "@gps-workshop/shared/ui";
import express, { Router } from "express";

const require = createRequire(import.meta.url);

/** Where the page's own scripts are served (public/, beside this file in src/ and in dist/). */
export const PAGE_ASSETS = "/assets";

/** The folder of an installed package, wherever npm put it. */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/**
 * The static files of the page, all from this server (no CDN: the workshop works offline): the
 * shared stylesheet and scripts, htmx and its extensions (hx-sse), Leaflet, and the page's own
 * scripts.
 */
export function staticAssets(): Router {
  const router = Router();
  const options = { index: false, fallthrough: true };
  router.use(STATIC_MOUNTS.shared, express.static(SHARED_PUBLIC_DIR, options));
  router.use(STATIC_MOUNTS.htmx, express.static(path.join(packageDir("htmx.org"), "dist"), options));
  router.use(STATIC_MOUNTS.leaflet, express.static(path.join(packageDir("leaflet"), "dist"), options));
  router.use(PAGE_ASSETS, express.static(path.join(import.meta.dirname, "public"), options));
  return router;
}
