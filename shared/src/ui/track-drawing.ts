import { EARTH_RADIUS_METERS, type LatLon } from "../geo.ts";
import { thinEvenly } from "./downsample.ts";
import { formatDistance } from "./format.ts";

export interface TrackPoint {
  x: number;
  y: number;
}

/** A track drawn to fit a box, and the same track for the Leaflet map. */
export interface TrackDrawingView {
  width: number;
  height: number;
  /** The polyline's `points` attribute: "x,y x,y …". */
  points: string;
  pointCount: number;
  start?: TrackPoint;
  /** The newest position: where the track ends so far. */
  current?: TrackPoint;
  /** "1.2 km × 850 m": the size of the track's bounding box on the ground. */
  extent: string;
  /**
   * The track as JSON `[[lat, lon], …]`, for the page's script to draw on the Leaflet map
   * (it travels in a data- attribute, escaped like any other text).
   */
  latLngs: string;
  description: string;
}

const WIDTH = 480;
const HEIGHT = 320;
const MARGIN = 16;
const METERS_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_METERS;

/**
 * The track as a drawing: an equirectangular projection (longitude scaled by the cosine of the
 * middle latitude, so that a kilometre is as long east-west as north-south), scaled to fit the
 * box with the same scale on both axes. Good for a few kilometres; it draws, it does not measure.
 * `track` is oldest first; at most `maxPoints` of it are drawn.
 */
export function trackDrawingView(track: readonly LatLon[], maxPoints = 500): TrackDrawingView {
  const thinned = thinEvenly(track, maxPoints);
  const base = { width: WIDTH, height: HEIGHT };
  if (thinned.length === 0) {
    return {
      ...base,
      points: "",
      pointCount: 0,
      extent: "",
      latLngs: "[]",
      description: "Track drawing: no position yet.",
    };
  }
  const latitudes = thinned.map(({ latitude }) => latitude);
  const longitudes = thinned.map(({ longitude }) => longitude);
  const south = Math.min(...latitudes);
  const north = Math.max(...latitudes);
  const west = Math.min(...longitudes);
  const east = Math.max(...longitudes);
  const shrink = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const widthMeters = (east - west) * shrink * METERS_PER_DEGREE;
  const heightMeters = (north - south) * METERS_PER_DEGREE;
  // Pixels per metre: the tighter of the two fits; any non-zero number will do for a single point.
  const pixels = Math.min(
    widthMeters > 0 ? (WIDTH - 2 * MARGIN) / widthMeters : Number.POSITIVE_INFINITY,
    heightMeters > 0 ? (HEIGHT - 2 * MARGIN) / heightMeters : Number.POSITIVE_INFINITY,
  );
  const perMeter = Number.isFinite(pixels) ? pixels : 1;
  // Centre the drawing in the box.
  const left = (WIDTH - widthMeters * perMeter) / 2;
  const top = (HEIGHT - heightMeters * perMeter) / 2;
  // A tenth of a unit is finer than any screen shows.
  const project = ({ latitude, longitude }: LatLon): TrackPoint => ({
    x: round(left + (longitude - west) * shrink * METERS_PER_DEGREE * perMeter, 1),
    y: round(top + (north - latitude) * METERS_PER_DEGREE * perMeter, 1),
  });
  const drawn = thinned.map(project);
  const extent = `${formatDistance(widthMeters)} × ${formatDistance(heightMeters)}`;
  return {
    ...base,
    points: drawn.map(({ x, y }) => `${x},${y}`).join(" "),
    pointCount: drawn.length,
    start: drawn[0],
    current: drawn[drawn.length - 1],
    extent,
    // Five decimals of a degree are about a metre: plenty for a map, and half the bytes.
    latLngs: JSON.stringify(
      thinned.map(({ latitude, longitude }) => [round(latitude, 5), round(longitude, 5)]),
    ),
    description: `Track drawing of ${track.length} positions over an area of ${extent}, north up.`,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
