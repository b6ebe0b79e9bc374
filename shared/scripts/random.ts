/**
 * A seeded pseudo-random number generator, so the sample tracks come out the same on every run
 * and every machine (Math.random cannot be seeded).
 */
export interface Random {
  /** A uniform number in [0, 1). */
  uniform(): number;
  /** A number from the standard normal distribution (mean 0, standard deviation 1). */
  gaussian(): number;
}

/** mulberry32: a tiny 32-bit generator, plenty for noise (not for cryptography). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;

  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  };

  // Box–Muller transform; 1 - uniform() is in (0, 1], so the logarithm stays finite.
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

  return { uniform, gaussian };
}

/** A value that drifts randomly but keeps being pulled back to its mean. */
export interface Wander {
  /** Advances the value by `seconds` and returns it. */
  step(seconds: number): number;
}

export interface WanderOptions {
  mean?: number;
  /** Typical distance from the mean (the standard deviation in the long run). */
  sigma: number;
  /** How long a deviation lasts: about the time it takes to decay by a factor e. */
  seconds: number;
}

/**
 * A mean-reverting random walk (an Ornstein–Uhlenbeck process). Unlike independent noise
 * drawn afresh each second, it changes gradually, the way a cyclist's pace or a receiver's
 * signal quality does.
 */
export function createWander(random: Random, { mean = 0, sigma, seconds }: WanderOptions): Wander {
  let value = mean + sigma * random.gaussian();
  return {
    step(dt) {
      const keep = Math.exp(-dt / seconds);
      value = mean + (value - mean) * keep + sigma * Math.sqrt(1 - keep * keep) * random.gaussian();
      return value;
    },
  };
}

/**
 * A smoother wander for GPS position and altitude errors: the error's *rate of change* is a
 * wander, and the error itself leaks back towards zero. The result drifts by a few metres
 * without the second-to-second zigzag that makes synthetic tracks look fake.
 */
export function createDrift(random: Random, { sigma, seconds }: Omit<WanderOptions, "mean">): Wander {
  // An error that leaks away over T = `seconds`, fed by a rate that decorrelates over τ, has a
  // long-run standard deviation of rateSigma · T · √(τ / (T + τ)): solved here for `sigma`.
  const rateSeconds = seconds / 4;
  const rateSigma = sigma / (seconds * Math.sqrt(rateSeconds / (seconds + rateSeconds)));
  const rate = createWander(random, { sigma: rateSigma, seconds: rateSeconds });
  let value = sigma * random.gaussian();
  return {
    step(dt) {
      value = value * Math.exp(-dt / seconds) + rate.step(dt) * dt;
      return value;
    },
  };
}
