import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from "zod-openapi";
import * as schemas from "./schemas.ts";

/**
 * The OpenAPI 3.1 description of the API, served at /openapi.json and shown at /docs, written from
 * the zod schemas that validate the requests. Check it: npm run lint:openapi -w labs/02-rest
 */

const json = (description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  description,
  content: { "application/json": { schema } },
});
const retryAfter = z.object({
  "Retry-After": z.int().min(1).max(86_400).meta({ description: "Seconds to wait." }),
});
const problem = (description: string, headers?: z.ZodObject): ZodOpenApiResponseObject => ({
  description,
  ...(headers && { headers }),
  content: { "application/problem+json": { schema: schemas.Problem } },
});
const badWindow = problem(
  "`time_window_seconds` is missing, given twice, not in plain digits, or out of range.",
);
const invalidData = problem("What Redis holds is not what it should be (a GPS record, a task).");
const unavailable = problem(
  "Redis is out of reach, there is no GPS state (yet, or during the window), or the API is shutting down.",
  retryAfter,
);
const tooMany = problem("Too many of these in progress; see Retry-After.", retryAfter);

type Operation = ZodOpenApiOperationObject & { operationId: string; summary: string };

/** An operation also answers 405 to other methods on its path, and 431 to a request too large to read. */
function operation(allow: string, { responses, ...rest }: Operation): Operation {
  const Allow = z.literal(allow).meta({ description: "The methods of this path." });
  const notAllowed = problem(`Another method than ${allow} on this path.`, z.object({ Allow }));
  const tooLarge = problem("The URL and headers are over 16 KB, Node's limit.");
  return { ...rest, responses: { ...responses, 405: notAllowed, 431: tooLarge } };
}

/** A GET, and the HEAD that Express answers for it: the same status and headers, without the body. */
function get(op: Operation) {
  const get = operation("GET, HEAD", op);
  return {
    get,
    head: { ...get, operationId: `${op.operationId}Head`, summary: `${op.summary} (headers only)` },
  };
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
    tags: [
      { name: "GPS state", description: "The latest record, as the replayer wrote it to Redis." },
      { name: "Average speed", description: "The time-weighted mean speed over a window." },
      { name: "Operations", description: "Health checks, and this document." },
    ],
    paths: {
      "/gps_state": get({
        operationId: "getGpsState",
        tags: ["GPS state"],
        summary: "The current GPS record",
        responses: {
          200: json("The record written last.", schemas.GpsRecord),
          500: invalidData,
          503: unavailable,
        },
      }),
      "/compute_avg_speed": get({
        operationId: "computeAvgSpeed",
        tags: ["Average speed"],
        summary: "The mean speed over the next time window, answered at its end",
        description: "Each state counts for as long as it was the current one during the window.",
        requestParams: { query: window },
        responses: {
          200: json("The time-weighted mean speed, in m/s.", schemas.AverageSpeed),
          400: badWindow,
          429: tooMany,
          500: invalidData,
          503: unavailable,
        },
      }),
      "/request_to_compute_avg_speed": {
        post: operation("POST", {
          operationId: "requestToComputeAvgSpeed",
          tags: ["Average speed"],
          summary: "Start computing the mean speed over the next time window, in the background",
          requestParams: { query: window },
          responses: {
            202: {
              ...json("Recorded: ask for the result at Location.", schemas.TaskAccepted),
              headers: z.object({ Location: z.string().meta({ description: "The task's status URL." }) }),
            },
            400: badWindow,
            429: tooMany,
            503: unavailable,
          },
        }),
      },
      "/get_avg_speed_task_status": get({
        operationId: "getAvgSpeedTaskStatus",
        tags: ["Average speed"],
        summary: "How a background task is doing, and its result once DONE",
        requestParams: { query: schemas.TaskQuery },
        responses: {
          200: json("The task.", schemas.TaskStatus),
          400: problem("`task_id` is missing, given twice, or not a UUID."),
          404: problem("No such task was requested, or it has expired."),
          500: invalidData,
          503: unavailable,
        },
      }),
      "/healthz": get({
        operationId: "getHealth",
        tags: ["Operations"],
        summary: "Liveness: the process is up",
        responses: { 200: json("Up.", schemas.Health) },
      }),
      "/readyz": get({
        operationId: "getReadiness",
        tags: ["Operations"],
        summary: "Readiness: Redis answers",
        responses: { 200: json("Ready to serve.", schemas.Ready), 503: unavailable },
      }),
      "/openapi.json": get({
        operationId: "getOpenApi",
        tags: ["Operations"],
        summary: "This document",
        responses: { 200: json("OpenAPI 3.1.", z.looseObject({})) },
      }),
      "/docs": get({
        operationId: "getDocs",
        tags: ["Operations"],
        summary: "This document as a page to try the API out (Swagger UI)",
        responses: { 200: { description: "HTML.", content: { "text/html": { schema: z.string() } } } },
      }),
    },
  });
}

// The page of /docs: Swagger UI from this server (it works offline), with no inline script, so
// that a strict Content-Security-Policy holds (it sets style attributes; its icons are data: URLs).
export const DOCS_CSP = {
  defaultSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
};
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GPS state API (lab 02)</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/start.js"></script></body></html>
`;
// validatorUrl: null, or Swagger UI would send the document to validator.swagger.io.
export const DOCS_START = `SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null });\n`;
const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
/** The files of swagger-ui-dist that the page loads, by name; nothing else of the package is served. */
export const SWAGGER_UI_FILES = new Map(
  ["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"].map((file) => [
    file,
    path.join(dist, file),
  ]),
);
