/** Pillow's per-output-pixel filter weights for one axis, in its 22-bit fixed point. */
import type { ResampleFilter } from './resample-filters.js';

/**
 * Fixed-point fraction bits: 32 bits less 8 for the pixel value and 2 for the overshoot of negative lobes, so a
 * weighted sum of bytes cannot overflow a signed 32-bit integer (Pillow's `PRECISION_BITS`).
 */
export const PRECISION_BITS = 32 - 8 - 2;

/** Weights of every output pixel along one axis. */
export interface ResampleCoefficients {
  /** Weights per output pixel, `taps` slots each (unused slots are 0). */
  weights: Int32Array;
  /** First source index each output pixel reads. */
  starts: Int32Array;
  /** How many source pixels each output pixel reads (≤ `taps`). */
  counts: Int32Array;
  /** Slots per output pixel. */
  taps: number;
}

/**
 * Weights for resampling `inputSize` pixels to `outputSize`, as Pillow's `precompute_coeffs` and
 * `normalize_coeffs_8bpc` compute them: when shrinking, the filter is stretched by the scale (antialiasing), each
 * pixel's weights are normalised to sum to 1 in doubles, then rounded half away from zero to fixed point.
 * The arithmetic keeps Pillow's operation order: a different order gives different last bits and, after
 * rounding, pixels one level apart.
 * @example const horizontal = computeResampleCoefficients(512, 224, RESAMPLE_FILTERS.bicubic)
 */
export function computeResampleCoefficients(inputSize: number, outputSize: number, filter: ResampleFilter): ResampleCoefficients {
  // Pillow passes the box (0, 0, width, height) as floats; whole sizes below 2^24 are exact, so no rounding here.
  const scale = inputSize / outputSize;
  const filterScale = scale < 1 ? 1 : scale;
  const support = filter.support * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const inverseFilterScale = 1 / filterScale;
  const weights = new Int32Array(outputSize * taps);
  const starts = new Int32Array(outputSize);
  const counts = new Int32Array(outputSize);
  const exact = new Float64Array(taps);
  const one = 2 ** PRECISION_BITS;
  for (let output = 0; output < outputSize; output++) {
    const center = (output + 0.5) * scale;
    // C's (int) cast truncates toward zero; negatives are clamped to 0 right after, so trunc = floor here.
    const start = Math.max(0, Math.trunc(center - support + 0.5));
    const end = Math.min(inputSize, Math.trunc(center + support + 0.5));
    const count = end - start;
    let total = 0;
    for (let tap = 0; tap < count; tap++) {
      const weight = filter.kernel((tap + start - center + 0.5) * inverseFilterScale);
      exact[tap] = weight;
      total += weight;
    }
    const base = output * taps;
    for (let tap = 0; tap < count; tap++) {
      const normalised = total !== 0 ? exact[tap] / total : exact[tap];
      weights[base + tap] = normalised < 0 ? Math.trunc(-0.5 + normalised * one) : Math.trunc(0.5 + normalised * one);
    }
    starts[output] = start;
    counts[output] = count;
  }
  return { weights, starts, counts, taps };
}
