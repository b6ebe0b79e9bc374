import { z } from "zod";

/** A bad environment variable: the message is one line that names it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads a service's configuration from environment variables with a zod schema whose keys are
 * the variable names. Defaults live in the schema; the first bad value throws a ConfigError
 * such as `PORT: Too big: expected number to be <=65535 (got "70000")`.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  // An empty variable (`PORT=`) means "not set", as in most shells' ${VAR:-default}.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  const got = env[name] === undefined ? "" : ` (got ${JSON.stringify(env[name])})`;
  throw new ConfigError(`${name}: ${issue?.message ?? "invalid value"}${got}`);
}

/**
 * parseEnv for a service's main.ts: on a bad value, print the one line to stderr and exit 2
 * (the usual exit code for bad usage), instead of a stack trace.
 */
export function configFromEnv<Shape extends z.ZodRawShape>(
  service: string,
  shape: Shape,
): z.infer<z.ZodObject<Shape>> {
  try {
    return parseEnv(shape);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${service}: bad configuration: ${error.message}`);
    process.exit(2);
  }
}

/** Schema pieces for typical variables. */
export const env = {
  /** A TCP port, 1–65535. */
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  /** A finite number in [min, max]. */
  number: (fallback: number, min: number, max: number) =>
    z.coerce.number().min(min).max(max).default(fallback),
  /** A URL with one of the given schemes, e.g. redis: or http:. */
  url: (fallback: string, protocols: RegExp) => z.url({ protocol: protocols }).default(fallback),
  /** true/false, also written 1/0, yes/no, on/off. */
  boolean: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
        error: "expected true or false",
      })
      .transform((value) => ["true", "1", "yes", "on"].includes(value))
      .default(fallback),
  /** A non-empty string. */
  string: (fallback: string) => z.string().min(1).default(fallback),
};

/**
 * The variables of a service that talks to Redis, for a lab to spread into its `configFromEnv`
 * shape. The default works on localhost; compose sets REDIS_URL=redis://redis:6379.
 */
export const redisEnv = {
  REDIS_URL: env.url("redis://localhost:6379", /^rediss?$/),
  /** Put before every Redis key and channel, to share one Redis between several copies of a lab. */
  REDIS_KEY_PREFIX: z.string().default(""),
};
