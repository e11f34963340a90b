/** Pillow-exact resizing of RGB images: separable filter, horizontal pass then vertical, 8-bit in between. */
import type { DecodedImage } from './decoded-image.js';
import { RESAMPLE_FILTERS, type ResampleFilterName } from './resample/resample-filters.js';
import { planResample } from './resample/resample-plan.js';
import { resampleScalar } from './resample/resample-scalar.js';
import { resampleSimd, simdResamplingAvailable } from './resample/resample-simd.js';

const CHANNELS = 3;
/** Largest side we resize to or from: Pillow's float box is exact only below 2^24. */
const MAX_SIDE = 2 ** 24 - 1;

/**
 * Resizes like Pillow's `Image.resize((width, height), filter)` on an RGB image, bit for bit: the same weights
 * (see `computeResampleCoefficients`), a horizontal pass whose result is rounded and clipped to bytes, then a
 * vertical pass over those bytes. A pass whose size does not change is skipped, as Pillow skips it. Runs as
 * WebAssembly SIMD where available, else as plain JavaScript; both give the same bytes.
 * @example const small = resizeImage(decoded, 224, 224, 'bicubic')
 */
export function resizeImage(image: DecodedImage, width: number, height: number, filterName: ResampleFilterName = 'bicubic'): DecodedImage {
  assertSize(image, width, height);
  if (width === image.width && height === image.height) return { width, height, data: image.data.slice() };
  const plan = planResample(image, width, height, RESAMPLE_FILTERS[filterName]);
  return simdResamplingAvailable() ? resampleSimd(image, plan) : resampleScalar(image, plan);
}

/**
 * {@link resizeImage} with Pillow's `BICUBIC` (`resample: 3` in a Hugging Face `preprocessor_config.json`).
 * @example const pixels = resizeBicubic(decoded, 224, 224)
 */
export function resizeBicubic(image: DecodedImage, width: number, height: number): DecodedImage {
  return resizeImage(image, width, height, 'bicubic');
}

function assertSize(image: DecodedImage, width: number, height: number): void {
  for (const [name, value] of [['width', width], ['height', height], ['image width', image.width], ['image height', image.height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) throw new RangeError(`${name} must be an integer in 1..${MAX_SIDE}, got ${value}`);
  }
  if (image.data.length !== image.width * image.height * CHANNELS) {
    throw new RangeError(`image data has ${image.data.length} bytes; expected ${image.width * image.height * CHANNELS} (${image.width}×${image.height}×${CHANNELS})`);
  }
}
