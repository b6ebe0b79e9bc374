import type { AddressInfo } from "node:net";
import { createClient, type RedisClientType } from "redis";
import { onTestFinished } from "vitest";
import { type AppOptions, createApp, type WebApp } from "../../src/web/app.ts";

export interface RunningWeb {
  /** `http://127.0.0.1:<port>` */
  url: string;
  web: WebApp;
  /** The app's own subscriber connection, for the tests that look at it. */
  subscriber: RedisClientType;
  /** Logged lines. */
  logs: string[];
}

/**
 * The web app on a free port, with its two Redis connections, started the way main.ts does it
 * (connect, subscribe, listen), without a child process; closed when the test finishes.
 */
export async function startWeb(
  redisUrl: string,
  options: Omit<AppOptions, "redis" | "subscriber" | "log">,
): Promise<RunningWeb> {
  const logs: string[] = [];
  const redis: RedisClientType = createClient({ url: redisUrl });
  const subscriber = redis.duplicate();
  for (const client of [redis, subscriber]) client.on("error", () => {});
  await Promise.all([redis.connect(), subscriber.connect()]);
  const web = createApp({ ...options, redis, subscriber, log: (line) => logs.push(line) });
  await web.start();
  const server = web.app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    server.close();
    await web.close();
    server.closeAllConnections();
    redis.destroy();
    subscriber.destroy();
  });
  return { url: `http://127.0.0.1:${port}`, web, subscriber, logs };
}

/** GET `url` and parse the JSON body. */
export async function getJson(url: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}
