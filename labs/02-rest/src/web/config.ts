import { configFromEnv, env } from "@gps-workshop/shared";
import { z } from "zod";
import { WEB_DEFAULTS } from "./app.ts";

/**
 * The web service's configuration, from environment variables. The defaults work on localhost;
 * compose sets API_URL=http://api:8000. A bad value stops the web with one line naming the variable.
 */
export function readConfig() {
  const vars = configFromEnv("web", {
    PORT: env.port(8501),
    API_URL: env.url("http://localhost:8000", /^https?$/),
    /** How long a call for the state or a task's status may take before the page says the API is down. */
    API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(WEB_DEFAULTS.apiTimeoutMs),
    NODE_ENV: z.string().default("development"),
  });
  return {
    port: vars.PORT,
    apiUrl: vars.API_URL,
    apiTimeoutMs: vars.API_TIMEOUT_MS,
    // In production (the image), templates are compiled once; in development, edits show on reload.
    cacheTemplates: vars.NODE_ENV === "production",
  };
}
