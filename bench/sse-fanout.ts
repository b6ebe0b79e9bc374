/**
 * Lab 03's fan-out under load: one web process relaying Redis pub/sub to 1,000 browsers, as JSON
 * (`/events`) and as the page's HTML frames (`/ui/events`).
 *
 *   npm run bench:sse-fanout (about 2 minutes; needs Docker for Redis)
 *
 * Redis runs in a container and the web service in a child process (so its memory is its own).
 * This process writes the records as lab 03's replayer does (MULTI SET, XADD, EXEC, then PUBLISH
 * {"id","record"}), and reads the streams on raw sockets: publishing and receiving happen here,
 * on one clock, so latency = receive - publish has no clock skew.
 * 1. /events: 1,000 streams get a 300-record snapshot, then 20 records a second for 30 s.
 *    Goals: p99 < 50 ms, nothing lost, < 50 KB of web-process memory per client.
 * 2. /ui/events, rendered in this process from 3,600 records held: bytes and render time of a
 *    frame. Goals: <= 8 KB per frame, render p95 <= 5 ms.
 * 3. /ui/events, 1,000 pages, 3,600 records held: 3 records a second for 20 s (each its own
 *    frame), then 1,000 records a second for 3 s (REPLAY_SPEED=1000). Goals: p99 < 50 ms, at
 *    most 4 frames a second per page, and every page ends with the newest record (0 lost).
 * The latency is that of the whole machine: the web process and these 1,000 clients share its
 * CPUs, so run it on an otherwise idle machine (stop the lab's stack first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { GPS_RECORD_FIELDS, type GpsRecord, systemClock } from "@gps-workshop/shared";
import { freePort } from "@gps-workshop/shared/testing/free-port";
import { gpsRecord } from "@gps-workshop/shared/testing/gps-record";
import { startRedisServer } from "@gps-workshop/shared/testing/redis";
import { createClient, type RedisClientType } from "redis";
import { Page } from "../labs/03-pubsub/src/web/page.ts";

const CLIENTS = 1000;
const RATE_PER_SECOND = 20;
const DURATION_S = 30;
const EVENTS = RATE_PER_SECOND * DURATION_S;
/** Records already in the history when the clients connect: the default snapshot length. */
const HISTORY = 300;
/** What the page holds: the default DASHBOARD_LENGTH. */
const HELD = 3600;
const PAGE_RATE = 3;
const PAGE_EVENTS = PAGE_RATE * 20;
const BURST_RATE = 1000;
const BURST_EVENTS = BURST_RATE * 3;
const T0 = 1_700_000_000;
const WEB_MAIN = path.resolve(import.meta.dirname, "../labs/03-pubsub/src/web/main.ts");

/** The record at `timestamp`, walking north. */
function recordAt(timestamp: number): GpsRecord {
  return gpsRecord({
    timestamp,
    latitude: 45.1885 + (timestamp - T0) * 1e-4,
    distance_meters: 0.05,
    elapsed_time_seconds: 1 / RATE_PER_SECOND,
  });
}

/** The web process's resident memory, in bytes (Linux). */
function rssOf(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (kib === undefined) throw new Error("no VmRSS in /proc/<pid>/status");
  return Number(kib) * 1024;
}

/** CPU time a process has used, user + system, in milliseconds (Linux, 100 ticks a second). */
function cpuMsOf(pid: number): number {
  // The fields after the command name, which is in parentheses and may contain spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await systemClock.sleepUntil(performance.now() + 50);
  }
}

async function stats(base: string): Promise<Record<string, number>> {
  return (await fetch(`${base}/stats`)).json() as Promise<Record<string, number>>;
}

function startWeb(port: number, redisUrl: string): ChildProcess {
  const child = spawn(process.execPath, [...process.execArgv, WEB_MAIN], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    if (!/listening|subscribed|SIGTERM|connected to redis/.test(chunk)) process.stderr.write(chunk);
  });
  return child;
}

/**
 * Writes a record as lab 03's replayer does. `onId` learns the entry's id before the PUBLISH, so
 * that no client can receive it first; resolves with the time of the PUBLISH.
 */
async function publish(redis: RedisClientType, record: GpsRecord, onId: (id: string) => void = () => {}) {
  const json = JSON.stringify(record, GPS_RECORD_FIELDS);
  const trim = { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: HELD } } as const;
  const [, id] = await redis
    .multi()
    .set("gps_state", json)
    .xAdd("gps_history", "*", { record: json }, trim)
    .exec();
  onId(String(id));
  const at = performance.now();
  await redis.publish("gps_state", `{"id":"${id}","record":${json}}`);
  return at;
}

/** All sockets read into this one buffer: each read is parsed at once, before the next one. */
const READ_BUFFER = Buffer.alloc(256 * 1024);

/**
 * One event stream on a raw socket: the cheapest client that is still correct. Reads go
 * straight to a callback (`onread`), without the stream machinery. Only the lines that match
 * `pattern` matter: each match is handed to `onMatch` with its arrival time. A TCP segment can
 * cut a line: the last partial line is carried over to the next read.
 */
class Stream {
  readonly socket: Socket;
  #tail = "";

  constructor(
    port: number,
    target: string,
    pattern: RegExp,
    onMatch: (match: string[], now: number) => void,
  ) {
    this.socket = connect(
      {
        host: "127.0.0.1",
        port,
        onread: {
          buffer: READ_BUFFER,
          callback: (bytes) => {
            const now = performance.now();
            const text = this.#tail + READ_BUFFER.toString("latin1", 0, bytes);
            const end = text.lastIndexOf("\n") + 1;
            this.#tail = text.slice(end);
            for (const match of text.slice(0, end).matchAll(pattern)) onMatch(match, now);
            return true;
          },
        },
      },
      () =>
        this.socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`),
    );
    this.socket.on("error", (error) => console.error(`client: ${error.message}`));
  }
}

/** Opens `count` streams in batches, so that the server's listen backlog never overflows. */
async function openStreams(
  base: string,
  port: number,
  target: "/events" | "/ui/events",
  make: (i: number) => (match: string[], now: number) => void,
): Promise<Stream[]> {
  const streams: Stream[] = [];
  // /events: the SSE id of each event; /ui/events: the stamp of each frame, which names its newest record.
  const pattern = target === "/events" ? /^id: (\S+)$/gm : /data-kind="(\w+)"(?: data-event-id="([^"]+)")?/g;
  const key = target === "/events" ? "clients" : "page_clients";
  for (let i = 0; i < CLIENTS; i++) {
    streams.push(new Stream(port, target, pattern, make(i)));
    if (i % 100 === 99) await until("the clients", async () => (await stats(base))[key] === i + 1, 10_000);
  }
  return streams;
}

function percentile(sorted: Float64Array | number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentOfCore = (cpuMs: number, seconds: number) => `${((cpuMs / 1000 / seconds) * 100).toFixed(0)}%`;

/** 1. /events: every record to every client, with its latency. */
async function benchEvents(base: string, port: number, pid: number, publisher: RedisClientType) {
  const rssBefore = rssOf(pid);
  for (let i = HISTORY; i > 0; i--) await publish(publisher, recordAt(T0 - i));
  /** Event i's id, and for each stream, when event i arrived (NaN until then): typed arrays, no GC pauses. */
  const indexOf = new Map<string, number>();
  const arrivals = Array.from({ length: CLIENTS }, () => new Float64Array(EVENTS).fill(Number.NaN));
  const counts = Array.from({ length: CLIENTS }, () => ({ snapshot: 0, received: 0, duplicates: 0 }));
  const connectCpuBefore = cpuMsOf(pid);
  const connectStart = performance.now();
  const streams = await openStreams(base, port, "/events", (c) => ([, id = ""], now) => {
    const index = indexOf.get(id);
    const count = counts[c];
    const arrivedAt = arrivals[c];
    if (count === undefined || arrivedAt === undefined) return;
    if (index === undefined) count.snapshot++;
    else if (Number.isNaN(arrivedAt[index])) {
      arrivedAt[index] = now;
      count.received++;
    } else count.duplicates++;
  });
  await until("the snapshots", () => counts.every((count) => count.snapshot === HISTORY), 60_000);
  console.log(
    `${CLIENTS} clients connected, each got a ${HISTORY}-record snapshot: ${ms(performance.now() - connectStart)}, web CPU ${cpuMsOf(pid) - connectCpuBefore} ms`,
  );
  const rssIdle = rssOf(pid);

  console.log(`publishing ${RATE_PER_SECOND} records/s for ${DURATION_S} s…`);
  const publishedAt = new Float64Array(EVENTS);
  const webCpuBefore = cpuMsOf(pid);
  const ownCpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    // On an absolute schedule, so a late tick does not delay the ones after it.
    await systemClock.sleepUntil(start + (i * 1000) / RATE_PER_SECOND);
    publishedAt[i] = await publish(publisher, recordAt(T0 + i / RATE_PER_SECOND), (id) => indexOf.set(id, i));
  }
  await until("the last events", () => counts.every((count) => count.received === EVENTS), 5000).catch(
    () => {},
  );
  const webCpuMs = cpuMsOf(pid) - webCpuBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const rssStreaming = rssOf(pid);
  const server = await stats(base);

  const latencies = new Float64Array(CLIENTS * EVENTS);
  let count = 0;
  // Per event: how long until the first client had it, and until the last one did.
  const firstArrivals = new Float64Array(EVENTS).fill(Number.POSITIVE_INFINITY);
  const spreads = new Float64Array(EVENTS);
  for (let i = 0; i < EVENTS; i++) {
    let last = 0;
    for (const arrivedAt of arrivals) {
      const latency = (arrivedAt[i] ?? Number.NaN) - (publishedAt[i] ?? 0);
      if (Number.isNaN(latency)) continue;
      latencies[count++] = latency;
      firstArrivals[i] = Math.min(firstArrivals[i] ?? 0, latency);
      last = Math.max(last, latency);
    }
    spreads[i] = last - (firstArrivals[i] ?? 0);
  }
  const sorted = latencies.slice(0, count).sort();
  firstArrivals.sort();
  spreads.sort();
  const lost = counts.reduce((total, { received }) => total + EVENTS - received, 0);
  const duplicates = counts.reduce((total, each) => total + each.duplicates, 0);
  for (const stream of streams) stream.socket.destroy();

  console.log(
    `\n/events: ${EVENTS} events × ${CLIENTS} clients = ${(EVENTS * CLIENTS).toLocaleString("en")} deliveries`,
  );
  console.log(
    `/events: latency publish → receive: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(percentile(sorted, 100))}  (goal: p99 < 50 ms)`,
  );
  console.log(
    `  first client served after p50 ${ms(percentile(firstArrivals, 50))}; first to last client p50 ${ms(percentile(spreads, 50))}, p99 ${ms(percentile(spreads, 99))}`,
  );
  console.log(
    `/events: lost ${lost}, duplicated ${duplicates}, slow clients dropped ${server.slow_clients_dropped}  (goal: 0 lost)`,
  );
  console.log(
    `web RSS: ${mb(rssBefore)} before clients, ${mb(rssIdle)} with ${CLIENTS} clients, ${mb(rssStreaming)} after streaming`,
  );
  console.log(
    `/events: RSS per client: ${kb((rssIdle - rssBefore) / CLIENTS)} with clients, ${kb((rssStreaming - rssBefore) / CLIENTS)} after streaming  (goal: < 50 KB)`,
  );
  console.log(
    `CPU while streaming: web ${percentOfCore(webCpuMs, DURATION_S)} of a core (${ms(webCpuMs / EVENTS)} per event for ${CLIENTS} clients), these clients ${percentOfCore((ownCpu.user + ownCpu.system) / 1000, DURATION_S)}`,
  );
}

/** 2. /ui/events in this process: a frame's bytes and render time, from 3,600 records held. */
function benchFrames() {
  const page = new Page({
    instance: "0123456789ab",
    capacity: HELD,
    cacheTemplates: true,
    streams: { retryMs: 2000, maxQueueBytes: 256 * 1024, heartbeatMs: 60_000, log: () => {} },
    status: () => "connected",
  });
  const relayed = (i: number) => ({
    id: `${T0 * 1000 + i}-0`,
    record: recordAt(T0 + i),
    receivedAt: Date.now(),
  });
  for (let i = 0; i < HELD; i++) page.add(relayed(i));
  page.nextFrame();
  const measure = (rowsPerFrame: number, frames: number, from: number) => {
    const times: number[] = [];
    const sizes: number[] = [];
    for (let f = 0; f < frames; f++) {
      for (let r = 0; r < rowsPerFrame; r++) page.add(relayed(from + f * rowsPerFrame + r));
      const started = performance.now();
      const frame = page.nextFrame() ?? "";
      times.push(performance.now() - started);
      sizes.push(Buffer.byteLength(frame));
    }
    times.sort((a, b) => a - b);
    return { times, size: Math.max(...sizes) };
  };
  // Warm up (compiled templates, JIT), then one record a frame (REPLAY_SPEED=1), and 5 (20 records a second).
  measure(1, 200, HELD);
  const one = measure(1, 500, HELD + 200);
  const five = measure(5, 500, HELD + 700);
  const all = [...one.times, ...five.times].sort((a, b) => a - b);
  page.close();
  console.log(`\n/ui/events, frames rendered from ${HELD.toLocaleString("en")} records held:`);
  console.log(`/ui/events: ${kb(one.size)} per frame with 1 new record (goal <= 8 KB)`);
  console.log(`/ui/events: ${kb(five.size)} per frame with 5 new records (goal <= 8 KB)`);
  console.log(
    `/ui/events: render p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, max ${ms(percentile(all, 100))} (goal: p95 <= 5 ms)`,
  );
}

/** 3. /ui/events with 1,000 pages: latency of each record's frame, then a burst. */
async function benchPages(base: string, port: number, pid: number, publisher: RedisClientType) {
  const relayedBefore = (await stats(base)).events_relayed ?? 0;
  for (let i = 0; i < HELD; i++) await publish(publisher, recordAt(T0 + 100 + i / RATE_PER_SECOND));
  await until(
    "the records held",
    async () => (await stats(base)).events_relayed === relayedBefore + HELD,
    30_000,
  );
  const indexOf = new Map<string, number>();
  /** For each page: when each record's frame arrived (NaN until then), and every frame's record and time. */
  const arrivals = Array.from({ length: CLIENTS }, () => new Float64Array(PAGE_EVENTS).fill(Number.NaN));
  const frames = Array.from({ length: CLIENTS }, () => [] as { index: number; at: number }[]);
  const snapshots = new Uint8Array(CLIENTS);
  const connectStart = performance.now();
  const streams = await openStreams(base, port, "/ui/events", (c) => ([, kind, id = ""], now) => {
    if (kind === "snapshot") {
      snapshots[c] = 1;
      return;
    }
    const index = indexOf.get(id) ?? -1;
    frames[c]?.push({ index, at: now });
    const arrivedAt = arrivals[c];
    if (arrivedAt && index >= 0 && index < PAGE_EVENTS && Number.isNaN(arrivedAt[index]))
      arrivedAt[index] = now;
  });
  await until("the dashboards", () => snapshots.every((got) => got === 1), 30_000);
  console.log(
    `\n${CLIENTS} pages connected, each got the whole dashboard: ${ms(performance.now() - connectStart)}`,
  );

  console.log(`publishing ${PAGE_RATE} records/s for ${PAGE_EVENTS / PAGE_RATE} s…`);
  const publishedAt = new Float64Array(PAGE_EVENTS);
  const cpuBefore = cpuMsOf(pid);
  let start = performance.now();
  for (let i = 0; i < PAGE_EVENTS; i++) {
    await systemClock.sleepUntil(start + (i * 1000) / PAGE_RATE);
    publishedAt[i] = await publish(publisher, recordAt(T0 + 100 + HELD + i), (id) => indexOf.set(id, i));
  }
  const lastArrived = () => arrivals.every((arrivedAt) => !Number.isNaN(arrivedAt[PAGE_EVENTS - 1]));
  await until("the last frames", lastArrived, 5000).catch(() => {});
  const cpuMs = cpuMsOf(pid) - cpuBefore;
  const latencies: number[] = [];
  let shared = 0;
  for (const arrivedAt of arrivals) {
    for (let i = 0; i < PAGE_EVENTS; i++) {
      const latency = (arrivedAt[i] ?? Number.NaN) - (publishedAt[i] ?? 0);
      if (Number.isNaN(latency)) shared++;
      else latencies.push(latency);
    }
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `/ui/events: latency publish → receive with ${CLIENTS} pages: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(percentile(latencies, 100))}  (goal: p99 < 50 ms)`,
  );
  console.log(
    `  records that shared a frame with the next one: ${shared} of ${(PAGE_EVENTS * CLIENTS).toLocaleString("en")}; web CPU ${percentOfCore(cpuMs, PAGE_EVENTS / PAGE_RATE)} of a core`,
  );

  console.log(`publishing ${BURST_RATE} records/s for ${BURST_EVENTS / BURST_RATE} s (REPLAY_SPEED=1000)…`);
  const framesBefore = frames.map((each) => each.length);
  const burstCpuBefore = cpuMsOf(pid);
  start = performance.now();
  for (let i = 0; i < BURST_EVENTS; i++) {
    await systemClock.sleepUntil(start + (i * 1000) / BURST_RATE);
    await publish(publisher, recordAt(T0 + 100 + HELD + PAGE_EVENTS + i), (id) =>
      indexOf.set(id, PAGE_EVENTS + i),
    );
  }
  const burstMs = performance.now() - start;
  const newest = PAGE_EVENTS + BURST_EVENTS - 1;
  const ended = (c: number) => frames[c]?.at(-1)?.index === newest;
  await until("the last frames", () => frames.every((_, c) => ended(c)), 10_000).catch(() => {});
  const burstCpuMs = cpuMsOf(pid) - burstCpuBefore;
  // Frames a second, per page: from its first frame of the burst to its last (the network moves each by a few ms).
  let maxPerSecond = 0;
  let burstFrames = 0;
  for (const [c, each] of frames.entries()) {
    const times = each.slice(framesBefore[c]).map(({ at }) => at);
    burstFrames += times.length;
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    if (span > 0) maxPerSecond = Math.max(maxPerSecond, ((times.length - 1) * 1000) / span);
  }
  const lost = frames.filter((_, c) => !ended(c)).length;
  const server = await stats(base);
  for (const stream of streams) stream.socket.destroy();
  console.log(
    `/ui/events: ${BURST_EVENTS} records in ${ms(burstMs)}: ${(burstFrames / CLIENTS).toFixed(1)} frames per page, at most ${maxPerSecond.toFixed(1)} a second (goal <= 4); web CPU ${percentOfCore(burstCpuMs, burstMs / 1000)} of a core`,
  );
  console.log(
    `/ui/events: pages without the newest record at the end: ${lost} of ${CLIENTS}, slow clients dropped ${server.slow_clients_dropped}  (goal: 0 lost updates)`,
  );
}

console.log(`load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} CPUs`);
const redis = await startRedisServer();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const web = startWeb(port, redis.url);
const publisher: RedisClientType = createClient({ url: redis.url });
publisher.on("error", (error) => console.error(`publisher: ${String(error)}`));
let failed = false;
try {
  await publisher.connect();
  await until(
    "the web service",
    async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok === true,
    30_000,
  );
  const pid = web.pid ?? 0;
  await benchEvents(base, port, pid, publisher);
  benchFrames();
  await benchPages(base, port, pid, publisher);
} catch (error) {
  console.error(`bench failed: ${String(error)}`);
  failed = true;
} finally {
  const exited = new Promise((resolve) => web.once("exit", resolve));
  web.kill("SIGTERM");
  await exited;
  publisher.destroy();
  await redis.close();
  // The client sockets are left to the process's exit.
  process.exit(failed ? 1 : 0);
}
