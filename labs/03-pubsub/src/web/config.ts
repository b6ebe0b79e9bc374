import { configFromEnv, env, redisEnv } from "@gps-workshop/shared";

const wholeNumber = { message: "expected a whole number" };

/** The web service's settings, from the environment; defaults work on localhost. */
export function loadConfig() {
  return configFromEnv("web", {
    PORT: env.port(8502),
    ...redisEnv,
    /** History entries a newly connected browser gets. */
    SNAPSHOT_LENGTH: env.number(300, 1, 3600).refine(Number.isInteger, wholeNumber),
    /** Milliseconds between two heartbeat comments on an idle stream. */
    HEARTBEAT_MS: env.number(15_000, 100, 3_600_000).refine(Number.isInteger, wholeNumber),
    /** Bytes queued for a browser that stopped reading before it is disconnected. */
    CLIENT_QUEUE_BYTES: env.number(256 * 1024, 1024, 64 * 1024 * 1024).refine(Number.isInteger, wholeNumber),
    /** The newest records the page's widgets are drawn from (the history keeps about 3600). */
    DASHBOARD_LENGTH: env.number(3600, 1, 36_000).refine(Number.isInteger, wholeNumber),
    /** "production" (the image) compiles each template once; otherwise an edited template shows on reload. */
    NODE_ENV: env.string("development"),
  });
}
