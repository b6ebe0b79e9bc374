import { type GpsRecord, GpsRecordSchema } from "@gps-workshop/shared";
import type { z } from "zod";
import {
  AverageSpeedSchema,
  ProblemSchema,
  type TaskAccepted,
  TaskAcceptedSchema,
  type TaskStatus,
  TaskStatusSchema,
} from "./api-responses.ts";

/**
 * Why a call to the API failed:
 * - "unreachable": no answer (connection refused, DNS, timeout);
 * - "problem": the API answered with an error (a problem+json), e.g. 503 "no GPS state yet";
 * - "invalid": the API answered something that is not what it should be.
 * The message is a sentence for the page, with the API's `detail` when there is one.
 */
export type ApiErrorKind = "unreachable" | "problem" | "invalid";

export class ApiError extends Error {
  override name = "ApiError";
  readonly kind: ApiErrorKind;
  /** The HTTP status, when the API answered. */
  readonly status: number | undefined;
  constructor(kind: ApiErrorKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

export interface ApiClientOptions {
  /** e.g. http://api:8000 */
  baseUrl: string;
  /** How long a quick call (state, task status) may take before it counts as unreachable. Default 2 s. */
  timeoutMs?: number;
}

/**
 * The web's only way to the data: HTTP calls to the API, never Redis. Each call has a timeout,
 * checks the answer against a schema, and fails with an ApiError that says what went wrong.
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #timeoutMs: number;

  constructor({ baseUrl, timeoutMs = 2000 }: ApiClientOptions) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = timeoutMs;
  }

  /** GET /gps_state: the latest record. */
  async gpsState(): Promise<GpsRecord> {
    return this.#call("GET", "/gps_state", GpsRecordSchema, { timeoutMs: this.#timeoutMs });
  }

  /**
   * GET /compute_avg_speed: the mean speed over the next `seconds` (as typed by the user; the API
   * validates it). Takes the whole window: the timeout is the window plus the usual timeout.
   * Aborting `signal` (the browser went away) cancels the call, and the API stops computing.
   */
  async computeAvgSpeed(seconds: string, signal?: AbortSignal): Promise<number> {
    const window = Number(seconds);
    const windowMs = Number.isFinite(window) && window > 0 ? Math.min(window, 86_400) * 1000 : 0;
    return this.#call("GET", `/compute_avg_speed?${windowQuery(seconds)}`, AverageSpeedSchema, {
      timeoutMs: windowMs + this.#timeoutMs,
      signal,
    });
  }

  /** POST /request_to_compute_avg_speed: starts a background task; answers at once. */
  async requestAvgSpeed(seconds: string): Promise<TaskAccepted> {
    return this.#call("POST", `/request_to_compute_avg_speed?${windowQuery(seconds)}`, TaskAcceptedSchema, {
      timeoutMs: this.#timeoutMs,
    });
  }

  /** GET /get_avg_speed_task_status: how a task is doing. */
  async taskStatus(taskId: string): Promise<TaskStatus> {
    const query = new URLSearchParams({ task_id: taskId });
    return this.#call("GET", `/get_avg_speed_task_status?${query}`, TaskStatusSchema, {
      timeoutMs: this.#timeoutMs,
    });
  }

  /** GET /readyz: resolves when the API says it is ready (it can reach Redis). */
  async ready(timeoutMs = 1000): Promise<void> {
    await this.#send("GET", "/readyz", { timeoutMs });
  }

  async #call<Schema extends z.ZodType>(
    method: string,
    path: string,
    schema: Schema,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<z.infer<Schema>> {
    const body = await this.#send(method, path, options);
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    const got = issue?.path.length ? valueAt(body, issue.path) : body;
    throw new ApiError(
      "invalid",
      `the API's answer to ${method} ${pathOnly(path)} is not what it should be: ` +
        `${where}${issue?.message ?? "invalid"} (got ${excerpt(JSON.stringify(got) ?? "nothing")})`,
    );
  }

  /** Sends the request; resolves to the parsed JSON of a 2xx answer, throws an ApiError otherwise. */
  async #send(
    method: string,
    path: string,
    { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = signal ? [timeout, signal] : [timeout];
    const what = `${method} ${pathOnly(path)}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: "application/json, application/problem+json" },
        signal: AbortSignal.any(signals),
      });
      text = await response.text();
    } catch (error) {
      const why = timeout.aborted ? `no answer within ${formatSeconds(timeoutMs)}` : failureReason(error);
      throw new ApiError("unreachable", `the API at ${this.baseUrl} cannot be reached (${what}: ${why})`);
    }
    const json = parseJson(text);
    if (response.ok) {
      if (json === undefined) {
        throw new ApiError(
          "invalid",
          `the API's answer to ${what} is not JSON: ${excerpt(text)}`,
          response.status,
        );
      }
      return json;
    }
    const problem = ProblemSchema.safeParse(json);
    const said = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
    throw new ApiError(
      "problem",
      said ?? `the API answered ${what} with HTTP ${response.status} ${response.statusText}`,
      response.status,
    );
  }
}

function windowQuery(seconds: string): URLSearchParams {
  return new URLSearchParams({ time_window_seconds: seconds });
}

function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** At most 60 characters of a value, to quote it in a message. */
function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** fetch fails with "fetch failed" and the real reason as its cause: ECONNREFUSED, ENOTFOUND… */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
