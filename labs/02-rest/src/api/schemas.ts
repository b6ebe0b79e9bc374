import { z } from "zod";

/**
 * The shapes of what the API accepts and returns. The routes validate their input with these
 * schemas and openapi.ts describes the API from the very same ones, so the documentation cannot
 * drift from what the code enforces.
 */

/**
 * A query parameter, which arrives as a string (as an array when given twice: `?a=1&a=2`).
 * `expected` says what it should be, e.g. "a number of seconds…", for the error messages.
 */
const queryParameter = (expected: string) =>
  z.string({
    error: (issue) => `${issue.input === undefined ? "is required" : "must be given once"}: ${expected}`,
  });

/** The query of the two avg-speed endpoints; `maxSeconds` comes from the configuration. */
export function windowQuerySchema(maxSeconds: number) {
  const expected = `a number of seconds greater than 0 and at most ${maxSeconds}`;
  const reason = `must be ${expected}`;
  return z.object({
    time_window_seconds: queryParameter(expected)
      .pipe(
        z.coerce
          .number<string>({ error: reason })
          .gt(0, { error: reason })
          .max(maxSeconds, { error: reason }),
      )
      .describe(`Length of the window, in seconds: greater than 0, at most ${maxSeconds}.`),
  });
}

export type WindowQuerySchema = ReturnType<typeof windowQuerySchema>;

export const TaskQuerySchema = z.object({
  task_id: queryParameter("the task_id returned by /request_to_compute_avg_speed")
    .pipe(z.uuid({ error: "must be a task id as returned by /request_to_compute_avg_speed (a UUID)" }))
    .describe("The id returned by /request_to_compute_avg_speed."),
});

export const AverageSpeedSchema = z
  .number()
  .min(0)
  .describe("Time-weighted mean speed over the window, in metres per second.");

export const TASK_STATUSES = ["REQUESTED", "RUNNING", "DONE", "FAILED"] as const;

export const TaskAcceptedSchema = z.object({
  task_id: z.uuid().describe("Where to ask for the result: /get_avg_speed_task_status?task_id=…"),
  status: z.literal("REQUESTED"),
});

export const TaskStatusSchema = z.object({
  task_id: z.uuid(),
  status: z.enum(TASK_STATUSES).describe("REQUESTED, then RUNNING, then DONE or FAILED."),
  time_window_seconds: z.number().describe("The window that was asked for, in seconds."),
  result: z.number().optional().describe("When DONE: the mean speed in metres per second."),
  error: z.string().optional().describe('When FAILED: why, e.g. "interrupted".'),
  requested_at: z.iso.datetime().describe("When the task was requested (ISO 8601, UTC)."),
  finished_at: z.iso.datetime().optional().describe("When it became DONE or FAILED (ISO 8601, UTC)."),
});

export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** A task as kept in Redis: its status, and when it should be over, to tell a dead task. */
export const StoredTaskSchema = TaskStatusSchema.extend({ deadline_at: z.iso.datetime() });

export type StoredTask = z.infer<typeof StoredTaskSchema>;

export const HealthSchema = z.object({ status: z.literal("ok") });

export const InvalidParamSchema = z.object({
  name: z.string().describe("The parameter, e.g. time_window_seconds."),
  reason: z.string().describe('What is wrong with it, e.g. "is required".'),
});

export type InvalidParam = z.infer<typeof InvalidParamSchema>;

/** An error, as RFC 9457 "Problem Details for HTTP APIs" (`application/problem+json`). */
export const ProblemSchema = z.object({
  type: z.string().describe("A URI reference naming the kind of problem, e.g. /problems/invalid-parameters."),
  title: z.string().describe("A short summary of the kind of problem."),
  status: z.number().int().min(400).max(599).describe("The HTTP status code."),
  detail: z.string().describe("What went wrong this time, for a human."),
  instance: z.string().optional().describe("The request that went wrong."),
  invalid_params: z.array(InvalidParamSchema).optional().describe("With status 400: the bad parameters."),
});

export type Problem = z.infer<typeof ProblemSchema>;
