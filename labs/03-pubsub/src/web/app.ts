import { hostname } from "node:os";
import express, { type Express } from "express";
import type { RedisClientType } from "redis";
import { redisKeys } from "../redis-keys.ts";
import { DashboardState } from "./dashboard-state.ts";
import { Hub } from "./hub.ts";
import { PageRenderer } from "./page-renderer.ts";
import { pageFormat, pageSnapshots } from "./page-stream.ts";
import { notFound, problemHandler } from "./problem.ts";
import { Relay } from "./relay.ts";
import { eventStream, type StreamContext } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes } from "./routes/page.ts";
import { securityHeaders } from "./security-headers.ts";
import { servedBy } from "./served-by.ts";
import { Snapshots } from "./snapshots.ts";
import { jsonFormat, type RedisStatus } from "./sse-format.ts";
import { staticAssets } from "./static-assets.ts";
import { createViews } from "./views.ts";

export interface AppOptions {
  /** For reading the snapshot (GET, XREVRANGE). */
  redis: RedisClientType;
  /** A second connection, used for the subscription only (`redis.duplicate()`). */
  subscriber: RedisClientType;
  /** Put before every key and channel name; "" in production. */
  keyPrefix?: string;
  /** A comment every so often keeps idle connections open through proxies. Default 15 s. */
  heartbeatMs?: number;
  /** How many history entries a new browser gets. Default 300. */
  snapshotLength?: number;
  /** Bytes queued for a browser that stopped reading before it is disconnected. Default 256 KiB. */
  maxQueueBytes?: number;
  /** The browsers' reconnection delay. Default 2 s. */
  retryMs?: number;
  /** The newest records the page's widgets are drawn from. Default 3600. */
  dashboardLength?: number;
  /** This process's name, in `X-Served-By` and on the page. Default: the host name (a container's id). */
  instance?: string;
  /** Compile each template once. Default true; off in development, so that edits show on reload. */
  cacheTemplates?: boolean;
  log?: (line: string) => void;
}

/** The counters of `/stats`. */
export interface WebStats {
  clients: number;
  events_relayed: number;
  invalid_messages: number;
  slow_clients_dropped: number;
  queued_bytes: number;
  /** Renderings of the page's widgets: one per event, whatever the number of pages open. */
  page_updates_rendered: number;
  redis: RedisStatus;
}

export interface WebApp {
  app: Express;
  /**
   * Subscribes to the channel, then reads the page's recent records; resolves once both are done.
   * Call it once the Redis clients are connected.
   */
  start(): Promise<void>;
  /** Ends every event stream and unsubscribes; the Redis clients stay open (their owner closes them). */
  close(): Promise<void>;
  stats(): WebStats;
}

/**
 * The web service: one Redis subscription for the whole process, relayed to every browser
 * over Server-Sent Events, as JSON (`/events`) and as the page's HTML (`/ui/events`).
 */
export function createApp(options: AppOptions): WebApp {
  const { redis, subscriber } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const keys = redisKeys(options.keyPrefix);
  const instance = options.instance ?? hostname();
  const hub = new Hub({
    heartbeatMs: options.heartbeatMs ?? 15_000,
    status: subscriber.isReady ? "connected" : "reconnecting",
  });
  // The page's records, kept once for the process and fed by the subscription before the browsers are.
  const dashboard = new DashboardState({ redis, keys, capacity: options.dashboardLength ?? 3600, log });
  const renderer = new PageRenderer({
    state: dashboard,
    views: createViews(options.cacheTemplates ?? true),
    instance,
  });
  const relay = new Relay({
    subscriber,
    channel: keys.channel,
    hub,
    onEvent: (event) => dashboard.add(event),
    log,
  });
  // After a lost subscription, whatever was published meanwhile never reached this process: read it again.
  const reloadDashboard = () => void dashboard.load();
  const streams: StreamContext = {
    hub,
    snapshots: new Snapshots({ redis, keys, length: options.snapshotLength ?? 300 }),
    maxQueueBytes: options.maxQueueBytes ?? 256 * 1024,
    retryMs: options.retryMs ?? 2000,
    log,
  };
  const stats = (): WebStats => ({
    clients: hub.clients,
    events_relayed: relay.eventsRelayed,
    invalid_messages: relay.invalidMessages,
    slow_clients_dropped: hub.slowClientsDropped,
    queued_bytes: hub.queuedBytes,
    page_updates_rendered: renderer.renders,
    redis: hub.status,
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(servedBy(instance));
  app.use(securityHeaders);
  app.use(staticAssets());
  app.use(pageRoutes(renderer));
  // Each format is one route on the same hub: app.get(path, eventStream(streams, itsFormat)),
  // before the 404 handler below. The page's snapshot comes from its dashboard, not from Redis.
  app.get("/events", eventStream(streams, jsonFormat));
  app.get(
    "/ui/events",
    eventStream({ ...streams, snapshots: pageSnapshots(renderer, dashboard) }, pageFormat(renderer)),
  );
  app.use(
    healthRoutes({
      notReady() {
        if (!redis.isReady) return "the Redis connection is not ready";
        if (!relay.ready) return "the Redis subscription is not ready";
        return undefined;
      },
      stats,
    }),
  );
  app.use(notFound);
  app.use(problemHandler(log));

  return {
    app,
    async start() {
      await relay.start();
      await dashboard.load();
      subscriber.on("ready", reloadDashboard);
    },
    async close() {
      subscriber.off("ready", reloadDashboard);
      hub.close();
      await relay.close();
    },
    stats,
  };
}
