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
