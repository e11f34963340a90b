/** Greedy choice over logits. */

/**
 * Index of the largest value; the first one wins ties, as `numpy.argmax` and `torch.argmax` do.
 * @example argmax(Float32Array.of(0.1, 3, 3)) // 1
 */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}
