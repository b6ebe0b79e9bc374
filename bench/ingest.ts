/**
 * How fast does readTrack read the course CSV, validation included, and does its memory grow
 * with the file? Reads a 100,000-row and a 1,000,000-row file (generated into a temp dir, then
 * deleted), each in a fresh process, and prints rows/s and the peak RSS of each read. Rows/s is
 * wall-clock, which drops on a machine busy with other work; rows per CPU second (the reading
 * thread's) shows what the read itself costs.
 * Goals: ≥ 150,000 rows/s on the 1,000,000 rows, and a peak RSS ratio near 1 (≤ 1.2) although the
 * second file is 10× bigger: constant memory.
 *
 *   npm run bench:ingest (about 10 s)
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { readTrack } from "@gps-workshop/shared";

const GOAL_ROWS_PER_SECOND = 150_000;
const GOAL_RSS_RATIO = 1.2;

const HEADER =
  "timestamp,latitude,longitude,elevation,accuracy,bearing,speed_meters_per_second,satellites,provider," +
  "hdop,vdop,pdop,geoidheight,ageofdgpsdata,dgpsid,activity,battery,annotation,distance_meters,elapsed_time_seconds";

/** One second per row, a slow random walk: rows shaped like the course's recordings. */
function row(i: number): string {
  const latitude = -27.71784157287977 + Math.sin(i / 5000) * 0.01;
  const longitude = -51.0988658712078 + Math.cos(i / 7000) * 0.01;
  const elevation = 984.2761120124112 + Math.sin(i / 300) * 12;
  const bearing = (i * 7.3) % 360;
  const speed = Math.abs(Math.sin(i / 50)) * 1.5;
  return (
    `${1577218887.999 + i},${latitude},${longitude},${elevation},4.0,${bearing},${speed},14,gps,` +
    `0.8,1.6,1.8,3.6,,,,85,,${speed * 1.01},1.0`
  );
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  const batch = 1000;
  for (let start = 0; start < rows; start += batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + batch, rows); i++) lines.push(row(i));
    if (!out.write(`${lines.join("\n")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

interface Measured {
  rows: number;
  rejected: number;
  seconds: number;
  /** CPU time of the main thread: what the read costs, even when other work slows the clock. */
  cpuSeconds: number;
  peakRss: number;
}

/** Reads the file in this process, sampling the RSS every 5 ms. */
async function measureRead(file: string): Promise<Measured> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  let rows = 0;
  let rejected = 0;
  const started = performance.now();
  const cpuBefore = process.threadCpuUsage();
  for await (const _record of readTrack(file, { onReject: () => rejected++ })) rows++;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.threadCpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { rows, rejected, seconds, cpuSeconds, peakRss };
}

/**
 * Reads the file in a fresh process (same Node, same tsx loader), so that one read's peak RSS
 * owes nothing to the files generated or read before it.
 */
async function measureReadInChild(file: string): Promise<Measured> {
  const args = [...process.execArgv, import.meta.filename, "--measure", file];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  return JSON.parse(stdout) as Measured;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "ingest-bench-"));
  try {
    const results: Measured[] = [];
    for (const rows of [100_000, 1_000_000]) {
      const file = path.join(dir, `course-${rows}.csv`);
      await writeCsv(file, rows);
      const { size } = await stat(file);
      const result = await measureReadInChild(file);
      results.push(result);
      const perSecond = (seconds: number) => Math.round(result.rows / seconds).toLocaleString("en");
      console.log(
        `${result.rows.toLocaleString("en")} rows (${mib(size)}, ${result.rejected} rejected): ` +
          `${perSecond(result.seconds)} rows/s (${perSecond(result.cpuSeconds)} per CPU second), ` +
          `peak RSS ${mib(result.peakRss)}`,
      );
      await rm(file);
    }
    const [small, large] = results;
    if (small && large) {
      const rowsPerSecond = large.rows / large.seconds;
      const ratio = large.peakRss / small.peakRss;
      const verdict = (ok: boolean) => (ok ? "✓" : "✗");
      console.log(
        `1M rows: ${Math.round(rowsPerSecond).toLocaleString("en")} rows/s ` +
          `(goal ≥ ${GOAL_ROWS_PER_SECOND.toLocaleString("en")} ${verdict(rowsPerSecond >= GOAL_ROWS_PER_SECOND)}); ` +
          `peak RSS 1M / 100k rows: ${ratio.toFixed(2)} (goal ≤ ${GOAL_RSS_RATIO} ${verdict(ratio <= GOAL_RSS_RATIO)}, ` +
          "the file is 10× larger)",
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [flag, file] = process.argv.slice(2);
if (flag === "--measure" && file) {
  console.log(JSON.stringify(await measureRead(file)));
} else {
  await main();
}
