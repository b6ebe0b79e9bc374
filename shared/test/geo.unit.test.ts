import { describe, expect, it } from "vitest";
import { cumulativeDistances, haversineMeters, initialBearingDegrees } from "../src/geo.ts";

// Reference points; distances checked against published great-circle figures (R = 6371.0088 km).
const paris = { latitude: 48.8566, longitude: 2.3522 };
const london = { latitude: 51.5074, longitude: -0.1278 };

describe("haversineMeters", () => {
  it("is zero between a point and itself", () => {
    expect(haversineMeters(paris, paris)).toBe(0);
  });

  it("measures Paris to London as about 343.6 km", () => {
    expect(haversineMeters(paris, london) / 1000).toBeCloseTo(343.56, 1);
  });

  it("measures one degree of latitude as about 111.2 km", () => {
    const a = { latitude: 0, longitude: 0 };
    const b = { latitude: 1, longitude: 0 };
    expect(haversineMeters(a, b)).toBeCloseTo(111_195, 0);
  });

  it("gives half the circumference for antipodal points", () => {
    const distance = haversineMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 });
    expect(distance).toBeCloseTo(Math.PI * 6_371_008.8, 3);
  });
});

describe("initialBearingDegrees", () => {
  const origin = { latitude: 0, longitude: 0 };

  it.each([
    ["north", { latitude: 1, longitude: 0 }, 0],
    ["east", { latitude: 0, longitude: 1 }, 90],
    ["south", { latitude: -1, longitude: 0 }, 180],
    ["west", { latitude: 0, longitude: -1 }, 270],
  ])("points %s", (_name, to, expected) => {
    expect(initialBearingDegrees(origin, to)).toBeCloseTo(expected, 9);
  });

  it("points about 330° from Paris to London", () => {
    expect(initialBearingDegrees(paris, london)).toBeCloseTo(330.0, 0);
  });
});

describe("cumulativeDistances", () => {
  it("is empty for no points", () => {
    expect(cumulativeDistances([])).toEqual([]);
  });

  it("starts at zero and adds each leg", () => {
    const a = { latitude: 0, longitude: 0 };
    const b = { latitude: 1, longitude: 0 };
    const c = { latitude: 2, longitude: 0 };
    const totals = cumulativeDistances([a, b, c]);
    expect(totals[0]).toBe(0);
    expect(totals[1]).toBeCloseTo(haversineMeters(a, b), 6);
    expect(totals[2]).toBeCloseTo(haversineMeters(a, b) + haversineMeters(b, c), 6);
  });
});
