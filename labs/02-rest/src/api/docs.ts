import { createRequire } from "node:module";
import path from "node:path";
import { Router } from "express";
import { onlyMethods } from "./problem.ts";

/**
 * GET /docs: Swagger UI, the interactive page for /openapi.json. Everything it loads comes from
 * this server (the installed swagger-ui-dist package), so it works without Internet access,
 * and the page runs no inline script, so a strict Content-Security-Policy holds.
 */

const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The files of swagger-ui-dist that the page uses; nothing else of the package is served. */
const ASSETS = ["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"];

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>GPS state API (lab 02)</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/start.js"></script>
</body>
</html>
`;

// validatorUrl: null, or Swagger UI would send the document to validator.swagger.io.
const START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
});
`;

// Swagger UI sets style attributes, hence 'unsafe-inline' for styles only; its icons are data: URLs.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

export function docsRoutes(): Router {
  const router = Router();
  router
    .route("/docs")
    .get((_req, res) => {
      res.set("Content-Security-Policy", CONTENT_SECURITY_POLICY).type("html").send(PAGE);
    })
    .all(onlyMethods("GET"));
  router.get("/docs/start.js", (_req, res) => {
    res.type("text/javascript").send(START_SCRIPT);
  });
  for (const asset of ASSETS) {
    router.get(`/docs/${asset}`, (_req, res) => {
      res.sendFile(path.join(SWAGGER_UI_DIR, asset), { maxAge: "1h" });
    });
  }
  return router;
}
