import { haversineMeters, type LatLon } from "../src/geo.ts";
import { DECIMALS, type Fix, roundTo } from "./files.ts";
import { type Leg, type Stop, simulateMotion, type Vehicle } from "./motion.ts";
import { createRandom } from "./random.ts";
import { type Gap, simulateReception } from "./receiver.ts";
import { bearingAt, buildRoute, pointAt, turnsOf } from "./route.ts";

export interface Waypoint extends LatLon {
  /** The place, for people reading the plan. */
  name: string;
  /** Height above sea level in metres, as on a topographic map. */
  altitude: number;
  /** Cruising speed from here on, m/s (the first waypoint must set it). */
  cruise?: number;
  /** Seconds to stand still here: at a light, a crossing, the start or the end. */
  stopSeconds?: number;
}

/** Everything that defines one sample track. */
export interface TrackPlan {
  /** File name without its extension. */
  name: string;
  title: string;
  description: string;
  seed: number;
  /** UTC time of the first fix, ISO 8601. */
  start: string;
  waypoints: Waypoint[];
  /** How far before and after a waypoint its corner starts and ends, metres. */
  cornerMeters: number;
  vehicle: Vehicle;
  gaps: Gap[];
  battery: { start: number; secondsPerPercent: number };
}

/**
 * Phones report heights above the WGS 84 ellipsoid; around San Francisco Bay, sea level
 * (the geoid) lies about 32 m below that ellipsoid.
 */
const GEOID_HEIGHT_METERS = -32;

/** Height along the route: smooth (cosine-eased) slopes between the waypoints' altitudes. */
function altitudeAt(distance: number, distances: readonly number[], waypoints: readonly Waypoint[]): number {
  const next = distances.findIndex((at) => at > distance);
  const to = waypoints[next];
  const from = waypoints[next - 1];
  // Past the last waypoint (the route's very end).
  if (!to || !from) return waypoints.at(-1)?.altitude ?? 0;
  const start = distances[next - 1] ?? 0;
  const fraction = (distance - start) / ((distances[next] ?? start) - start);
  return from.altitude + (to.altitude - from.altitude) * ((1 - Math.cos(Math.PI * fraction)) / 2);
}

/**
 * Turns a plan into fixes: route → speed profile along it → true positions once a second →
 * receiver errors → rounded fixes, minus the ones lost in gaps.
 */
export function buildTrack(plan: TrackPlan): Fix[] {
  const { waypoints, cornerMeters } = plan;
  const route = buildRoute(waypoints, cornerMeters);
  const legs: Leg[] = [];
  const stops: Stop[] = [];
  waypoints.forEach((waypoint, i) => {
    const at = route.waypointDistances[i] ?? 0;
    const isLast = i === waypoints.length - 1;
    if (waypoint.cruise !== undefined) legs.push({ from: at, speed: waypoint.cruise });
    // The trip always ends with a stop. Along the way, wait at the stop line, before the intersection.
    if (waypoint.stopSeconds !== undefined || isLast) {
      const stopLine = i === 0 || isLast ? at : at - cornerMeters;
      stops.push({ at: stopLine, seconds: waypoint.stopSeconds ?? 0 });
    }
  });

  const random = createRandom(plan.seed);
  const motion = simulateMotion({ legs, stops, turns: turnsOf(route), vehicle: plan.vehicle, random });
  const receptions = simulateReception(random, motion.length, plan.gaps);
  const lost = new Set(plan.gaps.flatMap((gap) => Array.from({ length: gap.missing }, (_, k) => gap.at + k)));

  const startMs = Date.parse(plan.start);
  const fixes: Fix[] = [];
  motion.forEach((sample, second) => {
    const reception = receptions[second];
    // Drawn for every second, lost or not, so that a gap does not shift the noise of later fixes.
    const speedError = 0.08 * random.gaussian();
    // Doppler course is noisier at low speed.
    const bearingError = (1 + 3 / Math.max(sample.speed, 1)) * random.gaussian();
    if (!reception || lost.has(second)) return;

    const truth = pointAt(route, sample.distance);
    const measured = route.plane.toLatLon({
      x: truth.x + reception.errorEast,
      y: truth.y + reception.errorNorth,
    });
    const position = {
      latitude: roundTo(measured.latitude, DECIMALS.degrees),
      longitude: roundTo(measured.longitude, DECIMALS.degrees),
    };
    const altitude = altitudeAt(sample.distance, route.waypointDistances, waypoints);
    const bearing = (bearingAt(route, sample.distance) + bearingError + 360) % 360;
    const time = startMs + second * 1000;
    const previous = fixes.at(-1);
    fixes.push({
      time,
      ...position,
      elevation: roundTo(altitude + GEOID_HEIGHT_METERS + reception.errorUp, DECIMALS.elevation),
      accuracy: reception.accuracy,
      bearing: roundTo(bearing, DECIMALS.bearing) % 360,
      speed: roundTo(Math.max(0, sample.speed + speedError), DECIMALS.speed),
      satellites: reception.satellites,
      hdop: reception.hdop,
      vdop: reception.vdop,
      pdop: reception.pdop,
      battery: plan.battery.start - Math.floor(second / plan.battery.secondsPerPercent),
      distance: previous ? roundTo(haversineMeters(previous, position), DECIMALS.metres) : 0,
      elapsed: previous ? roundTo((time - previous.time) / 1000, DECIMALS.seconds) : 0,
    });
  });
  return fixes;
}
