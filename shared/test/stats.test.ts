import { describe, expect, it } from "vitest";
import type { GpsRecord } from "../src/record.ts";
import { recordSpeed, TimeWeightedMean, timeWeightedMeanSpeed } from "../src/stats.ts";

function record(overrides: Partial<GpsRecord>): GpsRecord {
  return {
    timestamp: 1_700_000_000,
    latitude: 52.52,
    longitude: 13.405,
    elevation: null,
    accuracy: null,
    bearing: null,
    speed_meters_per_second: null,
    satellites: null,
    hdop: null,
    vdop: null,
    pdop: null,
    distance_meters: 0,
    elapsed_time_seconds: 0,
    ...overrides,
  };
}

describe("recordSpeed", () => {
  it("uses the measured speed when there is one", () => {
    expect(
      recordSpeed(record({ speed_meters_per_second: 4.2, distance_meters: 50, elapsed_time_seconds: 4 })),
    ).toBe(4.2);
  });

  it("keeps a measured 0 m/s rather than deriving a speed", () => {
    expect(
      recordSpeed(record({ speed_meters_per_second: 0, distance_meters: 50, elapsed_time_seconds: 4 })),
    ).toBe(0);
  });

  it("derives distance over elapsed time when the speed is null", () => {
    expect(recordSpeed(record({ distance_meters: 50, elapsed_time_seconds: 4 }))).toBe(12.5);
  });

  it("gives 0 when the speed is null and no time elapsed", () => {
    expect(recordSpeed(record({ distance_meters: 5, elapsed_time_seconds: 0 }))).toBe(0);
  });
});

describe("timeWeightedMeanSpeed", () => {
  // 10 m/s for 10 s, 20 m/s for 20 s, 0 m/s for 10 s: 500 m in 40 s. A plain average says 10.
  const steps = [
    { time: 0, speed: 10 },
    { time: 10, speed: 20 },
    { time: 30, speed: 0 },
  ];

  it("weights each speed by how long it held", () => {
    expect(timeWeightedMeanSpeed(steps, { start: 0, end: 40 })).toBe(12.5);
  });

  it("takes the speed at the window's start from the last sample before it", () => {
    // 10 m/s (the sample at 0) from 5 to 10, 20 m/s to 30, 0 m/s to 35: 450 m in 30 s.
    expect(timeWeightedMeanSpeed(steps, { start: 5, end: 35 })).toBe(15);
  });

  it("ignores samples after the window", () => {
    expect(timeWeightedMeanSpeed(steps, { start: 0, end: 20 })).toBe(15);
  });

  it("averages only the covered part when the first sample falls inside the window", () => {
    // Nothing known before 10; then 20 m/s for 20 s and 0 m/s for 10 s.
    expect(timeWeightedMeanSpeed(steps.slice(1), { start: 0, end: 40 })).toBeCloseTo(400 / 30, 12);
  });

  it("gives the speed itself for a single constant sample", () => {
    expect(timeWeightedMeanSpeed([{ time: -100, speed: 7 }], { start: 0, end: 60 })).toBe(7);
  });

  it("lets a change exactly at the start count and one exactly at the end weigh nothing", () => {
    expect(timeWeightedMeanSpeed(steps, { start: 10, end: 30 })).toBe(20);
  });

  it("gives undefined when no sample covers any of the window", () => {
    expect(timeWeightedMeanSpeed([], { start: 0, end: 10 })).toBeUndefined();
    expect(timeWeightedMeanSpeed([{ time: 50, speed: 3 }], { start: 0, end: 20 })).toBeUndefined();
    expect(timeWeightedMeanSpeed([{ time: 20, speed: 3 }], { start: 0, end: 20 })).toBeUndefined();
  });

  it("gives undefined for an empty window", () => {
    expect(timeWeightedMeanSpeed(steps, { start: 10, end: 10 })).toBeUndefined();
  });

  it("accepts samples in any order", () => {
    expect(timeWeightedMeanSpeed([...steps].reverse(), { start: 0, end: 40 })).toBe(12.5);
  });

  it("rejects a window that ends before it starts", () => {
    expect(() => timeWeightedMeanSpeed(steps, { start: 10, end: 5 })).toThrow(
      new RangeError("window end 5 is before its start 10"),
    );
  });
});

describe("TimeWeightedMean", () => {
  it("keeps the mean up to date as changes stream in", () => {
    const mean = new TimeWeightedMean(0);
    mean.add(0, 10);
    expect(mean.mean(10)).toBe(10);
    mean.add(10, 20);
    expect(mean.mean(30)).toBeCloseTo(500 / 30, 12);
    mean.add(30, 0);
    expect(mean.mean(40)).toBe(12.5);
  });

  it("uses the initial value until the first change", () => {
    const mean = new TimeWeightedMean(0, 4);
    mean.add(10, 8);
    expect(mean.mean(20)).toBe(6);
  });

  it("takes changes before the start as the value in force at the start", () => {
    const mean = new TimeWeightedMean(100);
    mean.add(50, 3);
    mean.add(90, 5);
    mean.add(110, 1);
    expect(mean.mean(120)).toBe(3);
  });

  it("gives undefined while no value is known", () => {
    expect(new TimeWeightedMean(0).mean(10)).toBeUndefined();
  });

  it("gives a constant value back", () => {
    expect(new TimeWeightedMean(1_700_000_000, 2.5).mean(1_700_003_600)).toBe(2.5);
  });

  it("rejects a change earlier than the previous one", () => {
    const mean = new TimeWeightedMean(0);
    mean.add(10, 1);
    expect(() => mean.add(5, 2)).toThrow(
      new RangeError("a change at 5 is earlier than the previous change at 10"),
    );
  });

  it("rejects an end before the start or before the last change", () => {
    const mean = new TimeWeightedMean(10, 1);
    expect(() => mean.mean(5)).toThrow(new RangeError("window end 5 is before its start 10"));
    mean.add(20, 2);
    expect(() => mean.mean(15)).toThrow(new RangeError("window end 15 is before the last change at 20"));
  });

  it("rejects times and values that are not finite numbers", () => {
    expect(() => new TimeWeightedMean(Number.NaN)).toThrow(
      new RangeError("start must be a finite number, got NaN"),
    );
    const mean = new TimeWeightedMean(0);
    expect(() => mean.add(1, Number.POSITIVE_INFINITY)).toThrow(
      new RangeError("value must be a finite number, got Infinity"),
    );
  });
});
