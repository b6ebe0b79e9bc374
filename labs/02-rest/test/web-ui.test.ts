import { haversineMeters } from "@gps-workshop/shared";
import { gpsRecord } from "@gps-workshop/shared/testing";
import {
  dashboardView,
  downsampleSeries,
  formatDateTime,
  formatNumber,
  formatSpeed,
  lineChartView,
  loadSharedPartials,
  MISSING,
  thinEvenly,
  trackDrawingView,
} from "@gps-workshop/shared/ui";
import { Eta } from "eta";
import { describe, expect, it } from "vitest";

// The shared UI pieces that labs 02 and 03 both draw their pages with.

const chartOptions = { id: "chart-x", title: "X", unit: "m", digits: 1 };

/** The points of an SVG polyline attribute. */
function parsePoints(points: string): { x: number; y: number }[] {
  return points.split(" ").map((pair) => {
    const [x, y] = pair.split(",").map(Number);
    return { x: x ?? Number.NaN, y: y ?? Number.NaN };
  });
}

describe("formatting", () => {
  it("writes numbers with fixed decimals and thousands separators, and a missing one as —", () => {
    expect(formatNumber(1234.5, 2)).toBe("1,234.50");
    expect(formatNumber(-0.001, 2)).toBe("0.00");
    expect(formatNumber(null, 1)).toBe(MISSING);
    expect(formatNumber(Number.NaN, 1)).toBe(MISSING);
    expect(formatSpeed(4.2)).toBe("4.20 m/s (15.1 km/h)");
    expect(formatDateTime(1_700_000_000)).toBe("2023-11-14 22:13:20");
  });
});

describe("downsampling", () => {
  it("keeps a short series as it is", () => {
    const points = [0, 1, 2].map((x) => ({ x, y: x }));
    expect(downsampleSeries(points, 500)).toEqual(points);
  });

  it("keeps at most the given number of points, the first and the last, and the peaks", () => {
    const points = Array.from({ length: 3600 }, (_, x) => ({ x, y: x === 1234 ? 100 : Math.sin(x / 100) }));

    const kept = downsampleSeries(points, 500);

    expect(kept).toHaveLength(500);
    expect(kept[0]).toEqual(points[0]);
    expect(kept[499]).toEqual(points[3599]);
    expect(kept).toContainEqual({ x: 1234, y: 100 });
  });

  it("thins a track evenly, keeping both ends", () => {
    const items = Array.from({ length: 1001 }, (_, i) => i);

    expect(thinEvenly(items, 5)).toEqual([0, 250, 500, 750, 1000]);
    expect(thinEvenly([1, 2], 5)).toEqual([1, 2]);
  });
});

describe("a line chart", () => {
  it("scales the series to the plot area: first time left, last right, lowest value at the bottom", () => {
    const chart = lineChartView(
      [
        { time: 100, value: 5 },
        { time: 110, value: 15 },
        { time: 120, value: 10 },
      ],
      chartOptions,
    );

    const points = parsePoints(chart.points);
    expect(chart.pointCount).toBe(3);
    expect(points).toEqual([
      { x: chart.plot.left, y: chart.plot.bottom },
      { x: (chart.plot.left + chart.plot.right) / 2, y: chart.plot.top },
      { x: chart.plot.right, y: (chart.plot.top + chart.plot.bottom) / 2 },
    ]);
    expect(chart).toMatchObject({ yMin: "5.0", yMax: "15.0", latest: "10.0 m", xStart: "00:01:40" });
    expect(chart.last).toEqual(points[2]);
  });

  it("draws a flat or single-point series in the middle instead of dividing by zero", () => {
    const chart = lineChartView([{ time: 100, value: 7 }], chartOptions);
    const middle = {
      x: (chart.plot.left + chart.plot.right) / 2,
      y: (chart.plot.top + chart.plot.bottom) / 2,
    };

    expect(parsePoints(chart.points)).toEqual([middle]);
  });

  it("has no points and says so before the first sample", () => {
    const chart = lineChartView([], chartOptions);

    expect(chart).toMatchObject({ pointCount: 0, points: "", description: "X: no samples yet." });
  });

  it("draws at most 500 points of a long series", () => {
    const series = Array.from({ length: 3600 }, (_, i) => ({ time: i, value: i % 7 }));

    expect(lineChartView(series, chartOptions).pointCount).toBe(500);
  });
});

describe("the track drawing", () => {
  const north = { latitude: 45.01, longitude: 5 };
  const origin = { latitude: 45, longitude: 5 };
  // About as far east as `north` is north of the origin.
  const east = { latitude: 45, longitude: 5 + 0.01 / Math.cos((45.005 * Math.PI) / 180) };

  it("is drawn north up, with the same scale east-west and north-south, inside the box", () => {
    const view = trackDrawingView([origin, north, east]);
    const [o, n, e] = parsePoints(view.points);

    expect(n?.y).toBeLessThan(o?.y ?? 0);
    expect(e?.x).toBeGreaterThan(o?.x ?? 0);
    expect(Math.abs((o?.y ?? 0) - (n?.y ?? 0))).toBeCloseTo(Math.abs((e?.x ?? 0) - (o?.x ?? 0)), 0);
    for (const point of [o, n, e]) {
      expect(point?.x).toBeGreaterThanOrEqual(0);
      expect(point?.x).toBeLessThanOrEqual(view.width);
      expect(point?.y).toBeGreaterThanOrEqual(0);
      expect(point?.y).toBeLessThanOrEqual(view.height);
    }
    expect(view.start).toEqual(o);
    expect(view.current).toEqual(e);
    const size = haversineMeters(origin, north);
    expect(view.extent).toBe(`${formatNumber(size, 0)} m × ${formatNumber(size, 0)} m`);
  });

  it("hands the map the track as [lat, lon] pairs, rounded to about a metre", () => {
    const view = trackDrawingView([{ latitude: 45.123456789, longitude: 5.987654321 }]);

    expect(JSON.parse(view.latLngs)).toEqual([[45.12346, 5.98765]]);
    expect(parsePoints(view.points)).toEqual([{ x: view.width / 2, y: view.height / 2 }]);
  });
});

describe("the dashboard", () => {
  it("measures the distance along the samples, and skips missing elevations", () => {
    const samples = [
      gpsRecord({ timestamp: 1, latitude: 45, elevation: 200 }),
      gpsRecord({ timestamp: 2, latitude: 45.001, elevation: null }),
      gpsRecord({ timestamp: 3, latitude: 45.002, elevation: 210 }),
    ];

    const view = dashboardView(samples);

    const [distance, speed, elevation] = view.charts;
    const along = haversineMeters(
      { latitude: 45, longitude: 5.7245 },
      { latitude: 45.002, longitude: 5.7245 },
    );
    expect(distance?.latest).toBe(`${formatNumber(along, 0)} m`);
    expect(speed?.pointCount).toBe(3);
    expect(elevation?.pointCount).toBe(2);
    expect(view.table.rows.map((row) => row.key)).toEqual(["3", "2", "1"]);
  });
});

describe("the shared partials", () => {
  it("are all registered with a lab's Eta, and escape what they show", () => {
    const eta = new Eta({ autoEscape: true });

    const names = loadSharedPartials(eta);

    expect(names).toEqual(
      expect.arrayContaining(["@state-card", "@samples-table", "@charts", "@track-map", "@status-banner"]),
    );
    const html = eta.render("@status-banner", { banner: { tone: "error", message: "<b>bold</b>" } });
    expect(html).toBe('<p class="banner banner--error" role="status">&lt;b&gt;bold&lt;/b&gt;</p>\n');
  });
});
