import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ErrorReply } from "redis";
import {
  InterruptedError,
  InvalidStoredRecordError,
  NoGpsStateError,
  RedisUnavailableError,
} from "./errors.ts";
import type { InvalidParam, Problem } from "./schemas.ts";

/**
 * Errors as RFC 9457 problem details: every error response of the API is an
 * `application/problem+json` object with `type`, `title`, `status` and `detail`.
 */

/** Thrown by a route to answer with this problem. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  readonly problem: Omit<Problem, "instance">;
  readonly headers: Readonly<Record<string, string>>;
  constructor(problem: Omit<Problem, "instance">, headers: Record<string, string> = {}) {
    super(problem.detail);
    this.problem = problem;
    this.headers = headers;
  }
}

export function invalidParams(params: InvalidParam[], detail: string): HttpProblem {
  return new HttpProblem({
    type: "/problems/invalid-parameters",
    title: "Invalid parameters",
    status: 400,
    detail,
    invalid_params: params,
  });
}

export function notFound(detail: string): HttpProblem {
  return new HttpProblem({ type: "/problems/not-found", title: "Not found", status: 404, detail });
}

/** 429: come back after `retryAfterSeconds`, when some of the work in progress is over. */
export function tooManyRequests(detail: string, retryAfterSeconds: number): HttpProblem {
  return new HttpProblem(
    { type: "/problems/too-many-requests", title: "Too many requests", status: 429, detail },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** For `router.route(path).get(…).all(onlyMethods("GET"))`: 405 for any other method. */
export function onlyMethods(...allowed: string[]): RequestHandler {
  const allow = allowed.join(", ");
  return (req) => {
    throw new HttpProblem(
      {
        type: "/problems/method-not-allowed",
        title: "Method not allowed",
        status: 405,
        detail: `${req.method} is not allowed on ${req.path}: use ${allow}`,
      },
      { Allow: allow },
    );
  };
}

/** The last route: nothing else matched. */
export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`there is no ${req.path} here: see /docs for the routes of this API`);
};

/** The problem an error stands for; anything unexpected is a 500 that gives nothing away. */
function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof RedisUnavailableError) {
    return new HttpProblem(
      { type: "/problems/redis-unavailable", title: "Redis unavailable", status: 503, detail: error.message },
      { "Retry-After": "1" },
    );
  }
  if (error instanceof NoGpsStateError) {
    return new HttpProblem({
      type: "/problems/no-gps-state",
      title: "No GPS state",
      status: 503,
      detail: error.message,
    });
  }
  if (error instanceof InvalidStoredRecordError || error instanceof ErrorReply) {
    const detail =
      error instanceof ErrorReply ? `Redis answered with an error: ${error.message}` : error.message;
    return new HttpProblem({
      type: "/problems/invalid-data",
      title: "Invalid data in Redis",
      status: 500,
      detail,
    });
  }
  if (error instanceof InterruptedError) {
    return new HttpProblem(
      {
        type: "/problems/shutting-down",
        title: "Shutting down",
        status: 503,
        detail: "the API is shutting down: try again in a moment",
      },
      { Connection: "close" },
    );
  }
  // Errors from Express and its helpers (e.g. res.sendFile) carry their HTTP status; a 4xx is the client's.
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const title = STATUS_CODES[status] ?? "Bad request";
    return new HttpProblem({ type: "about:blank", title, status, detail: title });
  }
  return new HttpProblem({
    type: "/problems/internal-error",
    title: "Internal error",
    status: 500,
    detail: "something went wrong on our side: the API logs say what",
  });
}

/** The one error handler: every error becomes a problem response; 500s are logged with their stack. */
export function problemHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Too late for a problem response: let Express close the connection.
    if (res.headersSent) {
      next(error);
      return;
    }
    const { problem, headers } = toProblem(error);
    if (problem.status === 500) log(`api: ${req.method} ${req.originalUrl} failed: ${errorText(error)}`);
    res
      .status(problem.status)
      .set(headers)
      .set("Cache-Control", "no-store")
      .type("application/problem+json")
      .send(JSON.stringify({ ...problem, instance: req.originalUrl }));
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
