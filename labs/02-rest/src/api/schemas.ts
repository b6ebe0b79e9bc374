import { decimal } from "@gps-workshop/service/config";
import { GpsRecordSchema } from "@gps-workshop/shared";
import { z } from "zod";

/**
 * What the API accepts and answers. The routes validate their input with these schemas and
 * openapi.ts writes the OpenAPI document from the very same ones, so the two cannot disagree.
 */

/**
 * The shortest window, in seconds. Shorter ones (`5e-324` is a number too) would hold no state
 * change and measure nothing but the request itself.
 */
export const MIN_WINDOW_SECONDS = 0.1;

/** What is wrong with a query parameter: missing, given twice (it is then an array: `?a=1&a=2`), or `bad`. */
const queryError =
  (bad: string) =>
  ({ input }: { input?: unknown }) =>
    input === undefined ? "is required" : Array.isArray(input) ? "must be given once" : bad;

/** The query of both average-speed endpoints; the longest window comes from the configuration. */
export function windowQuery(maxSeconds: number) {
  const range = { min: MIN_WINDOW_SECONDS, max: maxSeconds };
  return z.object({
    time_window_seconds: z
      .string({ error: queryError("must be a number") })
      .pipe(decimal(range))
      .meta({
        description: `Length of the window in seconds, from ${range.min} to ${range.max}, in plain digits (\`10\`, \`2.5\`).`,
        // On the wire it is a string of digits; clients hold it as a number, and between these
        // bounds a number is always written in plain digits (no exponent).
        override: { type: "number", minimum: range.min, maximum: range.max },
        example: 10,
      }),
  });
}

export type WindowQuery = ReturnType<typeof windowQuery>;

export const TaskQuery = z.object({
  task_id: z
    .uuid({ error: queryError("must be a task id as returned by /request_to_compute_avg_speed (a UUID)") })
    .meta({ description: "The id that /request_to_compute_avg_speed returned." }),
});

export const GpsRecord = GpsRecordSchema.meta({
  id: "GpsRecord",
  description: "One GPS fix, in wire order.",
});

export const AverageSpeed = z.number().min(0).meta({
  id: "AverageSpeed",
  description: "Time-weighted mean speed over the window, in m/s.",
  example: 5.6,
});

export const TaskAccepted = z
  .object({
    task_id: z.uuid().meta({ description: "Where to ask: /get_avg_speed_task_status?task_id=…" }),
    status: z.literal("REQUESTED"),
  })
  .meta({ id: "TaskAccepted" });

export const TaskStatus = z
  .object({
    task_id: z.uuid(),
    status: z
      .enum(["REQUESTED", "RUNNING", "DONE", "FAILED"])
      .meta({ description: "Then RUNNING, then DONE or FAILED." }),
    time_window_seconds: z.number().meta({ description: "The window asked for, in seconds." }),
    result: z.number().optional().meta({ description: "When DONE: the mean speed, in m/s." }),
    error: z.string().optional().meta({ description: 'When FAILED: why, e.g. "interrupted".' }),
    requested_at: z.iso.datetime().meta({ description: "When it was requested (ISO 8601, UTC)." }),
    finished_at: z.iso.datetime().optional().meta({ description: "When it became DONE or FAILED." }),
  })
  .meta({ id: "TaskStatus" });

export type TaskStatus = z.infer<typeof TaskStatus>;

/** A task as kept in Redis: also when it should be over, to tell a task whose process died. */
export const StoredTask = TaskStatus.extend({ deadline_at: z.iso.datetime() });

export type StoredTask = z.infer<typeof StoredTask>;

export const Health = z.object({ status: z.literal("ok") }).meta({ id: "Health" });
export const Ready = z.object({ status: z.literal("ready") }).meta({ id: "Ready" });

/** Every error, as RFC 9457 problem details (`application/problem+json`). */
export const Problem = z
  .strictObject({
    type: z.string().meta({ description: "The kind of problem, e.g. /problems/invalid-parameters." }),
    title: z.string().meta({ description: "A short summary of the kind of problem." }),
    status: z.int().min(400).max(599).meta({ description: "The HTTP status code." }),
    detail: z.string().meta({ description: "What went wrong this time." }),
    instance: z.string().optional().meta({ description: "The request's URL (its first 200 characters)." }),
    invalid_params: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .optional()
      .meta({ description: "With a 400: each bad parameter and what is wrong with it." }),
  })
  .meta({ id: "Problem" });
