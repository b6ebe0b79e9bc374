import type { Eta } from "eta";
import express, { type ErrorRequestHandler, type Express } from "express";
import { ApiClient, type ApiError } from "./api-client.ts";
import { PageSessions, type PageSessionsOptions } from "./page-sessions.ts";
import { averagesRoutes } from "./routes/averages.ts";
import { healthRoutes } from "./routes/health.ts";
import { livePageRoutes } from "./routes/live-page.ts";
import { securityHeaders } from "./security-headers.ts";
import { sendHtml } from "./send-html.ts";
import { staticAssets } from "./static-assets.ts";
import { createViews } from "./views.ts";

/** The defaults of the options below. */
export const WEB_DEFAULTS = {
  apiTimeoutMs: 2000,
  sessions: { maxSessions: 100, maxSamples: 3600, idleMs: 30 * 60_000 },
};

export interface WebOptions {
  /** Where the API is, e.g. http://api:8000. The web's only source of data. */
  apiUrl: string;
  /** How long a quick API call (state, task status) may take. */
  apiTimeoutMs?: number;
  /** How many pages, and how many samples each, the web remembers. */
  sessions?: Partial<PageSessionsOptions>;
  /** Compile each template once. Default true; off in development, so that edits show on reload. */
  cacheTemplates?: boolean;
  /** Where the web writes its log lines. Default: stderr. */
  log?: (line: string) => void;
}

export interface Web {
  app: Express;
  /** Ends the blocking requests in progress (they answer 503); call it before closing the server. */
  close(): void;
}

/** Builds the web service. It does not listen: main.ts (or a test) does. */
export function createApp(options: WebOptions): Web {
  const { apiUrl, apiTimeoutMs = WEB_DEFAULTS.apiTimeoutMs, cacheTemplates = true } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const api = new ApiClient({ baseUrl: apiUrl, timeoutMs: apiTimeoutMs });
  const sessions = new PageSessions({ ...WEB_DEFAULTS.sessions, ...options.sessions });
  const views = createViews(cacheTemplates);
  const shutdown = new AbortController();

  // One log line when the API stops answering the polls, one when it is back: not one per poll.
  let apiProblem: string | undefined;
  const onApiChange = (error: ApiError | undefined) => {
    if (error && apiProblem === undefined) log(`web: polls fail: ${error.message}`);
    if (!error && apiProblem !== undefined) log("web: the API answers again");
    apiProblem = error?.message;
  };

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(securityHeaders);
  app.use(staticAssets());
  app.use(express.urlencoded({ extended: false, limit: "4kb" }));
  app.use(livePageRoutes({ views, api, sessions, now: Date.now, onApiChange }));
  app.use(averagesRoutes({ views, api, shutdown: shutdown.signal }));
  app.use(healthRoutes(api));
  app.use((req, res) => {
    sendHtml(res, views.render("not-found", { path: req.path }), 404);
  });
  app.use(errorPage(views, log));

  return { app, close: () => shutdown.abort() };
}

/**
 * The last resort: an error nobody expected (a bug) is logged with its stack, and the browser gets
 * a short fragment rather than a stack trace. A body that cannot be parsed is the client's error.
 */
function errorPage(views: Eta, log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // Express's body parser marks what it rejects with a 4xx status.
    const given = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
    const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
    if (status === 500) log(`web: ${req.method} ${req.originalUrl} failed: ${errorText(error)}`);
    const message =
      status === 500
        ? "Something went wrong in the web service: its log says what."
        : "This request is malformed.";
    sendHtml(res, views.render("@status-banner", { banner: { tone: "error", message } }), status);
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
