/**
 * The HTTP plumbing of the labs' Express services, so that a routes file shows only its lesson:
 * errors as RFC 9457 problem details (`application/problem+json`) from one error handler, query
 * validation with zod, 404/405 as problems, /healthz and /readyz, listening, and closing without
 * cutting off the requests in flight.
 */
import { createServer, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type ErrorRequestHandler, type Express, type RequestHandler, Router } from "express";
import type { z } from "zod";
import { echo } from "./config.ts";

export interface ProblemOptions {
  /** A URI reference naming the kind of problem, e.g. "/problems/no-gps-state". Default "about:blank". */
  type?: string;
  /** Default: the status's reason phrase ("Service Unavailable"). */
  title?: string;
  headers?: Record<string, string>;
  /** Members added to the body, e.g. `invalid_params`. */
  extensions?: Record<string, unknown>;
}

/** Thrown by a handler to answer with this problem; `problemHandler` writes it. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  readonly status: number;
  readonly options: ProblemOptions;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(detail);
    this.status = status;
    this.options = options;
  }

  /** The JSON body; `instance` is the request's URL, cut short if long. */
  body(instance?: string): Record<string, unknown> {
    const { type = "about:blank", title = STATUS_CODES[this.status] ?? "Error", extensions } = this.options;
    const where =
      instance === undefined ? {} : { instance: instance.length > 200 ? instance.slice(0, 200) : instance };
    return { type, title, status: this.status, detail: this.message, ...where, ...extensions };
  }
}

/**
 * The last middleware of an app: every error becomes a problem response. `known` maps the
 * service's own errors (Redis down: 503); anything else unexpected is logged with its stack and
 * answered 500 with nothing given away.
 */
export function problemHandler(
  service: string,
  known: (error: unknown) => HttpProblem | undefined = () => undefined,
  log: (line: string) => void = console.error,
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Too late for a problem response: let Express close the connection.
    if (res.headersSent) {
      next(error);
      return;
    }
    let problem = error instanceof HttpProblem ? error : (known(error) ?? fromExpress(error));
    if (problem === undefined) {
      log(
        `${service}: ${req.method} ${req.path} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      problem = new HttpProblem(500, `something went wrong on our side: the ${service} logs say what`);
    }
    res
      .status(problem.status)
      .set(problem.options.headers ?? {})
      .set("Cache-Control", "no-store")
      .type("application/problem+json")
      .send(JSON.stringify(problem.body(req.originalUrl)));
  };
}

// Express and its helpers (a malformed %-escape, res.sendFile) attach an HTTP status; a 4xx is the client's.
function fromExpress(error: unknown): HttpProblem | undefined {
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  if (typeof status !== "number" || status < 400 || status >= 500) return undefined;
  return new HttpProblem(status, STATUS_CODES[status] ?? "bad request");
}

/**
 * Validates a query string with a zod schema (the same schema the OpenAPI document is made from).
 * On failure: 400, naming each bad parameter, with the value echoed once and cut short.
 */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const given = typeof query === "object" && query !== null ? new Map(Object.entries(query)) : new Map();
  const params = result.error.issues.map((issue) => ({ name: issue.path.join("."), reason: issue.message }));
  const detail = params
    .map(
      ({ name, reason }) => `${name}: ${reason}${given.has(name) ? ` (got ${echo(given.get(name))})` : ""}`,
    )
    .join("; ");
  throw new HttpProblem(400, detail, {
    type: "/problems/invalid-parameters",
    title: "Invalid parameters",
    extensions: { invalid_params: params },
  });
}

/** For `router.route(path).get(…).all(onlyMethods("GET"))`: 405 with `Allow` for any other method. */
export function onlyMethods(...methods: string[]): RequestHandler {
  const allow = (methods.includes("GET") ? [...methods, "HEAD"] : methods).join(", ");
  return (req) => {
    throw new HttpProblem(405, `${req.method} is not allowed on ${req.path}: use ${allow}`, {
      headers: { Allow: allow },
    });
  };
}

/** After the routes: nothing matched. */
export function notFound(hint: string): RequestHandler {
  return (req) => {
    throw new HttpProblem(404, `there is no ${req.path} here: ${hint}`);
  };
}

/**
 * GET /healthz: the process is up (liveness: restart the container if not).
 * GET /readyz: the service can serve (readiness: send it no traffic until then): `ready` resolves,
 * or throws an HttpProblem saying what is missing, answered as it is (a 503).
 */
export function healthRoutes(ready: () => Promise<void> | void): Router {
  const router = Router();
  router
    .route("/healthz")
    .get((_req, res) => {
      res.set("Cache-Control", "no-store").json({ status: "ok" });
    })
    .all(onlyMethods("GET"));
  router
    .route("/readyz")
    .get(async (_req, res) => {
      await ready();
      res.set("Cache-Control", "no-store").json({ status: "ready" });
    })
    .all(onlyMethods("GET"));
  return router;
}

/**
 * Listens on `port` and logs where. A port that is taken stops the process with one line and exit 1.
 * Requests that Node cannot even parse (headers over its 16 KB limit: 431; bad syntax: 400) get a
 * problem body too, instead of Node's bare status line.
 */
export function serve(
  app: Express,
  service: string,
  port: number,
  log: (line: string) => void = console.error,
): Server {
  const server = createServer(app);
  server.on("clientError", answerClientError);
  server.once("error", (error) => {
    log(`${service}: cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, () => log(`${service}: listening on http://localhost:${port}`));
  return server;
}

// Node hands over the bytes it could not parse as `rawPacket`: they start with the method.
function answerClientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const detail =
    status === 431
      ? "the request's URL and headers are too large: keep them under 16 KB"
      : `the request could not be read: ${error.message}`;
  const body = JSON.stringify(new HttpProblem(status, detail).body());
  // The answer to a HEAD request has no body, even here (its bytes would read as a second answer).
  const head = error.rawPacket?.toString("latin1", 0, 5) === "HEAD ";
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${head ? "" : body}`,
  );
}

/**
 * Stops accepting connections, lets the requests in flight finish for up to `graceMs` (they may
 * be writing their 503), then closes whatever is still open (event streams never end by themselves).
 */
export async function closeServer(server: Server, graceMs = 500): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
