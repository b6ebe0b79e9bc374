import type { z } from "zod";
import { invalidParams } from "./problem.ts";

/**
 * Validates a request's query string with a schema from schemas.ts. On failure, throws a 400
 * problem that names each bad parameter and says what it should be.
 */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.infer<Schema> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const given = typeof query === "object" && query !== null ? (query as Record<string, unknown>) : {};
  const params = result.error.issues.map((issue) => ({ name: issue.path.join("."), reason: issue.message }));
  const detail = params
    .map(({ name, reason }) => {
      const value = given[name];
      return value === undefined ? `${name} ${reason}` : `${name} ${reason} (got ${JSON.stringify(value)})`;
    })
    .join("; ");
  throw invalidParams(params, detail);
}
