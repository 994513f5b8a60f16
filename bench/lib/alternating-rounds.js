// @ts-check
/**
 * Runs every variant once per round, in an order that rotates each round (A B C, B C A, C A B …),
 * so slow drift of the machine (thermal, other load) spreads evenly over all variants.
 * `measure(variant, round)` returns an object of numeric figures; the result maps
 * variant -> figure -> samples[].
 * @template {string} V
 * @param {readonly V[]} variants
 * @param {number} rounds
 * @param {(variant: V, round: number) => Promise<Record<string, number>>} measure
 * @returns {Promise<Record<V, Record<string, number[]>>>}
 */
export async function runAlternatingRounds(variants, rounds, measure) {
  /** @type {Record<string, Record<string, number[]>>} */
  const samples = Object.fromEntries(variants.map((v) => [v, {}]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      const figures = await measure(/** @type {V} */ (variant), round);
      for (const [k, v] of Object.entries(figures)) (samples[/** @type {string} */ (variant)][k] ??= []).push(v);
    }
  }
  return /** @type {Record<V, Record<string, number[]>>} */ (samples);
}
