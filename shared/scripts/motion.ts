import type { Random } from "./random.ts";
import { createWander } from "./random.ts";
import type { Turn } from "./route.ts";

/** How a rider or driver moves. Accelerations in m/s². */
export interface Vehicle {
  /** Acceleration when speeding up, e.g. pulling away from a stop. */
  acceleration: number;
  /** Deceleration when slowing for a stop, a turn or a slower street. */
  braking: number;
  /** Sideways acceleration accepted in a turn: tighter turns are taken slower. */
  lateralAcceleration: number;
  /** How far the pace wanders around the planned cruising speed, as a fraction of it. */
  paceVariation: number;
}

/** From `from` metres along the route on, cruise at `speed` m/s. */
export interface Leg {
  from: number;
  speed: number;
}

/** Stand still for `seconds` at `at` metres along the route. */
export interface Stop {
  at: number;
  seconds: number;
}

/** Where the vehicle is at one whole second of the recording. */
export interface MotionSample {
  distance: number;
  speed: number;
}

export interface Journey {
  legs: readonly Leg[];
  /** In route order; the last one is the end of the route. */
  stops: readonly Stop[];
  turns: readonly Turn[];
  vehicle: Vehicle;
  random: Random;
}

// Ten steps per second keeps braking curves smooth; samples are kept once per second.
const STEPS_PER_SECOND = 10;
const DT = 1 / STEPS_PER_SECOND;
/** Ten hours: far beyond any sample track, so a broken plan fails instead of looping forever. */
const MAX_STEPS = 10 * 3600 * STEPS_PER_SECOND;

/**
 * Drives along the route: cruise at each leg's speed (wandering a little), brake in time
 * for turns, slower legs and stops, wait at each stop, pull away again. Returns one sample
 * per second, the first at second 0.
 */
export function simulateMotion({ legs, stops, turns, vehicle, random }: Journey): MotionSample[] {
  const { acceleration, braking, lateralAcceleration, paceVariation } = vehicle;
  // Each turn and each leg's start is a point the vehicle must pass no faster than a limit.
  const limits = [
    ...turns.map((turn) => ({ at: turn.at, speed: Math.sqrt(lateralAcceleration * turn.radius) })),
    ...legs.map((leg) => ({ at: leg.from, speed: leg.speed })),
  ];
  const cruiseAt = (distance: number): number =>
    legs.findLast((leg) => leg.from <= distance)?.speed ?? legs[0]?.speed ?? 0;
  // The fastest speed at `distance` from which braking still reaches `speed` at `at`.
  const brakingSpeed = (distance: number, at: number, speed: number): number =>
    Math.sqrt(speed * speed + 2 * braking * Math.max(0, at - distance));
  const pace = createWander(random, { mean: 1, sigma: paceVariation, seconds: 20 });

  const samples: MotionSample[] = [{ distance: 0, speed: 0 }];
  let distance = 0;
  let speed = 0;
  let nextStop = 0;
  let waitSteps = 0;
  for (let step = 1; nextStop < stops.length || waitSteps > 0; step++) {
    if (step > MAX_STEPS) throw new Error("the journey does not reach its last stop");
    // Clamped so the pace can never stall the vehicle or double its speed.
    const paceFactor = Math.min(1.3, Math.max(0.7, pace.step(DT)));
    const stop = stops[nextStop];
    if (waitSteps > 0) {
      waitSteps--;
    } else if (stop) {
      let target = cruiseAt(distance) * paceFactor;
      for (const limit of limits) {
        if (limit.at >= distance) target = Math.min(target, brakingSpeed(distance, limit.at, limit.speed));
      }
      target = Math.min(target, brakingSpeed(distance, stop.at, 0));
      speed = Math.min(target, speed + acceleration * DT);
      if (distance + speed * DT >= stop.at) {
        distance = stop.at;
        speed = 0;
        waitSteps = Math.round(stop.seconds * STEPS_PER_SECOND);
        nextStop++;
      } else {
        distance += speed * DT;
      }
    }
    if (step % STEPS_PER_SECOND === 0) samples.push({ distance, speed });
  }
  return samples;
}
