import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { GpsRecordSchema } from "@gps-workshop/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { parseReplayArgs } from "../replay-args.ts";

const cli = path.resolve(import.meta.dirname, "../replay.ts");
/** The CLI runs as `npm run replay` runs it: through tsx, with the sources of the workspace packages. */
const node = ["--import", import.meta.resolve("tsx"), "--conditions=development"];
const run = promisify(execFile);

/** Runs the CLI to the end; never throws on a non-zero exit. */
async function replayCli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...node, cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Reads JSON lines from a running CLI until `count` records have arrived. */
function readRecords(child: ChildProcess, count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const lines = text.split("\n").filter(Boolean);
      if (lines.length >= count) resolve(lines.slice(0, count).map((line) => JSON.parse(line)));
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${count} records`)));
  });
}

let track: string;

beforeAll(async () => {
  const folder = await mkdtemp(path.join(tmpdir(), "replay-cli-"));
  track = path.join(folder, "track.csv");
  // Five fixes one second apart, and one invalid row (latitude 95) that must be skipped.
  const rows = [0, 1, 2, 3, 4].map(
    (i) => `${1_700_000_000 + i},37.87,${(-122.26 + i * 0.0001).toFixed(4)},5`,
  );
  rows.splice(2, 0, "1700000001.5,95,-122.26,5");
  await writeFile(track, `timestamp,latitude,longitude,speed_meters_per_second\n${rows.join("\n")}\n`);
});

describe("the replay command line", () => {
  it("prints every valid record as one JSON line, at the recorded pace times the speed", async () => {
    const started = performance.now();
    const { code, stdout, stderr } = await replayCli(track, "--speed", "20");
    const elapsed = performance.now() - started;
    expect(code).toBe(0);
    const records = stdout
      .trim()
      .split("\n")
      .map((line) => GpsRecordSchema.parse(JSON.parse(line)));
    expect(records.map((r) => r.timestamp)).toEqual([
      1_700_000_000, 1_700_000_001, 1_700_000_002, 1_700_000_003, 1_700_000_004,
    ]);
    // Four one-second intervals at 20x: at least 200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(stderr).toContain("skipped");
    expect(stderr).toMatch(/track\.csv:4: latitude 95 is greater than 90/);
  });

  it("starts at the row given by --from", async () => {
    const { code, stdout } = await replayCli(track, "--speed", "100", "--from", "3");
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).timestamp),
    ).toEqual([1_700_000_003, 1_700_000_004]);
  });

  it("loops with increasing timestamps until interrupted, then exits 0", async () => {
    const child = spawn(process.execPath, [...node, cli, track, "--speed", "1000", "--loop"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const records = (await readRecords(child, 12)) as { timestamp: number }[];
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const timestamps = records.map((r) => r.timestamp);
    expect(timestamps.every((t, i) => i === 0 || t > (timestamps[i - 1] ?? 0))).toBe(true);
  });

  it("prints the usage with --help and exits 0", async () => {
    const { code, stdout } = await replayCli("--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run replay -- <file>/);
  });

  it.each([
    [["--speed", "0", "x.csv"], 'replay: --speed must be a number > 0, got "0" (see --help)'],
    [["--speed", "fast", "x.csv"], 'replay: --speed must be a number > 0, got "fast" (see --help)'],
    [["--from=-1", "x.csv"], 'replay: --from must be a whole number >= 0, got "-1" (see --help)'],
    [[], "replay: missing the track file to replay (see --help)"],
    [["a.csv", "b.csv"], 'replay: unexpected argument "b.csv" (see --help)'],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const { code, stdout, stderr } = await replayCli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(message);
  });

  it("rejects an unknown option with one line and exit code 2", async () => {
    const { code, stderr } = await replayCli("--sped", "2", "x.csv");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("--sped");
  });

  it("names a missing file in one line and exits 1", async () => {
    const { code, stderr } = await replayCli("no-such-track.csv");
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("replay: no-such-track.csv: no such file");
  });
});

describe("parseReplayArgs", () => {
  it("gives the defaults", () => {
    expect(parseReplayArgs(["t.gpx"])).toEqual({ file: "t.gpx", speed: 1, loop: false, from: 0 });
  });

  it("reads every option", () => {
    expect(parseReplayArgs(["--loop", "--speed", "2.5", "--from", "7", "t.gpx"])).toEqual({
      file: "t.gpx",
      speed: 2.5,
      loop: true,
      from: 7,
    });
  });
});
