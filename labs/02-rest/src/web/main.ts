/**
 * Lab 02's web service: the page students open (http://localhost:8501). It gets everything from
 * the API over HTTP, never from Redis. `npm run dev:web -w labs/02-rest`; settings in config.ts.
 */
import { onShutdown } from "@gps-workshop/shared";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";

const log = (line: string) => console.error(line);
const { port, ...options } = readConfig();

const web = createApp({ ...options, log });
const server = web.app.listen(port, (error) => {
  if (error) {
    log(`web: cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  }
  log(`web: listening on http://localhost:${port} (data from the API at ${options.apiUrl})`);
});

onShutdown("web", async () => {
  // Stop accepting; the blocking requests in progress answer 503; then close every connection.
  const closed = new Promise((resolve) => server.close(resolve));
  web.close();
  server.closeAllConnections();
  await closed;
});
