import { onShutdown } from "@gps-workshop/shared";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createRedisClient } from "./redis-client.ts";

const log = (line: string) => console.error(line);
const { port, redisUrl, ...options } = readConfig();

const redis = createRedisClient(redisUrl, log);
// Not awaited: the API starts without Redis, answers 503 meanwhile (see /readyz), and the
// client keeps trying. connect() only fails for good if the client is closed while connecting.
redis.connect().catch(() => {});

const api = createApp({ redis, log, ...options });
const server = api.app.listen(port, (error) => {
  if (error) {
    log(`api: cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  }
  log(`api: listening on http://localhost:${port} (docs at /docs)`);
});

onShutdown("api", async () => {
  // Stop accepting; idle keep-alive connections close now, busy ones after their response.
  const closed = new Promise((resolve) => server.close(resolve));
  await api.close();
  server.closeAllConnections();
  await closed;
  redis.destroy(); // nothing is pending any more: the tasks have been marked
});
