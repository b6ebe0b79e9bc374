/**
 * Lab 02's web service: the page students open (http://localhost:8501). It gets everything from
 * the API over HTTP, never from Redis. `npm run dev:web -w labs/02-rest`; the routes are in routes.ts.
 */
import { env, readEnv } from "@gps-workshop/service/config";
import { closeServer, serve } from "@gps-workshop/service/http";
import { onShutdown } from "@gps-workshop/service/shutdown";
import { createApp } from "./app.ts";

const config = readEnv("web", {
  PORT: env.port(8501),
  /** The web's only source of data; compose sets http://api:8000. */
  API_URL: env.url("http://localhost:8000", /^https?$/),
  /** How long a poll may wait for the API before the page says that it does not answer. */
  API_TIMEOUT_MS: env.integer(2000, 100, 60_000),
  NODE_ENV: env.string("development"),
});

const web = createApp({
  apiUrl: config.API_URL,
  apiTimeoutMs: config.API_TIMEOUT_MS,
  // In the image, templates are compiled once; in development, an edited one shows on reload.
  cacheTemplates: config.NODE_ENV === "production",
});
console.error(`web: data from the API at ${config.API_URL}`);
const server = serve(web.app, "web", config.PORT);

onShutdown("web", async () => {
  // The blocking requests in progress answer 503, and closeServer waits (briefly) for them to be sent.
  web.close();
  await closeServer(server);
});
