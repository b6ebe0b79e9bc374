/**
 * Lab 03's fan-out under load: one web process relaying Redis pub/sub to 1,000 browsers.
 *
 *   npm run bench:sse-fanout (about 45 s; needs Docker for Redis)
 *
 * Redis runs in a container and the web service in a child process (so its memory is its own).
 * This process writes a 300-record history, opens 1,000 event streams on raw sockets (each gets
 * the history as its snapshot, as after a restart of the web service), then publishes 20
 * records a second for 30 s. Publishing and receiving happen here, on one clock, so
 * latency = receive - publish has no clock skew.
 *
 * Goals: p99 < 50 ms, nothing lost, < 50 KB of web-process memory per client. The latency is
 * that of the whole machine: the web process and these 1,000 clients share its CPUs, so run it
 * on an otherwise idle machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { systemClock } from "@gps-workshop/shared";
import { freePort } from "@gps-workshop/shared/testing/free-port";
import { gpsRecord } from "@gps-workshop/shared/testing/gps-record";
import { startRedisServer } from "@gps-workshop/shared/testing/redis";
import { createClient, type RedisClientType } from "redis";

const CLIENTS = 1000;
const RATE_PER_SECOND = 20;
const DURATION_S = 30;
const EVENTS = RATE_PER_SECOND * DURATION_S;
/** Records already in the history when the clients connect: the default snapshot length. */
const HISTORY = 300;
/** Event i is the record at T0 + i / RATE_PER_SECOND s, so its SSE id is FIRST_ID + i * ID_STEP. */
const T0 = 1_700_000_000;
const FIRST_ID = T0 * 1000;
const ID_STEP = 1000 / RATE_PER_SECOND;
const WEB_MAIN = path.resolve(import.meta.dirname, "../labs/03-pubsub/src/web/main.ts");

/** The record at `timestamp`: one every 1/RATE_PER_SECOND s, walking north. */
function recordAt(timestamp: number) {
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
    if (!/listening|subscribed|SIGTERM/.test(chunk)) process.stderr.write(chunk);
  });
  return child;
}

/** All sockets read into this one buffer: each read is parsed at once, before the next one. */
const READ_BUFFER = Buffer.alloc(256 * 1024);

/**
 * One event stream on a raw socket: the cheapest client that is still correct. Reads go
 * straight to a callback (`onread`), without the stream machinery. Every frame is one chunk
 * of the response, so an `id:` line is never cut by chunked encoding; only a TCP segment can
 * cut it, hence the carry-over of the last partial line. Arrival times go to a typed array:
 * 600,000 entries in Maps would make this process's garbage collector pause, and the pauses
 * would count as latency.
 */
class Stream {
  /** performance.now() when event i arrived, NaN until then. */
  readonly arrivedAt = new Float64Array(EVENTS).fill(Number.NaN);
  received = 0;
  duplicates = 0;
  snapshotEvents = 0;
  #tail = "";

  constructor(port: number) {
    const socket = connect(
      {
        host: "127.0.0.1",
        port,
        onread: {
          buffer: READ_BUFFER,
          callback: (bytes) => {
            this.#read(READ_BUFFER.toString("latin1", 0, bytes));
            return true;
          },
        },
      },
      () => socket.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"),
    );
    socket.on("error", (error) => console.error(`client: ${error.message}`));
  }

  #read(chunk: string): void {
    const now = performance.now();
    const text = this.#tail + chunk;
    const end = text.lastIndexOf("\n") + 1;
    this.#tail = text.slice(end);
    for (const match of text.slice(0, end).matchAll(/^id: (\d+)$/gm)) {
      const index = (Number(match[1]) - FIRST_ID) / ID_STEP;
      if (index < 0) {
        this.snapshotEvents++;
      } else if (Number.isNaN(this.arrivedAt[index])) {
        this.arrivedAt[index] = now;
        this.received++;
      } else {
        this.duplicates++;
      }
    }
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentOfCore = (cpuMs: number) => `${((cpuMs / 1000 / DURATION_S) * 100).toFixed(0)}%`;

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
  const rssBefore = rssOf(pid);

  for (let i = HISTORY; i > 0; i--) {
    const json = JSON.stringify(recordAt(T0 - i));
    await publisher.multi().set("gps_state", json).xAdd("gps_history", "*", { record: json }).exec();
  }
  const streams: Stream[] = [];
  const connectCpuBefore = cpuMsOf(pid);
  const connectStart = performance.now();
  for (let i = 0; i < CLIENTS; i++) {
    streams.push(new Stream(port));
    // In batches, so that the server's listen backlog never overflows.
    if (i % 100 === 99) await until("the clients", async () => (await stats(base)).clients === i + 1, 10_000);
  }
  await until("the snapshots", () => streams.every((stream) => stream.snapshotEvents === HISTORY), 30_000);
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
    await systemClock.sleepUntil(start + i * ID_STEP);
    publishedAt[i] = performance.now();
    await publisher.publish("gps_state", JSON.stringify(recordAt(T0 + i / RATE_PER_SECOND)));
  }
  await until("the last events", () => streams.every((stream) => stream.received === EVENTS), 5000).catch(
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
    for (const stream of streams) {
      const latency = (stream.arrivedAt[i] ?? Number.NaN) - (publishedAt[i] ?? 0);
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
  const lost = streams.reduce((total, stream) => total + EVENTS - stream.received, 0);
  const duplicates = streams.reduce((total, stream) => total + stream.duplicates, 0);

  console.log(
    `\n${EVENTS} events × ${CLIENTS} clients = ${(EVENTS * CLIENTS).toLocaleString("en")} deliveries`,
  );
  console.log(
    `latency publish → receive: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(percentile(sorted, 100))}  (goal: p99 < 50 ms)`,
  );
  console.log(
    `  first client served after p50 ${ms(percentile(firstArrivals, 50))}; first to last client p50 ${ms(percentile(spreads, 50))}, p99 ${ms(percentile(spreads, 99))}`,
  );
  console.log(
    `lost ${lost}, duplicated ${duplicates}, slow clients dropped ${server.slow_clients_dropped}  (goal: 0 lost)`,
  );
  console.log(
    `web RSS: ${mb(rssBefore)} before clients, ${mb(rssIdle)} with ${CLIENTS} clients, ${mb(rssStreaming)} after streaming`,
  );
  console.log(
    `RSS per client: ${kb((rssIdle - rssBefore) / CLIENTS)} with clients, ${kb((rssStreaming - rssBefore) / CLIENTS)} after streaming  (goal: < 50 KB)`,
  );
  console.log(
    `CPU while streaming: web ${percentOfCore(webCpuMs)} of a core (${ms(webCpuMs / EVENTS)} per event for ${CLIENTS} clients), these clients ${percentOfCore((ownCpu.user + ownCpu.system) / 1000)}`,
  );
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
