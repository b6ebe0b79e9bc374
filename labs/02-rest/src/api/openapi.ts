import { GpsRecordSchema } from "@gps-workshop/shared";
import { z } from "zod";
import {
  AverageSpeedSchema,
  HealthSchema,
  ProblemSchema,
  TaskAcceptedSchema,
  TaskQuerySchema,
  TaskStatusSchema,
  type WindowQuerySchema,
} from "./schemas.ts";

/**
 * The OpenAPI 3.1 description of the API (served at /openapi.json, shown at /docs), generated
 * from the zod schemas that validate the requests: a limit changed in schemas.ts or in the
 * configuration changes the documentation with it.
 */
export function openApiDocument(windowQuery: WindowQuerySchema): object {
  const window = queryParameters(windowQuery);
  return {
    openapi: "3.1.0",
    info: {
      title: "GPS state API (lab 02)",
      version: "1.0.0",
      description:
        "Serves the GPS state that the replayer keeps in Redis, and the mean speed over a time window: " +
        "blocking (the answer comes at the end of the window) or as a background task. " +
        "Errors are RFC 9457 problem details (application/problem+json).",
    },
    tags: [
      { name: "GPS state", description: "The latest record, as the replayer wrote it to Redis." },
      {
        name: "Average speed",
        description: "The time-weighted mean speed over a window: blocking, or as a task.",
      },
      { name: "Health", description: "For orchestrators: liveness and readiness." },
      { name: "Documentation", description: "This description of the API." },
    ],
    paths: {
      "/gps_state": {
        get: {
          operationId: "getGpsState",
          tags: ["GPS state"],
          summary: "The current GPS record",
          responses: {
            200: json("The record the replayer wrote last.", "GpsRecord"),
            500: problem("What Redis holds is not a valid GPS record."),
            503: problem("No GPS state yet, or Redis is unreachable."),
          },
        },
      },
      "/compute_avg_speed": {
        get: {
          operationId: "computeAvgSpeed",
          tags: ["Average speed"],
          summary: "The mean speed over the next time window (blocks for the whole window)",
          description:
            "Answers after `time_window_seconds`: the mean of the speeds of the GPS states in force during " +
            "the window, each weighted by how long it was in force.",
          parameters: window,
          responses: {
            200: json("The time-weighted mean speed, in m/s.", "AverageSpeed"),
            400: problem("`time_window_seconds` is missing or out of range."),
            429: problem("Too many computations in progress; see Retry-After.", true),
            500: problem("Redis holds an invalid GPS record."),
            503: problem(
              "No GPS state during the window, Redis is unreachable, or the API is shutting down.",
            ),
          },
        },
      },
      "/request_to_compute_avg_speed": {
        post: {
          operationId: "requestToComputeAvgSpeed",
          tags: ["Average speed"],
          summary: "Start computing the mean speed over the next time window, in the background",
          parameters: window,
          responses: {
            202: {
              ...json("The task is recorded; ask for its result at Location.", "TaskAccepted"),
              headers: {
                Location: { description: "The task's status URL.", schema: { type: "string" } },
              },
            },
            400: problem("`time_window_seconds` is missing or out of range."),
            429: problem("Too many tasks in progress; see Retry-After.", true),
            503: problem("Redis is unreachable."),
          },
        },
      },
      "/get_avg_speed_task_status": {
        get: {
          operationId: "getAvgSpeedTaskStatus",
          tags: ["Average speed"],
          summary: "How a background task is doing, and its result once DONE",
          parameters: queryParameters(TaskQuerySchema),
          responses: {
            200: json("The task.", "TaskStatus"),
            400: problem("`task_id` is missing or not a UUID."),
            404: problem("No such task, or it has expired."),
            500: problem("Redis holds an invalid task record."),
            503: problem("Redis is unreachable."),
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "getHealth",
          tags: ["Health"],
          summary: "Liveness: the process is up",
          responses: { 200: json("Up.", "Health") },
        },
      },
      "/readyz": {
        get: {
          operationId: "getReadiness",
          tags: ["Health"],
          summary: "Readiness: Redis answers",
          responses: {
            200: json("Ready to serve.", "Health"),
            503: problem("Redis is unreachable."),
          },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "getOpenApi",
          tags: ["Documentation"],
          summary: "This document",
          responses: {
            200: {
              description: "OpenAPI 3.1",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
      "/docs": {
        get: {
          operationId: "getDocs",
          tags: ["Documentation"],
          summary: "This document, as an interactive page (Swagger UI)",
          responses: {
            200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        GpsRecord: jsonSchema(GpsRecordSchema),
        AverageSpeed: jsonSchema(AverageSpeedSchema),
        TaskAccepted: jsonSchema(TaskAcceptedSchema),
        TaskStatus: jsonSchema(TaskStatusSchema),
        Health: jsonSchema(HealthSchema),
        Problem: jsonSchema(ProblemSchema),
      },
    },
  };
}

type JsonSchema = Record<string, unknown>;

// OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect zod writes; the document states it once.
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema);
  return rest;
}

/** One OpenAPI query parameter per property of a query schema, with its constraints. */
function queryParameters(schema: z.ZodObject): object[] {
  const { properties = {}, required = [] } = z.toJSONSchema(schema);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...constraints } = typeof property === "object" ? property : {};
    return { name, in: "query", required: required.includes(name), description, schema: constraints };
  });
}

function json(description: string, schema: string): object {
  return {
    description,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}

function problem(description: string, retryAfter = false): object {
  const content = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  if (!retryAfter) return { description, content };
  const headers = {
    "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer" } },
  };
  return { description, headers, content };
}
