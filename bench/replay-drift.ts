/**
 * How late does the replayer hand out records, and does the lateness grow with the length of
 * the run? Real time on the system clock, against the baseline of the course's replayer, which
 * slept each row's `elapsed_time_seconds` and so added every wake-up's lateness to the next rows.
 *
 *   npm run bench:replay-drift (about 95 s: each run is played twice, ours then the baseline)
 *
 * Lateness = when a record came out - when it was due on an absolute schedule from the first one.
 * Goals at 1× and 100×: no growth with the length of the run, final lateness ≤ 2 ms, p99 ≤ 2 ms and
 * max ≤ 5 ms (a busy machine shows its stalls in the max), at a few % of a core.
 */
import { availableParallelism, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { GpsRecord } from "@gps-workshop/shared";
import { replay, systemClock } from "@gps-workshop/shared";

interface Run {
  label: string;
  records: number;
  speed: number;
  /** Whether the goals apply; at 1000× the records are 1 ms apart, the timers' own resolution. */
  goals: boolean;
}

const RUNS: Run[] = [
  {
    label: "(a) 1,000 records 1 s apart at 100× (10 ms apart, 10 s)",
    records: 1_000,
    speed: 100,
    goals: true,
  },
  { label: "(b) 30 records 1 s apart at 1× (30 s)", records: 30, speed: 1, goals: true },
  {
    label: "(c) 5,000 records 1 s apart at 1000× (1 ms apart, 5 s)",
    records: 5_000,
    speed: 1000,
    goals: false,
  },
];

const GOAL_MS = { final: 2, p99: 2, max: 5 };

interface Measured {
  lateness: number[];
  cpuPercent: number;
}

function track(count: number): GpsRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: 1_700_000_000 + i,
    latitude: 52.52 + i * 1e-5,
    longitude: 13.405,
    elevation: null,
    accuracy: null,
    bearing: null,
    speed_meters_per_second: 1.1,
    satellites: null,
    hdop: null,
    vdop: null,
    pdop: null,
    distance_meters: i === 0 ? 0 : 1.1,
    elapsed_time_seconds: i === 0 ? 0 : 1,
  }));
}

async function measure(play: () => Promise<number[]>): Promise<Measured> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const lateness = await play();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  return { lateness, cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100 };
}

async function playOurs(records: GpsRecord[], speed: number): Promise<number[]> {
  async function* source() {
    yield* records;
  }
  const lateness: number[] = [];
  for await (const { scheduledAt, emittedAt } of replay(source, { speed, clock: systemClock })) {
    lateness.push(emittedAt - scheduledAt);
  }
  return lateness;
}

/** The course's way: sleep each row's interval, so each sleep's lateness carries over. */
async function playNaive(records: GpsRecord[], speed: number): Promise<number[]> {
  const first = records[0]?.timestamp ?? 0;
  const start = performance.now();
  const lateness: number[] = [];
  for (const record of records) {
    await sleep((record.elapsed_time_seconds * 1000) / speed);
    lateness.push(performance.now() - (start + ((record.timestamp - first) * 1000) / speed));
  }
  return lateness;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const tenth = (values: number[]) => Math.max(1, Math.round(values.length / 10));
const firstTenthMean = (values: number[]) => mean(values.slice(0, tenth(values)));
const lastTenthMean = (values: number[]) => mean(values.slice(-tenth(values)));

/** Least-squares slope of lateness against row number: how much later each row comes out. */
function driftPerRow(lateness: number[]): number {
  const meanRow = (lateness.length - 1) / 2;
  const meanLate = mean(lateness);
  let covariance = 0;
  let variance = 0;
  lateness.forEach((late, row) => {
    covariance += (row - meanRow) * (late - meanLate);
    variance += (row - meanRow) ** 2;
  });
  return covariance / variance;
}

const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);

function describe(name: string, { lateness, cpuPercent }: Measured): string {
  return [
    name.padEnd(8),
    `median ${ms(percentile(lateness, 0.5))}`,
    `p99 ${ms(percentile(lateness, 0.99))}`,
    `max ${ms(Math.max(...lateness))}`,
    `final ${ms(lateness.at(-1) ?? Number.NaN)}`,
    `mean of first 10% ${ms(firstTenthMean(lateness))}`,
    `of last 10% ${ms(lastTenthMean(lateness))}`,
    `drift ${driftPerRow(lateness).toFixed(4)} ms/row`,
    `CPU ${cpuPercent.toFixed(1)}%`,
  ].join("  ");
}

// Other processes competing for the CPUs show up as rare multi-millisecond delays in the maxima.
console.log(`load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} CPUs\n`);
for (const run of RUNS) {
  const records = track(run.records);
  console.log(run.label);
  const ours = await measure(() => playOurs(records, run.speed));
  console.log(`  ${describe("replay", ours)}`);
  const naive = await measure(() => playNaive(records, run.speed));
  console.log(`  ${describe("naive", naive)}`);
  const growth = (lateness: number[]) => lastTenthMean(lateness) - firstTenthMean(lateness);
  console.log(
    `  growth from the first to the last 10%: replay ${ms(growth(ours.lateness)).trim()}, ` +
      `naive ${ms(growth(naive.lateness)).trim()} (goal: none)`,
  );
  if (run.goals) {
    const late = ours.lateness;
    const check = (name: keyof typeof GOAL_MS, value: number) =>
      `${name} ${ms(value).trim()} (goal ≤ ${GOAL_MS[name]} ms ${value <= GOAL_MS[name] ? "✓" : "✗"})`;
    const figures = [
      check("final", late.at(-1) ?? Number.NaN),
      check("p99", percentile(late, 0.99)),
      check("max", Math.max(...late)),
    ];
    console.log(`  replay: ${figures.join(", ")}`);
  }
  console.log();
}
