import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";

/** An RFC 9457 problem: what went wrong, for the client, without a stack trace. */
export interface Problem {
  status: number;
  detail: string;
  /** The query parameter or header at fault, when there is one. */
  parameter?: string;
}

/** Thrown by a route to answer with a problem; the error handler renders it. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.problem = problem;
  }
}

export function sendProblem(res: Response, { status, detail, parameter }: Problem): void {
  res
    .status(status)
    .type("application/problem+json")
    .send(
      JSON.stringify({
        type: "about:blank",
        title: STATUS_CODES[status] ?? "Error",
        status,
        detail,
        ...(parameter === undefined ? {} : { parameter }),
      }),
    );
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, { status: 404, detail: `no route for ${req.method} ${req.path}` });
};

/** The one error handler: a problem as such, anything else as a 500 that reveals nothing. */
export function problemHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpProblem) {
      sendProblem(res, error.problem);
      return;
    }
    log(`web: ${req.method} ${req.path} failed: ${String(error)}`);
    sendProblem(res, { status: 500, detail: "internal error" });
  };
}
