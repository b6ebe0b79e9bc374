import { decimal } from "@gps-workshop/service/config";
import { GpsRecordSchema } from "@gps-workshop/shared";
import { z } from "zod";

// What the API accepts and answers. The routes validate their input with these schemas, and
// openapi.ts writes the OpenAPI document from the very same ones: the two cannot disagree.

/** The shortest window, in seconds: a shorter one (`5e-324` is a number too) would measure nothing. */
export const MIN_WINDOW_SECONDS = 0.1;

/** What is wrong with a query parameter: missing, given twice (then it is an array), or `bad`. */
const queryError = (bad: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : Array.isArray(issue.input) ? "must be given once" : bad;

/** The query of both average-speed endpoints; the longest window comes from the configuration. */
export function windowQuery(max: number) {
  const min = MIN_WINDOW_SECONDS;
  const time_window_seconds = z
    .string({ error: queryError("must be a number") })
    .pipe(decimal({ min, max }))
    .meta({
      description: `The window in seconds, from ${min} to ${max}, in plain digits (\`10\`, \`2.5\`).`,
      // Sent as a string of digits, documented as the number it is: between these bounds, a client
      // writes any number in plain digits (no exponent).
      override: { type: "number", minimum: min, maximum: max },
      example: 10,
    });
  return z.object({ time_window_seconds });
}
export type WindowQuery = ReturnType<typeof windowQuery>;

export const TaskQuery = z.object({
  task_id: z.uuid({
    error: queryError("must be a task id as returned by /request_to_compute_avg_speed (a UUID)"),
  }),
});

export const GpsRecord = GpsRecordSchema.meta({ id: "GpsRecord", description: "A GPS fix, in wire order." });
export const AverageSpeed = z.number().min(0).meta({ id: "AverageSpeed", example: 5.6 });
export const TaskAccepted = z
  .object({ task_id: z.uuid(), status: z.literal("REQUESTED") })
  .meta({ id: "TaskAccepted" });
export const TaskStatus = z
  .object({
    task_id: z.uuid(),
    status: z.enum(["REQUESTED", "RUNNING", "DONE", "FAILED"]),
    time_window_seconds: z.number(),
    result: z.number().optional().meta({ description: "When DONE: the mean speed, in m/s." }),
    error: z.string().optional().meta({ description: 'When FAILED: why, e.g. "interrupted".' }),
    requested_at: z.iso.datetime(),
    finished_at: z.iso.datetime().optional(),
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
    type: z.string(),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().meta({ description: "What went wrong this time." }),
    instance: z.string().optional().meta({ description: "The request's URL (its first 200 characters)." }),
    invalid_params: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
