/**
 * Lab 02's API under load, against the baseline of a bare `node:http` server.
 *
 *   npm run bench:rest-api (about 55 s; needs Docker for Redis)
 *
 * 1. GET /gps_state, 50 connections for 10 s, on the Express API (createApp) and on a bare
 *    node:http handler that does the same `GET gps_state` with the same kind of Redis client;
 *    twice each, taking turns, as other work on the machine makes single runs noisy.
 *    Goals: the API at >= 0.9x the bare server's requests per second, and p99 <= 10 ms.
 * 2. One 2-s /compute_avg_speed while a writer updates the state 10 times a second, as the
 *    replayer does: how many commands the computation sent Redis (INFO commandstats, the writer's
 *    own left out) against how many state changes it saw. Goal: <= 2 x changes + 5 (no polling).
 *
 * Both servers run in a child process (this file with --serve), so the load generator in this
 * process does not share their event loop.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import type { GpsRecord } from "@gps-workshop/shared";
import { gpsRecord } from "@gps-workshop/shared/testing/gps-record";
import { startRedisServer } from "@gps-workshop/shared/testing/redis";
import autocannon from "autocannon";
import { createClient, type RedisClientType } from "redis";
import { redisKeys } from "../labs/02-rest/src/redis-keys.ts";
import { writeRecord } from "../labs/02-rest/test/support/api-records.ts";

const CONNECTIONS = 50;
const DURATION_S = 10;
const WARM_UP_S = 2;
const ROUNDS = 2;
const WINDOW_S = 2;
const WRITES_PER_SECOND = 10;
const keys = redisKeys();

/** A record at `speed` m/s, its timestamp moved on by as many seconds. */
function recordAt(speed: number): GpsRecord {
  return gpsRecord({
    timestamp: 1_700_000_000 + speed,
    speed_meters_per_second: speed,
    distance_meters: speed,
  });
}

/** Child mode: the API and the bare server, each with its own Redis client; prints their ports. */
async function serve(redisUrl: string): Promise<void> {
  // Imported here only: the lab resolves @gps-workshop/shared through the "development" condition,
  // which this child has and the parent (run by tsx) does not.
  const { createApp } = await import("../labs/02-rest/src/api/app.ts");
  const { createRedisClient } = await import("@gps-workshop/service/redis");
  const apiRedis = createRedisClient({ url: redisUrl, service: "api", log: () => {} });
  const bareRedis = createRedisClient({ url: redisUrl, service: "bare", log: () => {} });
  await Promise.all([apiRedis.connect(), bareRedis.connect()]);
  const api = createApp({ redis: apiRedis, log: () => {} });
  const bare = createServer(async (_req, res) => {
    const body = (await bareRedis.get(keys.state)) ?? "";
    // The same headers as the API's, so that both send the same bytes.
    res.writeHead(200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
    });
    res.end(body);
  });
  const listen = async (server: Server) => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return (server.address() as AddressInfo).port;
  };
  const ports = { api: await listen(createServer(api.app)), bare: await listen(bare) };
  console.log(JSON.stringify(ports));
}

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds });
}

/** Calls per command since Redis started, from INFO commandstats. */
async function commandCalls(redis: RedisClientType): Promise<Map<string, number>> {
  const info = await redis.info("commandstats");
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm))
    calls.set(match[1] ?? "", Number(match[2]));
  return calls;
}

/**
 * Waits until Redis has had no other command than INFO for half a second: the servers may still
 * be answering requests that the load generator sent before it stopped.
 */
async function quiet(redis: RedisClientType): Promise<void> {
  const busy = (calls: Map<string, number>) =>
    [...calls].reduce((sum, [name, count]) => (name === "info" ? sum : sum + count), 0);
  let previous = -1;
  for (
    let current = busy(await commandCalls(redis));
    current !== previous;
    current = busy(await commandCalls(redis))
  ) {
    previous = current;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} CPUs`);
  const server = await startRedisServer();
  const redis: RedisClientType = createClient({ url: server.url });
  redis.on("error", (error) => console.error(`bench: redis: ${String(error)}`));
  await redis.connect();
  await redis.set(keys.state, JSON.stringify(recordAt(1.5)));
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--serve", server.url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [line] = (await once(child.stdout.setEncoding("utf8"), "data")) as [string];
    const ports = JSON.parse(line) as { api: number; bare: number };

    console.log(
      `\nGET /gps_state, ${CONNECTIONS} connections x ${DURATION_S} s, ${ROUNDS} rounds taking turns`,
    );
    console.log("round  server              req/s     p50     p99  errors");
    const servers = [
      { name: "bare node:http", url: `http://127.0.0.1:${ports.bare}/gps_state`, requests: 0, p99: 0 },
      { name: "Express API", url: `http://127.0.0.1:${ports.api}/gps_state`, requests: 0, p99: 0 },
    ];
    for (const server of servers) await load(server.url, WARM_UP_S);
    // Taking turns, so that a burst of load from elsewhere on the machine hits both alike.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of servers) {
        const result = await load(server.url, DURATION_S);
        server.requests += result.requests.total;
        server.p99 = Math.max(server.p99, result.latency.p99);
        const errors = result.errors + result.timeouts + result.non2xx;
        console.log(
          `${String(round).padEnd(6)} ${server.name.padEnd(16)} ${result.requests.average.toFixed(0).padStart(8)} ${`${result.latency.p50} ms`.padStart(7)} ${`${result.latency.p99} ms`.padStart(7)} ${String(errors).padStart(7)}`,
        );
      }
    }
    const [bare, api] = servers;
    if (bare && api) {
      const ratio = api.requests / bare.requests;
      console.log(
        `ratio API / bare: ${ratio.toFixed(2)}x (goal >= 0.9x); API p99 ${api.p99} ms at worst (goal <= 10 ms)`,
      );
    }

    console.log(
      `\nGET /compute_avg_speed?time_window_seconds=${WINDOW_S} while the state changes ${WRITES_PER_SECOND} times a second`,
    );
    await quiet(redis);
    let writes = 0;
    let speed = 0;
    const writeOne = async () => {
      speed = (speed + 1) % 20;
      await writeRecord(redis, keys, recordAt(speed));
      writes++;
    };
    let writing: Promise<void> = Promise.resolve();
    const writer = setInterval(() => {
      writing = writing.then(writeOne);
    }, 1000 / WRITES_PER_SECOND);
    await writing;
    const before = await commandCalls(redis);
    const writesBefore = writes;
    const answer = await fetch(
      `http://127.0.0.1:${ports.api}/compute_avg_speed?time_window_seconds=${WINDOW_S}`,
    );
    const mean = await answer.text();
    clearInterval(writer);
    await writing;
    const after = await commandCalls(redis);
    const changes = writes - writesBefore;

    // Left out: the writer's MULTI, SET, XADD and EXEC per change, and the first INFO (the second
    // is not counted yet when it reports).
    const writerCalls: Record<string, number> = {
      multi: changes,
      set: changes,
      xadd: changes,
      exec: changes,
      info: 1,
    };
    const apiCalls = [...after]
      .map(([name, calls]) => [name, calls - (before.get(name) ?? 0) - (writerCalls[name] ?? 0)] as const)
      .filter(([, calls]) => calls > 0);
    const total = apiCalls.reduce((sum, [, calls]) => sum + calls, 0);
    console.log(`answer: ${answer.status} ${mean} m/s`);
    console.log(`state changes during the window: ${changes}`);
    console.log(
      `Redis commands from the API: ${total} (goal <= ${2 * changes + 5}): ${apiCalls.map(([name, calls]) => `${name} ${calls}`).join(", ")}`,
    );
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
    redis.destroy();
    await server.close();
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3] ?? "");
else await main();
