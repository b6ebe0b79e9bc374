/**
 * The web's only way to the data: HTTP calls to the API, never Redis. The API is another service,
 * so its answers are input like any other: each is checked against a schema, and every failure
 * becomes an ApiError whose message is a sentence the page can show.
 */
import { echo } from "@gps-workshop/service/config";
import { z } from "zod";

/** A background task, as POST /request_to_compute_avg_speed (202) or the status route gives it. */
export const TaskSchema = z.object({
  task_id: z.uuid(),
  status: z.enum(["REQUESTED", "RUNNING", "DONE", "FAILED"]),
  time_window_seconds: z.number().optional(),
  result: z.number().optional(),
  error: z.string().optional(),
});

export type Task = z.infer<typeof TaskSchema>;

/** An RFC 9457 problem, the API's errors. Lenient, so that any problem still says something. */
const ProblemSchema = z.object({ title: z.string().optional(), detail: z.string().optional() });

/** Why a call failed. `status`: the API's HTTP status, undefined when it did not answer at all. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export type Api = ReturnType<typeof apiClient>;

/** Calls to the API at `baseUrl`; each gives up after `timeoutMs` unless told otherwise. */
export function apiClient(baseUrl: string, timeoutMs: number) {
  const base = baseUrl.replace(/\/+$/, "");

  /** `GET /gps_state` and the like: resolves to the answer's JSON as `schema` checks it. */
  async function call<Schema extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    schema: Schema,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<z.output<Schema>> {
    const what = `${method} ${path.split("?")[0]}`;
    const limitMs = options.timeoutMs ?? timeoutMs;
    const timeout = AbortSignal.timeout(limitMs);
    let response: Response;
    let text: string;
    try {
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      response = await fetch(`${base}${path}`, { method, headers: { accept: "application/json" }, signal });
      text = await response.text();
    } catch (error) {
      const why = timeout.aborted ? `no answer within ${limitMs / 1000} s` : failureReason(error);
      throw new ApiError(`the API at ${base} cannot be reached (${what}: ${why})`);
    }
    const body = parseJson(text);
    if (!response.ok) {
      const problem = ProblemSchema.safeParse(body).data;
      const said = problem?.detail ?? problem?.title ?? `HTTP ${response.status} to ${what}`;
      throw new ApiError(said, response.status);
    }
    if (body === undefined) {
      throw new ApiError(`the API's answer to ${what} is not JSON: ${echo(text)}`, response.status);
    }
    const result = schema.safeParse(body, { reportInput: true });
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ApiError(
      `the API's answer to ${what} is not what it should be: ${where}${issue?.message} (got ${echo(issue?.input)})`,
      response.status,
    );
  }

  return { baseUrl: base, call };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch fails with "fetch failed", the real reason in its cause: "connect ECONNREFUSED 127.0.0.1:8000"… */
function failureReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
