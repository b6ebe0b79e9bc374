import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from "zod-openapi";
import * as schemas from "./schemas.ts";

// The OpenAPI 3.1 description of the API, served at /openapi.json and shown at /docs, written from
// the zod schemas that validate the requests. Lint it: npm run lint:openapi -w labs/02-rest

const ERRORS = {
  400: "A query parameter is missing, given twice or wrong: `invalid_params` says which and why.",
  404: "No such task was requested, or it has expired.",
  405: "Another method than those of this path, which Allow lists.",
  429: "Too many of these in progress: try again in Retry-After seconds.",
  431: "The URL and headers are over 16 KB, Node's limit.",
  500: "What Redis holds is not what it should be (a GPS record, a task).",
  503: "Redis is out of reach, there is no GPS state, or the API is shutting down: try again soon.",
};
const header = (description: string, schema: z.ZodType) => schema.meta({ description });
const retryAfter = z.object({ "Retry-After": header("Seconds to wait.", z.int().min(1).max(86_400)) });

/** The problem+json responses of these statuses; 429 and 503 say when to try again. */
function errors(...statuses: (keyof typeof ERRORS)[]): Record<string, ZodOpenApiResponseObject> {
  const content = { "application/problem+json": { schema: schemas.Problem } };
  const headers = (status: number) => (status === 429 || status === 503 ? { headers: retryAfter } : {});
  const responses = statuses.map((status) => [
    status,
    { description: ERRORS[status], ...headers(status), content },
  ]);
  return Object.fromEntries(responses);
}

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { "application/json": { schema } },
});

type Responses = ZodOpenApiOperationObject["responses"];

/** An operation; it also answers 405 (other methods on its path) and 431 (a request too large to read). */
function operation(allow: string, operationId: string, summary: string, responses: Responses, more = {}) {
  const { 405: notAllowed, 431: tooLarge } = errors(405, 431);
  const headers = z.object({ Allow: header("The methods of this path.", z.literal(allow)) });
  return {
    operationId,
    summary,
    ...more,
    responses: { ...responses, 405: { ...notAllowed, headers }, 431: tooLarge },
  };
}

/** A GET, and the HEAD that Express answers for it: the same status and headers, without the body. */
function get(operationId: string, summary: string, responses: Responses, more = {}) {
  const get = operation("GET, HEAD", operationId, summary, responses, more);
  return { get, head: { ...get, operationId: `${operationId}Head`, summary: `${summary} (headers only)` } };
}

export function openApiDocument(window: schemas.WindowQuery) {
  return createDocument({
    openapi: "3.1.1",
    info: {
      title: "GPS state API (lab 02)",
      version: "1.0.0",
      license: { name: "MIT", identifier: "MIT" },
      description:
        "The GPS state that the replayer keeps in Redis, and the mean speed over a time window, blocking " +
        "or as a background task. Every error is a problem+json (RFC 9457), a 404 for a path not listed too.",
    },
    servers: [{ url: "/", description: "The server of this document." }],
    security: [], // none: the lab runs on your machine
    paths: {
      "/gps_state": get("getGpsState", "The current GPS record", {
        200: json("The record written last.", schemas.GpsRecord),
        ...errors(500, 503),
      }),
      "/compute_avg_speed": get(
        "computeAvgSpeed",
        "The mean speed over the next time window, answered at its end",
        { 200: json("The mean speed, in m/s.", schemas.AverageSpeed), ...errors(400, 429, 500, 503) },
        { requestParams: { query: window } },
      ),
      "/request_to_compute_avg_speed": {
        post: operation(
          "POST",
          "requestToComputeAvgSpeed",
          "Start computing the mean speed over the next time window, in the background",
          {
            202: {
              ...json("Recorded: ask for the result at Location.", schemas.TaskAccepted),
              headers: z.object({ Location: header("The task's status URL.", z.string()) }),
            },
            ...errors(400, 429, 503),
          },
          { requestParams: { query: window } },
        ),
      },
      "/get_avg_speed_task_status": get(
        "getAvgSpeedTaskStatus",
        "How a background task is doing, and its result once DONE",
        { 200: json("The task.", schemas.TaskStatus), ...errors(400, 404, 500, 503) },
        { requestParams: { query: schemas.TaskQuery } },
      ),
      "/healthz": get("getHealth", "Liveness: the process is up", { 200: json("Up.", schemas.Health) }),
      "/readyz": get("getReadiness", "Readiness: Redis answers", {
        200: json("Ready to serve.", schemas.Ready),
        ...errors(503),
      }),
      "/openapi.json": get("getOpenApi", "This document", { 200: json("OpenAPI 3.1.", z.looseObject({})) }),
      "/docs": get("getDocs", "This document as a page to try the API out (Swagger UI)", {
        200: { description: "HTML.", content: { "text/html": { schema: z.string() } } },
      }),
    },
  });
}

// The page of /docs: Swagger UI from this server (it works offline), with no inline script, so
// that a strict Content-Security-Policy holds (it sets style attributes; its icons are data: URLs).
const self = "'self'";
export const DOCS_CSP = { defaultSrc: [self], styleSrc: [self, "'unsafe-inline'"], imgSrc: [self, "data:"] };
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GPS state API (lab 02)</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/start.js"></script></body></html>
`;
// validatorUrl: null, or Swagger UI would send the document to validator.swagger.io.
export const DOCS_START = `SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null });\n`;
const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
/** The files of swagger-ui-dist that the page loads, by name; nothing else of the package is served. */
const files = ["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"];
export const SWAGGER_UI_FILES = new Map(files.map((file) => [file, path.join(dist, file)]));
