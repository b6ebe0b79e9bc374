// Lab 01 fan-in benchmark: many publishers, one listener. Run it from the repository root:
//   npm run bench:tcp-fanin -- [--publishers 50] [--rate 100] [--seconds 10]
// The listener runs as a child process, exactly as students run it, its stdout piped back here.
// Each line carries its publisher and sequence number, so we can count lines lost, duplicated,
// corrupted (not byte-identical to what was sent) or out of order, and time each line's trip.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    publishers: { type: "string", default: "50" },
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
  },
});
const publishers = Number(values.publishers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
for (const [name, value] of Object.entries({ publishers, rate, seconds })) {
  if (!(Number.isInteger(value) && value > 0)) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(2);
  }
}

const LISTENER = path.resolve(import.meta.dirname, "../labs/01-simplest/src/listener.ts");
// The listener is considered done once no line has arrived for this long.
const STALL_MS = 2000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object"
          ? resolve(address.port)
          : reject(new Error("no port assigned")),
      );
    });
  });
}

/** The exact line publisher `id` sends as its `seq`-th, stamped with its send time. */
function line(id: number, seq: number, sentAt: number): string {
  const name = `pub-${String(id).padStart(2, "0")}`;
  return `${name} ${seq} Hello from ${name}! ${sentAt.toFixed(3)}`;
}

const port = await freePort();
const listener = spawn(process.execPath, [...process.execArgv, LISTENER], {
  env: { PATH: process.env.PATH ?? "", LISTEN_PORT: String(port) },
  stdio: ["ignore", "pipe", "pipe"],
});
const exited = new Promise<number | null>((resolve) => listener.once("exit", (code) => resolve(code)));
await new Promise<void>((resolve) => {
  listener.stderr.setEncoding("utf8").on("data", (text: string) => {
    if (text.includes("listening on port")) resolve();
  });
});

// What arrives on the listener's stdout.
const nextExpected = new Array<number>(publishers).fill(0);
const seen = Array.from({ length: publishers }, () => new Set<number>());
let received = 0;
let corrupted = 0;
let duplicated = 0;
let outOfOrder = 0;
const latencies: number[] = [];
let partial = "";
listener.stdout.setEncoding("utf8").on("data", (chunk: string) => {
  const now = performance.now();
  const lines = (partial + chunk).split("\n");
  partial = lines.pop() ?? "";
  for (const text of lines) {
    received += 1;
    const match = /^pub-(\d+) (\d+) Hello from pub-\d+! (\d+\.\d+)$/.exec(text);
    const id = Number(match?.[1]);
    const seq = Number(match?.[2]);
    const sentAt = Number(match?.[3]);
    if (!match || !(id < publishers) || text !== line(id, seq, sentAt)) {
      corrupted += 1;
      continue;
    }
    const mine = seen[id] as Set<number>;
    if (mine.has(seq)) duplicated += 1;
    mine.add(seq);
    if (seq !== nextExpected[id]) outOfOrder += 1;
    nextExpected[id] = seq + 1;
    latencies.push(now - sentAt);
  }
});

// The publishers: one socket each, paced on the clock so that every one sends exactly rate × seconds.
const sockets: Socket[] = await Promise.all(
  Array.from(
    { length: publishers },
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => resolve(socket)).once("error", reject);
        socket.setNoDelay(true);
      }),
  ),
);
const perPublisher = rate * seconds;
const sent = new Array<number>(publishers).fill(0);
const start = performance.now();
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const now = performance.now();
    const due = Math.min(perPublisher, Math.floor(((now - start) / 1000) * rate));
    sockets.forEach((socket, id) => {
      let batch = "";
      let next = sent[id] ?? 0;
      for (; next < due; next++) batch += `${line(id, next, now)}\n`;
      sent[id] = next;
      if (batch) socket.write(batch);
    });
    if (due === perPublisher) {
      clearInterval(tick);
      resolve();
    }
  }, 5);
});
const sendingMs = performance.now() - start;
await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.end(() => resolve()))));

const total = publishers * perPublisher;
// Wait for the listener to catch up, for as long as lines keep arriving.
let lastCount = -1;
let lastProgress = performance.now();
while (received < total && performance.now() - lastProgress < STALL_MS) {
  if (received !== lastCount) [lastCount, lastProgress] = [received, performance.now()];
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const elapsedMs = performance.now() - start;

// The listener's peak memory (Linux only), then a clean shutdown.
const peakRss = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${listener.pid}/status`, "utf8"))?.[1];
const stopStart = performance.now();
listener.kill("SIGTERM");
const exitCode = await exited;
const stopMs = performance.now() - stopStart;

const lost = seen.reduce((sum, mine) => sum + (perPublisher - mine.size), 0);
latencies.sort((a, b) => a - b);
const percentile = (p: number): string =>
  (latencies[Math.floor((latencies.length - 1) * p)] ?? Number.NaN).toFixed(1);

console.log(`tcp-fanin: ${publishers} publishers × ${rate} lines/s × ${seconds} s into one listener`);
console.log(`  sent           ${total} lines in ${(sendingMs / 1000).toFixed(2)} s`);
console.log(`  received       ${received} lines, ${((received / elapsedMs) * 1000).toFixed(0)} lines/s`);
console.log(`  lost           ${lost}`);
console.log(`  corrupted      ${corrupted}`);
console.log(`  duplicated     ${duplicated}`);
console.log(`  out of order   ${outOfOrder}`);
console.log(
  `  latency        p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${percentile(1)} ms`,
);
console.log(`  listener       peak RSS ${peakRss ? `${Math.round(Number(peakRss) / 1024)} MiB` : "n/a"}`);
console.log(`  shutdown       exit code ${exitCode} in ${stopMs.toFixed(0)} ms`);
process.exit(lost === 0 && corrupted === 0 && duplicated === 0 && outOfOrder === 0 ? 0 : 1);
