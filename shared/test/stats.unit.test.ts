import { describe, expect, it } from "vitest";
import type { GpsRecord } from "../src/record.ts";
import { recordSpeed, TimeWeightedMean } from "../src/stats.ts";
import { gpsRecord } from "../testing/gps-record.ts";

/** A record with no measured speed unless the test gives one. */
const record = (overrides: Partial<GpsRecord>) => gpsRecord({ speed_meters_per_second: null, ...overrides });

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
