import { downsampleSeries, type Point } from "./downsample.ts";
import { formatNumber, formatTimeOfDay } from "./format.ts";

/** A value over time: `time` in seconds since the epoch. */
export interface TimedValue {
  time: number;
  value: number;
}

export interface LineChartOptions {
  /** The id of the chart's element in the page, e.g. "chart-speed". */
  id: string;
  title: string;
  unit: string;
  /** Decimals of the value labels. */
  digits: number;
  /** At most this many points are drawn (downsampled beyond). Default 500. */
  maxPoints?: number;
}

/** Everything the line-chart partial draws, in SVG user units (the viewBox is width × height). */
export interface LineChartView {
  id: string;
  title: string;
  unit: string;
  width: number;
  height: number;
  /** The plot area, inside the margins that hold the labels. */
  plot: { left: number; top: number; right: number; bottom: number };
  /** The polyline's `points` attribute: "x,y x,y …". */
  points: string;
  pointCount: number;
  /** Where the newest value is drawn, to mark it with a dot. */
  last?: Point;
  yMin: string;
  yMax: string;
  xStart: string;
  xEnd: string;
  /** The newest value with its unit, e.g. "4.20 m/s". */
  latest: string;
  /** What the chart shows, in words, for screen readers. */
  description: string;
}

const WIDTH = 360;
const HEIGHT = 180;
const PLOT = { left: 60, top: 10, right: WIDTH - 10, bottom: HEIGHT - 24 };

/**
 * A line chart of `series` (sorted by time), scaled to fill the plot area: the lowest value at
 * the bottom, the highest at the top, the first time at the left, the last at the right. A flat
 * or single-point series is drawn in the middle rather than divided by zero.
 */
export function lineChartView(series: readonly TimedValue[], options: LineChartOptions): LineChartView {
  const { id, title, unit, digits, maxPoints = 500 } = options;
  const base = { id, title, unit, width: WIDTH, height: HEIGHT, plot: PLOT };
  const first = series[0];
  const newest = series[series.length - 1];
  if (!first || !newest) {
    return {
      ...base,
      points: "",
      pointCount: 0,
      yMin: "",
      yMax: "",
      xStart: "",
      xEnd: "",
      latest: "",
      description: `${title}: no samples yet.`,
    };
  }
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const { value } of series) {
    yMin = Math.min(yMin, value);
    yMax = Math.max(yMax, value);
  }
  const toX = scale(first.time, newest.time, PLOT.left, PLOT.right);
  const toY = scale(yMin, yMax, PLOT.bottom, PLOT.top);
  // Scaling each axis scales every triangle of the downsampling alike: the same points are kept
  // whether the series is scaled first or not, and only the kept ones need scaling.
  const drawn = downsampleSeries(
    series.map(({ time, value }) => ({ x: time, y: value })),
    maxPoints,
  ).map(({ x, y }) => ({ x: toX(x), y: toY(y) }));
  const latest = `${formatNumber(newest.value, digits)} ${unit}`;
  return {
    ...base,
    points: drawn.map(({ x, y }) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
    pointCount: drawn.length,
    last: drawn[drawn.length - 1],
    yMin: formatNumber(yMin, digits),
    yMax: formatNumber(yMax, digits),
    xStart: formatTimeOfDay(first.time),
    xEnd: formatTimeOfDay(newest.time),
    latest,
    description:
      `${title} from ${formatTimeOfDay(first.time)} to ${formatTimeOfDay(newest.time)} UTC, ` +
      `between ${formatNumber(yMin, digits)} and ${formatNumber(yMax, digits)} ${unit}; latest ${latest}.`,
  };
}

/** Maps [from, to] onto [start, end]; a zero-width domain maps to the middle. */
function scale(from: number, to: number, start: number, end: number): (value: number) => number {
  if (to === from) return () => (start + end) / 2;
  return (value) => start + ((value - from) / (to - from)) * (end - start);
}
