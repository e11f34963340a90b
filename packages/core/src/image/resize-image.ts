/** Pillow-exact resizing of RGB images: separable filter, horizontal pass then vertical, 8-bit in between. */
import type { DecodedImage } from './decoded-image.js';
import { PRECISION_BITS, type ResampleCoefficients, computeResampleCoefficients } from './resample-coefficients.js';
import { RESAMPLE_FILTERS, type ResampleFilterName } from './resample-filters.js';

const CHANNELS = 3;
/** Pillow starts each sum at one half so that the final shift rounds to nearest. */
const ROUNDING = 1 << (PRECISION_BITS - 1);

/**
 * Resizes like Pillow's `Image.resize((width, height), filter)` on an RGB image, bit for bit: the same weights
 * (see {@link computeResampleCoefficients}), a horizontal pass whose result is rounded and clipped to bytes, then
 * a vertical pass over those bytes. A pass whose size does not change is skipped, as Pillow skips it.
 * @example const small = resizeImage(decoded, 224, 224, 'bicubic')
 */
export function resizeImage(image: DecodedImage, width: number, height: number, filterName: ResampleFilterName = 'bicubic'): DecodedImage {
  assertSize(image, width, height);
  const filter = RESAMPLE_FILTERS[filterName];
  if (width === image.width && height === image.height) return { width, height, data: image.data.slice() };
  const vertical = computeResampleCoefficients(image.height, height, filter);
  let source = image;
  if (width !== image.width) {
    // Only the rows the vertical pass reads are resampled horizontally.
    const firstRow = vertical.starts[0];
    const endRow = vertical.starts[height - 1] + vertical.counts[height - 1];
    source = resampleRows(image, width, firstRow, endRow, computeResampleCoefficients(image.width, width, filter));
    for (let row = 0; row < height; row++) vertical.starts[row] -= firstRow;
  }
  return height === image.height ? source : resampleColumns(source, height, vertical);
}

/**
 * {@link resizeImage} with Pillow's `BICUBIC` (`resample: 3` in a Hugging Face `preprocessor_config.json`).
 * @example const pixels = resizeBicubic(decoded, 224, 224)
 */
export function resizeBicubic(image: DecodedImage, width: number, height: number): DecodedImage {
  return resizeImage(image, width, height, 'bicubic');
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
        // 32-bit integer arithmetic, as in C: exact, and V8 keeps it in registers.
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

/** Largest side we resize to or from: Pillow's float box is exact only below 2^24. */
const MAX_SIDE = 2 ** 24 - 1;

function assertSize(image: DecodedImage, width: number, height: number): void {
  for (const [name, value] of [['width', width], ['height', height], ['image width', image.width], ['image height', image.height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) throw new RangeError(`${name} must be an integer in 1..${MAX_SIDE}, got ${value}`);
  }
  if (image.data.length !== image.width * image.height * CHANNELS) {
    throw new RangeError(`image data has ${image.data.length} bytes; expected ${image.width * image.height * CHANNELS} (${image.width}×${image.height}×${CHANNELS})`);
  }
}
