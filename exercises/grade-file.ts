import { z } from "zod";

/** What `npm run grade` writes at the repository's root, and collect-grades reads back. */
export const GRADE_FILE = "grade.json";

export const gradeSchema = z.object({
  exercises: z.array(
    z.object({
      id: z.string(),
      points: z.number(),
      max: z.number(),
      /** The names of the checks that failed (or, with an error, could not run). */
      failed: z.array(z.string()),
      /** What failed when the machine is at fault: then the exercise has no points. */
      error: z.string().optional(),
    }),
  ),
  total: z.object({ points: z.number(), max: z.number() }),
});
export type Grade = z.infer<typeof gradeSchema>;
export type ExerciseGrade = Grade["exercises"][number];
