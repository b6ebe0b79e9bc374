/**
 * Lab 02's web service, put together: security headers, health checks, the static files, the
 * templates, and the page's routes (routes.ts). It does not listen: main.ts does, and tests serve
 * the same app on a port of their own.
 */
import path from "node:path";
import { HttpProblem, healthRoutes, problemHandler } from "@gps-workshop/service/http";
import { CONTENT_SECURITY_POLICY, loadSharedPartials, staticFolders } from "@gps-workshop/shared/ui";
import { Eta } from "eta";
import express, { type ErrorRequestHandler, type Response } from "express";
import helmet from "helmet";
import { z } from "zod";
import { ApiError, apiClient } from "./api-client.ts";
import type { PageLimits } from "./page-sessions.ts";
import { pageRoutes } from "./routes.ts";

export interface WebOptions {
  /** Where the API is, e.g. http://api:8000. */
  apiUrl: string;
  /** How long a poll or a task's status may wait for the API. Default 2 s. */
  apiTimeoutMs?: number;
  /** Pages remembered at most (100), samples kept per page (3600), how long a silent page is kept (30 min). */
  sessions?: { maxPages?: number; maxSamples?: number; idleMs?: number };
  /** Compile each template once (default); off in development, so that an edited one shows on reload. */
  cacheTemplates?: boolean;
  /** Milliseconds since the epoch; tests pass a clock they move. */
  now?: () => number;
  log?: (line: string) => void;
}

export type Web = ReturnType<typeof createApp>;

export function createApp(options: WebOptions) {
  const { apiTimeoutMs = 2000, cacheTemplates = true, now = Date.now, log = console.error } = options;
  const api = apiClient(options.apiUrl, apiTimeoutMs);
  // The templates: this service's own (views/), and the widgets shared with lab 03 ("@state-card"…).
  // Everything is escaped (`<%= %>`); `<%~ %>` only ever includes another template.
  const views = new Eta({
    views: path.join(import.meta.dirname, "views"),
    autoEscape: true,
    cache: cacheTemplates,
  });
  loadSharedPartials(views);
  const send = (res: Response, view: string, data: object, status = 200) => {
    res.status(status).type("html").set("Cache-Control", "no-store").send(views.render(view, data));
  };
  const shutdown = new AbortController();

  const app = express();
  // A strict Content-Security-Policy: no inline script, no eval, nothing from elsewhere but map tiles.
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: cspDirectives() } }));
  app.use(
    // GET /healthz: the process is up. GET /readyz: the API says it is ready, or a 503 problem says why not.
    healthRoutes(async () => {
      try {
        await api.call("GET", "/readyz", z.unknown());
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        throw new HttpProblem(503, `the web cannot serve its pages: ${error.message}`, {
          type: "/problems/api-unavailable",
          title: "API unavailable",
        });
      }
    }),
    problemHandler("web", undefined, log),
  );
  // htmx, Leaflet, the shared stylesheet and scripts: all from here, so the workshop works offline.
  for (const { mount, folder } of staticFolders(import.meta.url)) {
    app.use(mount, express.static(folder, { index: false }));
  }
  app.use(express.urlencoded({ extended: false, limit: "4kb" }));
  const sessions = sessionLimits(options);
  app.use(pageRoutes({ api, send, apiTimeoutMs, sessions, shutdown: shutdown.signal, now, log }));
  app.use((req, res) => send(res, "not-found", { path: req.path }, 404));
  app.use(errorFragment);

  /** A bug is logged with its stack, and the browser gets a sentence; a body Express cannot parse is the client's error. */
  function errorFragment(...[error, req, res, next]: Parameters<ErrorRequestHandler>) {
    if (res.headersSent) return next(error);
    const given: unknown = error?.status;
    const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
    if (status === 500) log(`web: ${req.method} ${req.originalUrl} failed: ${error?.stack ?? error}`);
    const message =
      status === 500
        ? "Something went wrong in the web service: its log says what."
        : "This request is malformed.";
    send(res, "poll", { banner: { tone: "error", message } }, status);
  }

  /** Ends the blocking requests in progress (they answer 503): call it before closing the server. */
  return { app, close: () => shutdown.abort() };
}

function sessionLimits({ sessions = {} }: WebOptions): PageLimits {
  const { maxPages = 100, maxSamples = 3600, idleMs = 30 * 60_000 } = sessions;
  return { maxPages, maxSamples, idleMs };
}

/** The labs' Content-Security-Policy as helmet takes it: "script-src 'self'" → { "script-src": ["'self'"] }. */
function cspDirectives(): Record<string, string[]> {
  return Object.fromEntries(
    CONTENT_SECURITY_POLICY.split(/;\s*/).map((directive) => {
      const [name = "", ...values] = directive.split(" ");
      return [name, values];
    }),
  );
}
