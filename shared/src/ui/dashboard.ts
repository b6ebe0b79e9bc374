import { cumulativeDistances } from "../geo.ts";
import type { GpsRecord } from "../record.ts";
import { recordSpeed } from "../stats.ts";
import { type LineChartView, lineChartView } from "./line-chart.ts";
import { type SamplesTableView, samplesTableView } from "./samples-table.ts";
import { type StateCardView, stateCardView } from "./state-card.ts";
import { type TrackDrawingView, trackDrawingView } from "./track-drawing.ts";

/** Every widget of a live GPS page, from the samples the page has received. */
export interface DashboardView {
  /** The newest sample (all "—" before the first one). */
  state: StateCardView;
  table: SamplesTableView;
  /** Cumulative distance, speed and elevation over time. */
  charts: LineChartView[];
  track: TrackDrawingView;
}

export interface DashboardOptions {
  /** Rows the table shows. Default 50. */
  tableRows?: number;
  /** Points each chart and the track drawing keep at most. Default 500. */
  maxPoints?: number;
}

/**
 * The view models of all the widgets, from `samples` sorted oldest first. The distance is
 * measured along the samples themselves: a page that sees one record in five cuts the corners
 * of the track, and its distance comes out shorter.
 */
export function dashboardView(samples: readonly GpsRecord[], options: DashboardOptions = {}): DashboardView {
  const { tableRows = 50, maxPoints = 500 } = options;
  const distances = cumulativeDistances(samples);
  const charts = [
    lineChartView(
      samples.map((record, i) => ({ time: record.timestamp, value: distances[i] ?? 0 })),
      { id: "chart-distance", title: "Distance travelled", unit: "m", digits: 0, maxPoints },
    ),
    lineChartView(
      samples.map((record) => ({ time: record.timestamp, value: recordSpeed(record) })),
      { id: "chart-speed", title: "Speed", unit: "m/s", digits: 2, maxPoints },
    ),
    lineChartView(
      // A recording without elevation has nothing to draw; the gaps are skipped.
      samples.flatMap(({ timestamp, elevation }) =>
        elevation === null ? [] : [{ time: timestamp, value: elevation }],
      ),
      { id: "chart-elevation", title: "Elevation", unit: "m", digits: 1, maxPoints },
    ),
  ];
  return {
    state: stateCardView(samples[samples.length - 1]),
    table: samplesTableView(samples, tableRows),
    charts,
    track: trackDrawingView(samples, maxPoints),
  };
}
