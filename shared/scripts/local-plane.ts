import { EARTH_RADIUS_METERS, type LatLon } from "../src/geo.ts";

/** A position in metres east (x) and north (y) of a local origin. */
export interface Point {
  x: number;
  y: number;
}

export interface LocalPlane {
  toPoint(position: LatLon): Point;
  toLatLon(point: Point): LatLon;
}

/**
 * A flat map of the few kilometres around `origin` (equirectangular projection), so the
 * generator can round corners and add noise in metres. Over a city the distortion is far
 * below a GPS receiver's own error.
 */
export function createLocalPlane(origin: LatLon): LocalPlane {
  const metresPerDegreeNorth = (EARTH_RADIUS_METERS * Math.PI) / 180;
  const metresPerDegreeEast = metresPerDegreeNorth * Math.cos((origin.latitude * Math.PI) / 180);
  return {
    toPoint: ({ latitude, longitude }) => ({
      x: (longitude - origin.longitude) * metresPerDegreeEast,
      y: (latitude - origin.latitude) * metresPerDegreeNorth,
    }),
    toLatLon: ({ x, y }) => ({
      latitude: origin.latitude + y / metresPerDegreeNorth,
      longitude: origin.longitude + x / metresPerDegreeEast,
    }),
  };
}
