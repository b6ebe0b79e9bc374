import { EARTH_RADIUS_METERS, initialBearingDegrees, type LatLon } from "../src/geo.ts";

/** A position in metres east (x) and north (y) of a local origin. */
interface Point {
  x: number;
  y: number;
}

/**
 * A flat map of the few kilometres around `origin` (equirectangular projection), so the
 * generator can round corners and add noise in metres. Over a city the distortion is far
 * below a GPS receiver's own error.
 */
function createLocalPlane(origin: LatLon) {
  const metresPerDegreeNorth = (EARTH_RADIUS_METERS * Math.PI) / 180;
  const metresPerDegreeEast = metresPerDegreeNorth * Math.cos((origin.latitude * Math.PI) / 180);
  return {
    toPoint: ({ latitude, longitude }: LatLon): Point => ({
      x: (longitude - origin.longitude) * metresPerDegreeEast,
      y: (latitude - origin.latitude) * metresPerDegreeNorth,
    }),
    toLatLon: ({ x, y }: Point): LatLon => ({
      latitude: origin.latitude + y / metresPerDegreeNorth,
      longitude: origin.longitude + x / metresPerDegreeEast,
    }),
  };
}

/** The path a track follows: the waypoints joined by straight streets and rounded corners. */
export interface Route {
  plane: ReturnType<typeof createLocalPlane>;
  /** The path as a fine polyline, in metres on the local plane. */
  points: Point[];
  /** Distance along the path to each point, in metres. */
  distances: number[];
  length: number;
  /** Distance along the path at which it passes each waypoint (the middle of its corner). */
  waypointDistances: number[];
}

/** A bend in the path and how tight it is. */
export interface Turn {
  at: number;
  radius: number;
}

/** Points per rounded corner: enough for a smooth arc at 1 Hz sampling. */
const CORNER_STEPS = 8;

const gap = (a: Point, b: Point): number => Math.hypot(b.x - a.x, b.y - a.y);

/** The point `metres` away from `from` in the direction of `to`. */
function towards(from: Point, to: Point, metres: number): Point {
  const fraction = metres / gap(from, to);
  return { x: from.x + (to.x - from.x) * fraction, y: from.y + (to.y - from.y) * fraction };
}

/** A quadratic Bézier curve: leaves `start` towards `control`, arrives at `end` from it. */
function bezier(start: Point, control: Point, end: Point, t: number): Point {
  const a = (1 - t) ** 2;
  const b = 2 * (1 - t) * t;
  const c = t ** 2;
  return { x: a * start.x + b * control.x + c * end.x, y: a * start.y + b * control.y + c * end.y };
}

/**
 * Joins the waypoints with straight lines and rounds every corner: the turn starts
 * `cornerMeters` before the waypoint and ends as far after it, like a vehicle cutting
 * through an intersection.
 */
export function buildRoute(waypoints: readonly LatLon[], cornerMeters: number): Route {
  const plane = createLocalPlane(waypoints[0] as LatLon);
  const corners = waypoints.map((waypoint) => plane.toPoint(waypoint));

  const points: Point[] = [];
  const waypointIndices: number[] = [];
  const add = (point: Point): void => {
    const last = points.at(-1);
    // Two short legs can make one corner's exit the next corner's entry: keep the point once.
    if (!last || gap(last, point) > 0.01) points.push(point);
  };
  corners.forEach((corner, i) => {
    const before = corners[i - 1];
    const after = corners[i + 1];
    if (!before || !after) {
      add(corner);
      waypointIndices.push(points.length - 1);
      return;
    }
    const entry = towards(corner, before, Math.min(cornerMeters, gap(corner, before) / 2));
    const exit = towards(corner, after, Math.min(cornerMeters, gap(corner, after) / 2));
    for (let step = 0; step <= CORNER_STEPS; step++) {
      add(bezier(entry, corner, exit, step / CORNER_STEPS));
      if (step === CORNER_STEPS / 2) waypointIndices.push(points.length - 1);
    }
  });

  const distances: number[] = [];
  points.forEach((point, i) => {
    const previous = points[i - 1];
    distances.push(previous ? (distances[i - 1] ?? 0) + gap(previous, point) : 0);
  });
  const waypointDistances = waypointIndices.map((index) => distances[index] ?? 0);
  return { plane, points, distances, length: distances.at(-1) ?? 0, waypointDistances };
}

/** The point `distance` metres along the route (clamped to its ends). */
export function pointAt(route: Route, distance: number): Point {
  const { points, distances } = route;
  // Binary search for the last point at or before `distance`.
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((distances[middle] ?? 0) <= distance) low = middle;
    else high = middle - 1;
  }
  const from = points[low];
  const to = points[low + 1];
  if (!from) throw new Error("the route has no points");
  if (!to) return from;
  const start = distances[low] ?? 0;
  const fraction = Math.min(1, Math.max(0, (distance - start) / ((distances[low + 1] ?? start) - start)));
  return { x: from.x + (to.x - from.x) * fraction, y: from.y + (to.y - from.y) * fraction };
}

/** The direction of travel `distance` metres along the route, in degrees clockwise from north. */
export function bearingAt(route: Route, distance: number): number {
  const from = Math.min(Math.max(distance, 0), route.length - 1);
  const here = route.plane.toLatLon(pointAt(route, from));
  const ahead = route.plane.toLatLon(pointAt(route, from + 1));
  return initialBearingDegrees(here, ahead);
}

/** Every bend of the polyline with the radius of the circle it approximates. */
export function turnsOf(route: Route): Turn[] {
  const turns: Turn[] = [];
  route.points.forEach((point, i) => {
    const before = route.points[i - 1];
    const after = route.points[i + 1];
    if (!before || !after) return;
    const headingIn = Math.atan2(point.y - before.y, point.x - before.x);
    const headingOut = Math.atan2(after.y - point.y, after.x - point.x);
    // The change of heading, folded into [0, π].
    const angle = Math.abs(Math.atan2(Math.sin(headingOut - headingIn), Math.cos(headingOut - headingIn)));
    if (angle < 0.01) return;
    const arc = (gap(before, point) + gap(point, after)) / 2;
    turns.push({ at: route.distances[i] ?? 0, radius: arc / angle });
  });
  return turns;
}
