import type { AddressInfo } from "node:net";
import { createRedisClient } from "@gps-workshop/service/redis";
import { onTestFinished } from "vitest";
import { type AppOptions, createApp, type WebApp } from "../../src/web/app.ts";

export interface RunningWeb {
  /** `http://127.0.0.1:<port>` */
  url: string;
  web: WebApp;
  /** Logged lines. */
  logs: string[];
}

/**
 * The web app on a free port, with its two Redis connections, started as main.ts does it
 * (connect, subscribe, listen), in this process; closed when the test finishes.
 */
export async function startWeb(
  redisUrl: string,
  options: Omit<AppOptions, "redis" | "subscriber" | "log">,
): Promise<RunningWeb> {
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const redis = createRedisClient({ url: redisUrl, service: "web", log });
  const subscriber = createRedisClient({ url: redisUrl, service: "web (subscription)", log });
  await Promise.all([redis.connect(), subscriber.connect()]);
  const web = createApp({ ...options, redis, subscriber, log });
  await web.start();
  const server = web.app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  onTestFinished(() => {
    web.close();
    server.closeAllConnections();
    server.close();
    redis.destroy();
    subscriber.destroy();
  });
  return { url: `http://127.0.0.1:${port}`, web, logs };
}

/** GET `url` and parse the JSON body. */
export async function getJson(url: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}
