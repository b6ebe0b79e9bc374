/** The environment, as `process.env` gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A bad environment variable; the message names it and says what it should be. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ListenerConfig {
  port: number;
  /** Append the lines to this file instead of printing them (the listen-and-dump variant). */
  outputFile: string | undefined;
}

export interface PublisherConfig {
  listenerHost: string;
  listenerPort: number;
  name: string;
  intervalMs: number;
}

export interface ReaderConfig {
  inputFile: string;
}

const DEFAULT_PORT = 12345;

/** The file the listen-and-dump listener writes and the reader follows, on the shared volume. */
const DEFAULT_MESSAGES_FILE = "/data/messages.log";

export function readListenerConfig(env: Env): ListenerConfig {
  return {
    port: port(env, "LISTEN_PORT"),
    outputFile: optionalText(env, "OUTPUT_FILE"),
  };
}

/** `defaultName` is the hostname: under Docker, the container's. */
export function readPublisherConfig(env: Env, defaultName: string): PublisherConfig {
  return {
    // "listener" is the listener's name on the Docker network; use localhost outside Docker.
    listenerHost: text(env, "LISTENER_HOST", "listener"),
    listenerPort: port(env, "LISTENER_PORT"),
    name: text(env, "PUB_NAME", defaultName),
    intervalMs: integer(env, "PUBLISH_INTERVAL_MS", 1000, 1, 3_600_000),
  };
}

export function readReaderConfig(env: Env): ReaderConfig {
  return { inputFile: text(env, "INPUT_FILE", DEFAULT_MESSAGES_FILE) };
}

// An empty variable counts as unset: compose writes `NAME=` for a variable left blank.
function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

function text(env: Env, name: string, fallback: string): string {
  return optionalText(env, name) ?? fallback;
}

function optionalText(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  // A newline would split every message in two on the wire.
  if (value !== undefined && /[\r\n]/.test(value))
    throw new ConfigError(`${name} must be a single line of text`);
  return value;
}

function port(env: Env, name: string): number {
  return integer(env, name, DEFAULT_PORT, 1, 65_535);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}
