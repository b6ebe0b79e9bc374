import { z } from "zod";

/** How often a page asks the API for the state, in whole seconds (the course's number input). */
export const POLL_PERIOD = { default: 5, min: 1, max: 60 } as const;

const PollPeriodSchema = z.coerce.number().int().min(POLL_PERIOD.min).max(POLL_PERIOD.max);

/** The period typed into the form, or undefined when it is not a whole number from 1 to 60. */
export function parsePollPeriod(input: string): number | undefined {
  if (input.trim() === "") return undefined;
  const result = PollPeriodSchema.safeParse(input);
  return result.success ? result.data : undefined;
}
