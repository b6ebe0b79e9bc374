import { formatSpeed } from "@gps-workshop/shared/ui";
import type { Eta } from "eta";
import { Router } from "express";
import { z } from "zod";
import { type ApiClient, ApiError } from "../api-client.ts";
import type { TaskStatus } from "../api-responses.ts";
import { sendHtml } from "../send-html.ts";
import { textField } from "../text-field.ts";

export interface AveragesOptions {
  views: Eta;
  api: ApiClient;
  /** Aborted when the web shuts down: the blocking requests in progress give up. */
  shutdown: AbortSignal;
}

const TaskIdSchema = z.uuid();

/**
 * The mean speed over a window, both ways. POST /tasks relays the request for a background task
 * to the API and answers at once; GET /tasks/:id relays the task's status. GET /avg-speed relays
 * the blocking request: it answers when the API does, at the end of the window.
 */
export function averagesRoutes({ views, api, shutdown }: AveragesOptions): Router {
  const router = Router();
  const renderTask = (data: { task?: TaskView; problem?: string; poll: boolean }) =>
    views.render("task-status", { task: undefined, problem: undefined, ...data });

  router.post("/tasks", async (req, res) => {
    // The window goes to the API as typed: the API validates it, and its 400 says what is wrong.
    const seconds = textField(req.body, "seconds");
    const started = performance.now();
    try {
      const accepted = await api.requestAvgSpeed(seconds);
      const acceptedIn = `${Math.round(performance.now() - started)} ms`;
      const task = { ...taskView({ ...accepted, time_window_seconds: Number(seconds) }), acceptedIn };
      sendHtml(res, renderTask({ task, poll: true }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendHtml(res, renderTask({ problem: `The task was not started: ${error.message}.`, poll: false }));
    }
  });

  router.get("/tasks/:id", async (req, res) => {
    const id = TaskIdSchema.safeParse(req.params.id);
    if (!id.success) {
      sendHtml(res, renderTask({ problem: "This is not a task id.", poll: false }), 404);
      return;
    }
    try {
      const status = await api.taskStatus(id.data);
      const over = status.status === "DONE" || status.status === "FAILED";
      sendHtml(res, renderTask({ task: taskView(status), poll: !over }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Unreachable or unavailable (503) is temporary: keep asking. Another error (404: expired) is final.
      const poll = error.kind === "unreachable" || error.status === 503;
      const problem = poll ? `${error.message}: asking again in a second.` : `${error.message}.`;
      sendHtml(res, renderTask({ task: pendingView(id.data), problem, poll }));
    }
  });

  router.get("/avg-speed", async (req, res) => {
    const seconds = textField(req.query, "seconds");
    // A browser that gives up (reload, closed tab) no longer wants the answer: stop the API's computation.
    const browserGone = new AbortController();
    res.once("close", () => browserGone.abort());
    const started = performance.now();
    try {
      const speed = await api.computeAvgSpeed(seconds, AbortSignal.any([browserGone.signal, shutdown]));
      const waited = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      const result = { speed: formatSpeed(speed), window: `${seconds} s`, waited };
      sendHtml(res, views.render("blocking-result", { result }));
    } catch (error) {
      if (browserGone.signal.aborted) return;
      if (shutdown.aborted) {
        sendHtml(res, views.render("blocking-result", { problem: "The web service is shutting down." }), 503);
        return;
      }
      if (!(error instanceof ApiError)) throw error;
      sendHtml(res, views.render("blocking-result", { problem: `No answer: ${error.message}.` }));
    }
  });

  return router;
}

/** A task as the task-status template shows it. */
interface TaskView {
  id: string;
  status: string;
  window: string;
  acceptedIn?: string;
  result?: string;
  error?: string;
}

function taskView(
  task: Pick<TaskStatus, "task_id" | "status" | "time_window_seconds" | "result" | "error">,
): TaskView {
  return {
    id: task.task_id,
    status: task.status,
    window: Number.isFinite(task.time_window_seconds) ? `${task.time_window_seconds} s` : "—",
    result: task.result === undefined ? undefined : formatSpeed(task.result),
    error: task.error,
  };
}

function pendingView(id: string): TaskView {
  return { id, status: "unknown", window: "—" };
}
