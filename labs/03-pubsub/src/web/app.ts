import express, { type Express } from "express";
import type { RedisClientType } from "redis";
import { redisKeys } from "../redis-keys.ts";
import { Hub } from "./hub.ts";
import { notFound, problemHandler } from "./problem.ts";
import { Relay } from "./relay.ts";
import { eventStream, type StreamContext } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { Snapshots } from "./snapshots.ts";
import { jsonFormat, type RedisStatus } from "./sse-format.ts";

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
  log?: (line: string) => void;
}

/** The counters of `/stats`. */
export interface WebStats {
  clients: number;
  events_relayed: number;
  invalid_messages: number;
  slow_clients_dropped: number;
  queued_bytes: number;
  redis: RedisStatus;
}

export interface WebApp {
  app: Express;
  /** Subscribes to the channel; resolves once subscribed. Call it once the subscriber is connected. */
  start(): Promise<void>;
  /** Ends every event stream and unsubscribes; the Redis clients stay open (their owner closes them). */
  close(): Promise<void>;
  stats(): WebStats;
}

/**
 * The web service: one Redis subscription for the whole process, relayed to every browser
 * over Server-Sent Events.
 */
export function createApp(options: AppOptions): WebApp {
  const { redis, subscriber } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const keys = redisKeys(options.keyPrefix);
  const hub = new Hub({
    heartbeatMs: options.heartbeatMs ?? 15_000,
    status: subscriber.isReady ? "connected" : "reconnecting",
  });
  const relay = new Relay({ subscriber, channel: keys.channel, hub, log });
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
    redis: hub.status,
  });

  const app = express();
  app.disable("x-powered-by");
  // Another format (say HTML fragments for a page) is one more route on the same hub:
  // app.get(path, eventStream(streams, itsFormat)), before the 404 handler below.
  app.get("/events", eventStream(streams, jsonFormat));
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
    start: () => relay.start(),
    async close() {
      hub.close();
      await relay.close();
    },
    stats,
  };
}
