import type { TrackPlan } from "./build-track.ts";

/**
 * A Saturday-morning loop around the UC Berkeley campus, counter-clockwise: up Hearst Avenue,
 * down Gayley Road, back west along Bancroft and Dwight Ways. Waypoints are street corners;
 * altitudes are the heights above sea level a topographic map gives for them.
 */
export const BIKE_CAMPUS: TrackPlan = {
  name: "bike-campus",
  title: "Bike ride around the UC Berkeley campus",
  description:
    "A ~15-minute bike loop around the UC Berkeley campus (Berkeley, California): a climb up Hearst Avenue, a descent along Gayley Road and Bancroft Way, a stop sign and three crossings to wait at.",
  seed: 20_260_314,
  start: "2026-03-14T16:00:00.000Z",
  cornerMeters: 8,
  vehicle: { acceleration: 0.8, braking: 1.4, lateralAcceleration: 2, paceVariation: 0.06 },
  waypoints: [
    {
      name: "Oxford St & Center St",
      latitude: 37.8701,
      longitude: -122.26635,
      altitude: 57,
      cruise: 5.6,
      stopSeconds: 5,
    },
    { name: "Oxford St & University Ave", latitude: 37.8719, longitude: -122.26625, altitude: 59 },
    {
      name: "Oxford St & Hearst Ave",
      latitude: 37.87385,
      longitude: -122.26615,
      altitude: 62,
      cruise: 4.2,
      stopSeconds: 24,
    },
    { name: "Hearst Ave & Arch St", latitude: 37.87455, longitude: -122.26425, altitude: 72 },
    { name: "Hearst Ave & Euclid Ave", latitude: 37.87515, longitude: -122.26055, altitude: 88 },
    { name: "Hearst Ave & Le Roy Ave", latitude: 37.87545, longitude: -122.25875, altitude: 100 },
    { name: "Hearst Ave & Gayley Rd", latitude: 37.87555, longitude: -122.25665, altitude: 118, cruise: 5.8 },
    { name: "Gayley Rd by the Greek Theatre", latitude: 37.8733, longitude: -122.2553, altitude: 114 },
    { name: "Gayley Rd by Memorial Stadium", latitude: 37.87125, longitude: -122.25335, altitude: 107 },
    {
      name: "Piedmont Ave & Bancroft Way",
      latitude: 37.86915,
      longitude: -122.25235,
      altitude: 100,
      cruise: 6.4,
      stopSeconds: 12,
    },
    {
      name: "Bancroft Way & College Ave",
      latitude: 37.86905,
      longitude: -122.25445,
      altitude: 90,
      cruise: 5.4,
    },
    {
      name: "College Ave & Dwight Way",
      latitude: 37.86475,
      longitude: -122.2542,
      altitude: 84,
      cruise: 6.2,
      stopSeconds: 3,
    },
    {
      name: "Dwight Way & Telegraph Ave",
      latitude: 37.86465,
      longitude: -122.25875,
      altitude: 72,
      stopSeconds: 22,
    },
    { name: "Dwight Way & Fulton St", latitude: 37.86455, longitude: -122.2653, altitude: 56, cruise: 5.2 },
    { name: "Fulton St & Bancroft Way", latitude: 37.8679, longitude: -122.2653, altitude: 58 },
    { name: "Oxford St & Kittredge St", latitude: 37.86865, longitude: -122.266, altitude: 57 },
    { name: "Oxford St & Center St", latitude: 37.87, longitude: -122.2663, altitude: 57, stopSeconds: 6 },
  ],
  // Fixes lost under the trees and beside buildings: 3, 6, 2 and 8 s between rows.
  gaps: [
    { at: 118, missing: 2 },
    { at: 342, missing: 5 },
    { at: 561, missing: 1 },
    { at: 760, missing: 7 },
  ],
  battery: { start: 87, secondsPerPercent: 190 },
};

/**
 * A drive from downtown Berkeley to North Oakland: south on Shattuck Avenue, east on Ashby
 * Avenue, south on Telegraph Avenue to MacArthur Boulevard, with red lights on the way and a faster stretch
 * between Alcatraz Avenue and 51st Street.
 */
export const DRIVE_CITY: TrackPlan = {
  name: "drive-city",
  title: "Drive from downtown Berkeley to North Oakland",
  description:
    "A ~10-minute drive from downtown Berkeley to North Oakland (California) along Shattuck, Ashby and Telegraph Avenues: four red lights and a faster stretch on Telegraph.",
  seed: 31_415_926,
  start: "2026-03-14T17:30:00.000Z",
  cornerMeters: 12,
  vehicle: { acceleration: 1.6, braking: 2.2, lateralAcceleration: 2.5, paceVariation: 0.05 },
  waypoints: [
    {
      name: "Shattuck Ave & Center St",
      latitude: 37.87005,
      longitude: -122.2681,
      altitude: 52,
      cruise: 11.5,
      stopSeconds: 8,
    },
    { name: "Shattuck Ave & Bancroft Way", latitude: 37.86795, longitude: -122.268, altitude: 51 },
    {
      name: "Shattuck Ave & Dwight Way",
      latitude: 37.8645,
      longitude: -122.26785,
      altitude: 49,
      cruise: 13,
      stopSeconds: 34,
    },
    { name: "Shattuck Ave & Derby St", latitude: 37.85935, longitude: -122.26715, altitude: 46 },
    {
      name: "Shattuck Ave & Ashby Ave",
      latitude: 37.8555,
      longitude: -122.2665,
      altitude: 44,
      cruise: 12.5,
      stopSeconds: 41,
    },
    {
      name: "Ashby Ave & Telegraph Ave",
      latitude: 37.8557,
      longitude: -122.2599,
      altitude: 50,
      cruise: 14,
      stopSeconds: 27,
    },
    {
      name: "Telegraph Ave & Alcatraz Ave",
      latitude: 37.85005,
      longitude: -122.2604,
      altitude: 45,
      cruise: 18.5,
    },
    {
      name: "Telegraph Ave & 51st St",
      latitude: 37.8376,
      longitude: -122.26195,
      altitude: 35,
      cruise: 13.5,
      stopSeconds: 30,
    },
    { name: "Telegraph Ave & 40th St", latitude: 37.8285, longitude: -122.2645, altitude: 27 },
    {
      name: "Telegraph Ave & MacArthur Blvd",
      latitude: 37.8256,
      longitude: -122.2655,
      altitude: 24,
      stopSeconds: 6,
    },
  ],
  // Fixes lost under the freeway and beside tall buildings: 4, 7 and 3 s between rows.
  gaps: [
    { at: 150, missing: 3 },
    { at: 389, missing: 6 },
    { at: 470, missing: 2 },
  ],
  battery: { start: 64, secondsPerPercent: 150 },
};

export const TRACK_PLANS: readonly TrackPlan[] = [BIKE_CAMPUS, DRIVE_CITY];
