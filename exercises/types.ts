import { z } from "zod";

export interface Exercise {
  id: string; // "lab02.gps-state": /^lab0\d\.[a-z0-9-]+$/, unique
  lab: "01" | "02" | "03" | "04";
  title: string; // "GET /gps_state and its errors"
  task: string; // what to write, 1–3 sentences, shown by the runner under "Next:"
  points: number; // sum of its checks' points
  files: string[]; // files the student edits, repo-relative; each holds the exercise's region(s)
  hints: string[]; // 1 to 3, from gentle to nearly the answer
  needs: "node" | "redis" | "docker"; // what its checks need: node only, a Redis (Testcontainers or the
  // runner's shared REDIS_URL), or images/compose
  checks: Check[];
}
export interface Check {
  file: string; // a vitest test file, repo-relative, e.g. "labs/02-rest/test/exercises/gps-state.test.ts"
  name: string; // the test's full name as vitest reports it: describe titles and test title joined by " > "
  points: number; // > 0
  hidden?: boolean; // true: only in the instructor's copy; its file must be a `*.hidden.test.ts`
}

const ID = /^lab0\d\.[a-z0-9-]+$/;

/** The shape of one check, as the list is validated at load. */
export const checkSchema = z.strictObject({
  file: z
    .string()
    .regex(
      /^labs\/[^/]+\/test\/exercises\/[^/]+\.test\.ts$/,
      "a check file lives in labs/<lab>/test/exercises/",
    ),
  name: z.string().min(1),
  points: z.number().int().positive(),
  hidden: z.boolean().optional(),
}) satisfies z.ZodType<Check>;

/** The shape of one exercise; list.ts checks what a shape cannot (files, totals, unique ids). */
export const exerciseSchema = z.strictObject({
  id: z.string().regex(ID, "an id reads lab0N.some-name"),
  lab: z.enum(["01", "02", "03", "04"]),
  title: z.string().min(1),
  task: z.string().min(1),
  points: z.number().int().positive(),
  files: z.array(z.string().min(1)).min(1),
  hints: z.array(z.string().min(1)).min(1).max(3),
  needs: z.enum(["node", "redis", "docker"]),
  checks: z.array(checkSchema).min(1),
}) satisfies z.ZodType<Exercise>;
