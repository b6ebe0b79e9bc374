import { z } from "zod";

/**
 * What the web expects from the API, checked on arrival: the API is another service, and its
 * answers are input like any other. Only the fields the pages use are described.
 */

export const TASK_STATUSES = ["REQUESTED", "RUNNING", "DONE", "FAILED"] as const;

export const TaskAcceptedSchema = z.object({
  task_id: z.uuid(),
  status: z.enum(TASK_STATUSES),
});

export type TaskAccepted = z.infer<typeof TaskAcceptedSchema>;

export const TaskStatusSchema = z.object({
  task_id: z.uuid(),
  status: z.enum(TASK_STATUSES),
  time_window_seconds: z.number(),
  result: z.number().optional(),
  error: z.string().optional(),
  requested_at: z.string(),
  finished_at: z.string().optional(),
});

export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const AverageSpeedSchema = z.number().min(0);

/** An RFC 9457 problem: the API's errors. Lenient, so that any problem still says something. */
export const ProblemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
});
