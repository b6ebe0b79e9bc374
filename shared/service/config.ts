/**
 * Configuration from environment variables, checked with zod. A service lists its variables and
 * their defaults in one object; a bad value stops it with one line that names the variable:
 *
 *   api: bad configuration: PORT: expected a whole number from 1 to 65535 (got "70000")
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** A bad environment variable: the message is one line that names it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A command line that cannot run as typed: the message is one line, for stderr, with exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses `env` with a zod shape whose keys are the variable names. An empty variable (`PORT=`)
 * counts as unset, as in the shell's `${PORT:-8000}`. Throws a ConfigError naming the first bad one.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  const value = env[name];
  throw new ConfigError(
    `${name}: ${issue?.message ?? "invalid value"}${value ? ` (got ${echo(value)})` : ""}`,
  );
}

/** parseEnv for a service's main.ts: a bad value prints one line and exits 2 (bad usage), no stack trace. */
export function readEnv<Shape extends z.ZodRawShape>(
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

/**
 * A number written the plain way, `12` or `2.5`: no hex (`0x10`), no exponent (`5e-324`), no
 * spaces, nothing that `Number()` would quietly accept. Used for variables and query strings alike.
 */
export function decimal({ min, max, integer = false }: { min: number; max: number; integer?: boolean }) {
  const pattern = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const kind = integer ? "a whole number" : "a number";
  return z
    .string()
    .regex(pattern, `expected ${kind} from ${min} to ${max}, written with digits only`)
    .transform(Number)
    .pipe(z.number().min(min, `expected ${kind} >= ${min}`).max(max, `expected ${kind} <= ${max}`));
}

/** Schema pieces for the usual variables; each takes its default. */
export const env = {
  port: (fallback: number) => decimal({ min: 1, max: 65_535, integer: true }).default(fallback),
  integer: (fallback: number, min: number, max: number) =>
    decimal({ min, max, integer: true }).default(fallback),
  number: (fallback: number, min: number, max: number) => decimal({ min, max }).default(fallback),
  string: (fallback: string) => z.string().default(fallback),
  /** true/false, also written 1/0, yes/no, on/off. */
  boolean: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { error: "expected true or false" })
      .transform((value) => ["true", "1", "yes", "on"].includes(value))
      .default(fallback),
  url: (fallback: string, protocol: RegExp) => z.url({ protocol }).default(fallback),
  /**
   * A path to a file holding a secret, as Docker and Kubernetes mount them (`/run/secrets/…`);
   * the value is the file's content without the final newline. Unset: undefined.
   */
  secretFile: () =>
    z
      .string()
      .transform((file, context) => {
        try {
          return readFileSync(file, "utf8").replace(/\r?\n$/, "");
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          context.addIssue({ code: "custom", message: `cannot read the file: ${reason}` });
          return z.NEVER;
        }
      })
      .optional(),
};

/**
 * The variables of every service that talks to Redis. The defaults work on localhost; compose
 * sets REDIS_URL=redis://redis:6379, and a stack with a password sets REDIS_PASSWORD_FILE.
 */
export const redisEnv = {
  REDIS_URL: env.url("redis://localhost:6379", /^rediss?$/),
  /** Put before every key and channel, so that several copies of a lab can share one Redis. */
  REDIS_KEY_PREFIX: env.string(""),
  REDIS_PASSWORD_FILE: env.secretFile(),
};

/** A value quoted for a one-line message, cut short: a 9 KB value must not make a 9 KB message. */
export function echo(value: unknown, max = 40): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
