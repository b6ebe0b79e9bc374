import { DECIMALS, roundTo } from "./files.ts";
import { createDrift, createWander, type Random } from "./random.ts";

/** A stretch of the recording during which the receiver has no fix. */
export interface Gap {
  /** Second of the recording of the first lost fix. */
  at: number;
  /** How many consecutive fixes are lost. */
  missing: number;
}

/** What the receiver reports about one fix besides the position, and its errors in metres. */
export interface Reception {
  satellites: number;
  hdop: number;
  vdop: number;
  pdop: number;
  accuracy: number;
  errorEast: number;
  errorNorth: number;
  errorUp: number;
}

/**
 * How much of the sky is hidden, from 0 (open sky) to 1 (fix lost). Signal degrades in the
 * seconds around each gap, as it does under trees or beside tall buildings.
 */
function obstruction(second: number, gaps: readonly Gap[], background: number): number {
  let worst = background;
  for (const gap of gaps) {
    const away = Math.max(0, gap.at - second, second - (gap.at + gap.missing - 1));
    worst = Math.max(worst, Math.exp(-away / 6));
  }
  return Math.min(1, Math.max(0, worst));
}

/**
 * Simulates the receiver for `seconds` seconds: satellites in view, dilutions of precision,
 * the accuracy estimate and a slowly drifting position and altitude error, all worse when
 * the sky is obstructed.
 */
export function simulateReception(random: Random, seconds: number, gaps: readonly Gap[]): Reception[] {
  const background = createWander(random, { mean: 0.15, sigma: 0.08, seconds: 60 });
  const satelliteDrift = createWander(random, { sigma: 1.2, seconds: 90 });
  const hdopDrift = createWander(random, { sigma: 0.06, seconds: 30 });
  // Vertical precision is always worse than horizontal: satellites are only above the horizon.
  const verticalRatio = createWander(random, { mean: 1.45, sigma: 0.08, seconds: 60 });
  // Errors at a dilution of 1; they grow in proportion to the dilution of precision.
  const east = createDrift(random, { sigma: 1.6, seconds: 25 });
  const north = createDrift(random, { sigma: 1.6, seconds: 25 });
  const up = createDrift(random, { sigma: 1.9, seconds: 40 });

  const receptions: Reception[] = [];
  for (let second = 0; second < seconds; second++) {
    const hidden = obstruction(second, gaps, background.step(1));
    const satellites = Math.min(16, Math.max(8, Math.round(14 - 6 * hidden + satelliteDrift.step(1))));
    const rawHdop = Math.min(
      3,
      Math.max(0.6, 0.55 + 0.06 * (16 - satellites) + 1.1 * hidden + hdopDrift.step(1)),
    );
    const rawVdop = rawHdop * verticalRatio.step(1);
    const hdop = roundTo(rawHdop, DECIMALS.dop);
    const vdop = roundTo(rawVdop, DECIMALS.dop);
    // Position dilution combines both: pdop² = hdop² + vdop².
    const pdop = roundTo(Math.hypot(hdop, vdop), DECIMALS.dop);
    const accuracy = roundTo(
      Math.min(10, Math.max(3, rawHdop * 4.2 + 0.2 * random.gaussian())),
      DECIMALS.accuracy,
    );
    receptions.push({
      satellites,
      hdop,
      vdop,
      pdop,
      accuracy,
      errorEast: east.step(1) * rawHdop,
      errorNorth: north.step(1) * rawHdop,
      errorUp: up.step(1) * rawVdop,
    });
  }
  return receptions;
}
