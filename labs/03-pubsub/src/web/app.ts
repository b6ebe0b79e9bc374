import { hostname } from "node:os";
import path from "node:path";
import { HttpProblem, healthRoutes, notFound, problemHandler } from "@gps-workshop/service/http";
import type { RedisClient } from "@gps-workshop/service/redis";
import { CONTENT_SECURITY_POLICY_DIRECTIVES, staticFolders } from "@gps-workshop/shared/ui";
import express from "express";
import helmet from "helmet";
import { redisKeys } from "../redis-keys.ts";
import { parseAlert, throttled } from "./messages.ts";
import { Page } from "./page.ts";
import { Relay } from "./relay.ts";
import { sseFrame } from "./sse.ts";

export interface AppOptions {
  /** Reads the history; `subscriber` is a second connection, for the subscription alone. */
  redis: RedisClient;
  subscriber: RedisClient;
  /** Put before every key and channel name; "" in production. */
  keyPrefix?: string;
  /** History entries a new client of /events gets. */
  snapshotLength?: number;
  /** The newest records the page is drawn from. */
  dashboardLength?: number;
  /** Bytes that may wait for a client that stopped reading before it is cut off. */
  maxQueueBytes?: number;
  heartbeatMs?: number;
  /** This process's name, in `X-Served-By` and on the page: by default the host name (a container's id). */
  instance?: string;
  cacheTemplates?: boolean;
  log?: (line: string) => void;
}

/**
 * The web service: the relay (`/events`, JSON for any program) and the page (`/`, `/ui/events`,
 * HTML for htmx), fed by one Redis subscription. Routes:
 *   GET /            the page              GET /events    records as JSON (SSE)
 *   GET /ui/events   the page's updates    GET /stats     counters
 *   GET /healthz     alive                 GET /readyz    subscribed, Redis reachable
 */
export function createApp(options: AppOptions) {
  const { redis, subscriber, log = console.error } = options;
  const instance = options.instance ?? hostname();
  const streams = {
    retryMs: 2000,
    maxQueueBytes: options.maxQueueBytes ?? 256 * 1024,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    log,
  };
  const page = new Page({
    instance,
    capacity: options.dashboardLength ?? 3600,
    cacheTemplates: options.cacheTemplates ?? true,
    streams,
    status: () => relay.status,
  });
  const keys = redisKeys(options.keyPrefix);
  const relay = new Relay({
    redis,
    subscriber,
    keys,
    snapshotLength: options.snapshotLength ?? 300,
    backlog: options.dashboardLength ?? 3600,
    streams,
    onRecord: (relayed) => page.add(relayed),
    onStatus: (status) => page.onStatus(status),
    log,
  });
  // A second channel, for services of your own (the speed alerts): each message as it comes, kept
  // nowhere, to /events (`event: alert`) and the Alerts panel. redis-cli PUBLISH gps_alerts '{"type":"hi"}'
  const warn = throttled(log);
  const onAlert = (text: string) => {
    const alert = parseAlert(text);
    if (typeof alert === "string") return warn(`web: ignored an invalid message on ${keys.alerts}: ${alert}`);
    // In node-redis's listener, a throw would drop the connection: here it costs this alert only.
    try {
      page.alert(alert);
      relay.audience.toAll(sseFrame({ event: "alert", data: text }));
    } catch (error) {
      warn(`web: could not relay an alert: ${String(error)}`);
    }
  };
  const stats = () => ({
    clients: relay.audience.streams.size,
    page_clients: page.audience.streams.size,
    ...relay.counts,
    page_updates_rendered: page.framesRendered,
    slow_clients_dropped: relay.audience.slowClientsDropped + page.audience.slowClientsDropped,
    queued_bytes: relay.audience.queuedBytes + page.audience.queuedBytes,
    redis: relay.status,
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(
    helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY_DIRECTIVES } }),
  );
  // Behind the proxy, with several web instances: which one answered.
  app.use((_req, res, next) => {
    res.set("X-Served-By", instance);
    next();
  });
  // All the page's files from this server (no CDN: the workshop works offline).
  for (const { mount, folder } of staticFolders(import.meta.url)) app.use(mount, express.static(folder));
  app.use("/assets", express.static(path.join(import.meta.dirname, "public")));
  app.get("/", page.page);
  app.get("/events", relay.events);
  app.get("/ui/events", page.events);
  app.get("/stats", (_req, res) => {
    res.set("Cache-Control", "no-store").json(stats());
  });
  app.use(
    healthRoutes(() => {
      if (!redis.isReady) throw new HttpProblem(503, "the Redis connection is not ready");
      if (!relay.subscribed || !subscriber.isReady) {
        throw new HttpProblem(503, "the Redis subscription is not ready");
      }
    }),
  );
  app.use(notFound("this web serves /, /events, /ui/events, /stats, /healthz and /readyz"));
  app.use(problemHandler("web", undefined, log));

  return {
    app,
    stats,
    /** Subscribes to both channels and reads the recent records, once both Redis clients are connected. */
    start: async () => {
      await subscriber.subscribe(keys.alerts, onAlert);
      await relay.start();
    },
    /** Ends every event stream; the Redis clients stay open (their owner closes them). */
    close() {
      relay.audience.close();
      page.close();
    },
  };
}

export type WebApp = ReturnType<typeof createApp>;
