/** Mean Earth radius (IUGG), in metres: the usual choice for haversine distances. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

export interface LatLon {
  latitude: number;
  longitude: number;
}

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
const toDegrees = (radians: number): number => (radians * 180) / Math.PI;

/** Great-circle distance between two points, in metres (haversine formula, spherical Earth). */
export function haversineMeters(from: LatLon, to: LatLon): number {
  const phi1 = toRadians(from.latitude);
  const phi2 = toRadians(to.latitude);
  const dPhi = phi2 - phi1;
  const dLambda = toRadians(to.longitude - from.longitude);
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) ** 2;
  // min() guards against h creeping past 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing (forward azimuth) from one point towards another, in degrees [0, 360). */
export function initialBearingDegrees(from: LatLon, to: LatLon): number {
  const phi1 = toRadians(from.latitude);
  const phi2 = toRadians(to.latitude);
  const dLambda = toRadians(to.longitude - from.longitude);
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  return (toDegrees(Math.atan2(y, x)) + 360) % 360;
}

/** Running total of the distance along a path, in metres: one entry per point, starting at 0. */
export function cumulativeDistances(points: readonly LatLon[]): number[] {
  const totals: number[] = [];
  let total = 0;
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (previous) total += haversineMeters(previous, point);
    totals.push(total);
  });
  return totals;
}
