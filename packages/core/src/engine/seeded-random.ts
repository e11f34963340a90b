/** Reproducible random numbers for sampling: one counter-based generator per sequence, keyed by the request's seed. */

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The golden-ratio increment of SplitMix: consecutive counters land far apart before mixing. */
const GOLDEN = 0x9e3779b9;
const TWO_TO_32 = 2 ** 32;

/**
 * A generator of numbers in [0, 1) whose n-th draw depends only on `seed` and n (SplitMix-style: a counter stepped by
 * the golden ratio, mixed twice). Each sequence draws once per token, so the same seed gives the same tokens whatever
 * else shares the batch. Seeds are any safe integers; both 32-bit halves count.
 * @example const random = seededRandom(42); random(); // the same first value on every run
 */
export function seededRandom(seed: number): () => number {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_TO_32) >>> 0;
  const key = mix32(low ^ mix32(high + GOLDEN));
  let counter = 0;
  return () => {
    counter++;
    return mix32(mix32(key + Math.imul(counter, GOLDEN))) / TWO_TO_32;
  };
}

/**
 * A fresh random seed for a request that gave none.
 * @example seededRandom(randomSeed())
 */
export function randomSeed(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  // 53 bits: a safe integer, as request seeds are.
  return (high & 0x1fffff) * TWO_TO_32 + low;
}
