/** The two resampling passes in plain JavaScript: the readable reference, and the fallback without WebAssembly. */
import type { DecodedImage } from '../decoded-image.js';
import { PRECISION_BITS, type ResampleCoefficients } from './resample-coefficients.js';
import type { ResamplePlan } from './resample-plan.js';

const CHANNELS = 3;
/** Pillow starts each sum at one half so that the final shift rounds to nearest. */
const ROUNDING = 1 << (PRECISION_BITS - 1);

/**
 * Runs a {@link ResamplePlan} on RGB bytes: horizontal pass rounded and clipped to bytes, then vertical pass.
 * @example const resized = resampleScalar(image, planResample(image, 224, 224, RESAMPLE_FILTERS.bicubic))
 */
export function resampleScalar(image: DecodedImage, plan: ResamplePlan): DecodedImage {
  const stride = image.width * CHANNELS;
  const rows = plan.horizontal
    ? resampleRows(image, plan.width, plan.firstRow, plan.endRow, plan.horizontal)
    : { width: image.width, height: plan.endRow - plan.firstRow, data: image.data.subarray(plan.firstRow * stride, plan.endRow * stride) };
  return plan.vertical ? resampleColumns(rows, plan.height, plan.vertical) : rows;
}

/** Horizontal pass over rows `[firstRow, endRow)`: each output byte is a weighted sum of one source row. */
function resampleRows(image: DecodedImage, width: number, firstRow: number, endRow: number, coefficients: ResampleCoefficients): DecodedImage {
  const { weights, starts, counts, taps } = coefficients;
  const source = image.data;
  const sourceStride = image.width * CHANNELS;
  const height = endRow - firstRow;
  // Clamped bytes do Pillow's clip to 0..255 on store.
  const output = new Uint8ClampedArray(width * height * CHANNELS);
  let outputIndex = 0;
  for (let row = firstRow; row < endRow; row++) {
    const rowOffset = row * sourceStride;
    for (let column = 0; column < width; column++) {
      const weightOffset = column * taps;
      const count = counts[column];
      let sourceIndex = rowOffset + starts[column] * CHANNELS;
      let red = ROUNDING;
      let green = ROUNDING;
      let blue = ROUNDING;
      for (let tap = 0; tap < count; tap++) {
        const weight = weights[weightOffset + tap];
        // 32-bit integer arithmetic, as in C.
        red = (red + Math.imul(source[sourceIndex], weight)) | 0;
        green = (green + Math.imul(source[sourceIndex + 1], weight)) | 0;
        blue = (blue + Math.imul(source[sourceIndex + 2], weight)) | 0;
        sourceIndex += CHANNELS;
      }
      output[outputIndex] = red >> PRECISION_BITS;
      output[outputIndex + 1] = green >> PRECISION_BITS;
      output[outputIndex + 2] = blue >> PRECISION_BITS;
      outputIndex += CHANNELS;
    }
  }
  return { width, height, data: new Uint8Array(output.buffer) };
}

/** Vertical pass: each output row is a weighted sum of source rows, accumulated row by row for memory locality. */
function resampleColumns(image: DecodedImage, height: number, coefficients: ResampleCoefficients): DecodedImage {
  const { weights, starts, counts, taps } = coefficients;
  const source = image.data;
  const stride = image.width * CHANNELS;
  const output = new Uint8ClampedArray(stride * height);
  const sums = new Int32Array(stride);
  for (let row = 0; row < height; row++) {
    sums.fill(ROUNDING);
    const weightOffset = row * taps;
    const count = counts[row];
    for (let tap = 0; tap < count; tap++) {
      const weight = weights[weightOffset + tap];
      const sourceOffset = (starts[row] + tap) * stride;
      for (let index = 0; index < stride; index++) sums[index] = (sums[index] + Math.imul(source[sourceOffset + index], weight)) | 0;
    }
    const outputOffset = row * stride;
    for (let index = 0; index < stride; index++) output[outputOffset + index] = sums[index] >> PRECISION_BITS;
  }
  return { width: image.width, height, data: new Uint8Array(output.buffer) };
}
