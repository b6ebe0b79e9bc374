/**
 * The page and what its htmx asks for. Every piece of data comes from the API over HTTP
 * (api-client.ts), never from Redis; the answers are HTML, the page or fragments that htmx swaps
 * in by id (views/).
 *
 *   GET  /           the page, with a random page id of its own
 *   GET  /poll       every period: GET /gps_state from the API, add it to the page's samples, answer the widgets
 *   POST /period     how often the page polls (1-60 s)
 *   POST /tasks      the non-blocking average: the API starts a task and answers at once
 *   GET  /tasks/:id  the task's status: the page asks every second until DONE or FAILED
 *   GET  /avg-speed  the blocking average: answers when the API does, at the end of the window
 */
import { randomUUID } from "node:crypto";
import { decimal } from "@gps-workshop/service/config";
import { GpsRecordSchema } from "@gps-workshop/shared";
import { dashboardView, formatSpeed, formatTimeOfDay } from "@gps-workshop/shared/ui";
import { type Response, Router } from "express";
import { z } from "zod";
import { type Api, ApiError, type Task, TaskSchema } from "./api-client.ts";
import { type PageLimits, pageSessions } from "./page-sessions.ts";

export interface PageOptions {
  api: Api;
  /** Renders a template into the response, never to be cached: it is all live. */
  send: (res: Response, view: string, data: object, status?: number) => void;
  /** How long a poll or a task's status may wait for the API. */
  apiTimeoutMs: number;
  sessions: PageLimits;
  /** Aborted when the web shuts down: the blocking requests in progress give up. */
  shutdown: AbortSignal;
  /** Milliseconds since the epoch. */
  now: () => number;
  log: (line: string) => void;
}

type Banner = { tone: "ok" | "warning" | "error"; message: string };

const DEFAULT_PERIOD = 5;
const PeriodSchema = decimal({ min: 1, max: 60, integer: true });
const PollQuerySchema = z.object({ page: z.uuid(), period: PeriodSchema });

export function pageRoutes({ api, send, apiTimeoutMs, sessions: limits, shutdown, now, log }: PageOptions) {
  const router = Router();
  const sessions = pageSessions(limits, now);
  const waiting = (period: number): Banner => ({
    tone: "warning",
    message: `Asking the API for the state every ${period} s…`,
  });
  const malformed = (res: Response, what: string) => {
    const banner = { tone: "error", message: `This ${what} is malformed: reload the page.` };
    send(res, "poll", { banner }, 400);
  };

  // The page. Its session starts with its first poll: loading the page stores nothing.
  router.get("/", (_req, res) => {
    const period = DEFAULT_PERIOD;
    const page = { pageId: randomUUID(), period, periodInput: String(period), apiUrl: api.baseUrl };
    const widgets = { banner: waiting(period), dashboard: dashboardView([]), note: pollingLesson(period) };
    send(res, "page", { ...page, ...widgets });
  });

  // The page polls: the web asks the API for the state, and answers the banner and every widget.
  let apiDown = false;
  router.get("/poll", async (req, res) => {
    const query = PollQuerySchema.safeParse(req.query);
    if (!query.success) return malformed(res, "poll");
    const session = sessions.resume(query.data.page, query.data.period);
    try {
      sessions.addSample(session, await api.call("GET", "/gps_state", GpsRecordSchema));
      if (apiDown) log("web: the API answers again");
      apiDown = false;
      const at = formatTimeOfDay(now() / 1000);
      const message = `Last answer from the API at ${at} UTC; asking again every ${session.period} s.`;
      const widgets = { dashboard: dashboardView(session.samples), note: pollingLesson(session.period) };
      send(res, "poll", { banner: { tone: "ok", message }, ...widgets });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!apiDown) log(`web: polls fail: ${error.message}`);
      apiDown = true;
      // Still a 200: the page's news is that the API does not answer. Its widgets keep the last state.
      send(res, "poll", { banner: failedBanner(error, session.period) });
    }
  });

  // A new period: the answer is the form again and, when the period is valid, a new poller (out of band).
  router.post("/period", (req, res) => {
    const page = z.uuid().safeParse(req.body?.page);
    if (!page.success) return malformed(res, "form");
    const session = sessions.resume(page.data, DEFAULT_PERIOD);
    const typed = text(req.body.period);
    const period = PeriodSchema.safeParse(typed);
    const form = { pageId: page.data, periodInput: typed };
    if (!period.success) {
      const error =
        `The period must be a whole number of seconds from 1 to 60 (got ${JSON.stringify(typed)}): ` +
        `the page keeps asking every ${session.period} s.`;
      return send(res, "period-form", { ...form, period: session.period, error }, 422);
    }
    session.period = period.data;
    send(res, "period-form", { ...form, period: period.data, banner: waiting(period.data), oobPoller: true });
  });

  // Non-blocking: the API answers at once (202) with a task id; the fragment then asks for its status.
  router.post("/tasks", async (req, res) => {
    // The window goes to the API as typed: the API validates it, and its 400 says what is wrong.
    const seconds = text(req.body?.seconds);
    const started = performance.now();
    try {
      const task = await api.call(
        "POST",
        `/request_to_compute_avg_speed?${windowQuery(seconds)}`,
        TaskSchema,
      );
      const acceptedIn = `${Math.round(performance.now() - started)} ms`;
      // The 202 says only the id and the status: the window is the one asked for.
      send(res, "task-status", {
        task: taskView({ time_window_seconds: Number(seconds), ...task }),
        acceptedIn,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(res, "task-status", { problem: `The task was not started: ${error.message}.` });
    }
  });

  router.get("/tasks/:id", async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) return send(res, "task-status", { problem: "This is not a task id." }, 404);
    try {
      const task = await api.call("GET", `/get_avg_speed_task_status?task_id=${id.data}`, TaskSchema);
      send(res, "task-status", { task: taskView(task) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // No answer, or a 503, is temporary: keep asking. Another error (404: the task expired) is final.
      const again = error.status === undefined || error.status === 503;
      const problem = again ? `${error.message}: asking again in a second.` : `${error.message}.`;
      send(res, "task-status", { pollId: again ? id.data : undefined, problem });
    }
  });

  // Blocking: one request held open for the whole window; the web answers when the API does.
  router.get("/avg-speed", async (req, res) => {
    const seconds = text(req.query.seconds);
    // A browser that gives up (reload, closed tab) no longer wants the answer: the API stops computing.
    const browserGone = new AbortController();
    res.once("close", () => browserGone.abort());
    const windowMs = Math.min(Math.max(Number(seconds) || 0, 0), 86_400) * 1000;
    const started = performance.now();
    try {
      const speed = await api.call("GET", `/compute_avg_speed?${windowQuery(seconds)}`, z.number().min(0), {
        timeoutMs: windowMs + apiTimeoutMs,
        signal: AbortSignal.any([browserGone.signal, shutdown]),
      });
      const waited = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      send(res, "blocking-result", { result: { speed: formatSpeed(speed), window: `${seconds} s`, waited } });
    } catch (error) {
      if (browserGone.signal.aborted) return;
      if (shutdown.aborted) {
        return send(res, "blocking-result", { problem: "The web service is shutting down." }, 503);
      }
      if (!(error instanceof ApiError)) throw error;
      send(res, "blocking-result", { problem: `No answer: ${error.message}.` });
    }
  });

  return router;
}

/** A failed poll. A 503 is a warning: the API works but has nothing to give (no state yet, Redis down). */
function failedBanner(error: ApiError, period: number): Banner {
  const again = `Trying again in ${period} s.`;
  if (error.status === 503) {
    return {
      tone: "warning",
      message: `The API cannot give the state right now (503: ${error.message}). ${again}`,
    };
  }
  const said =
    error.status && error.status >= 400 ? `The API answered with an error (${error.status}): ` : "";
  const message = `${said}${error.message}`;
  return { tone: "error", message: `${message.charAt(0).toUpperCase()}${message.slice(1)}. ${again}` };
}

/** The sentence under the table: what polling costs, for the period in force. */
function pollingLesson(period: number): string {
  if (period === 1) {
    return (
      "Asking every second, as often as the replayer writes (at REPLAY_SPEED=1), shows about every " +
      "record: at the price of a request every second, whether anything changed or not."
    );
  }
  return (
    `Asking every ${period} s while the replayer writes a record every second (at REPLAY_SPEED=1) shows ` +
    `about one record in ${period}: whatever happens in between never reaches this page. That is the price of polling.`
  );
}

function taskView(task: Task) {
  return {
    ...task,
    window: task.time_window_seconds === undefined ? "—" : `${task.time_window_seconds} s`,
    result: task.result === undefined ? undefined : formatSpeed(task.result),
  };
}

function windowQuery(seconds: string): URLSearchParams {
  return new URLSearchParams({ time_window_seconds: seconds });
}

/** One text field of a form or a query string: "" when it is missing, or was sent twice (`?a=1&a=2`). */
function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
