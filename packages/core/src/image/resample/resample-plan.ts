/** What a two-pass resize does: which passes run, their weights, and which source rows the first pass covers. */
import type { DecodedImage } from '../decoded-image.js';
import { type ResampleCoefficients, computeResampleCoefficients } from './resample-coefficients.js';
import type { ResampleFilter } from './resample-filters.js';

export interface ResamplePlan {
  width: number;
  height: number;
  /** Weights of the horizontal pass; absent when the width does not change (Pillow skips the pass). */
  horizontal?: ResampleCoefficients;
  /** Weights of the vertical pass, starts relative to `firstRow`; absent when the height does not change. */
  vertical?: ResampleCoefficients;
  /** Source rows `[firstRow, endRow)` are the only ones the vertical pass reads. */
  firstRow: number;
  endRow: number;
}

/**
 * Plans resizing `image` to `width`×`height` as Pillow's `ImagingResampleInner` does.
 * @example const plan = planResample(image, 224, 224, RESAMPLE_FILTERS.bicubic)
 */
export function planResample(image: DecodedImage, width: number, height: number, filter: ResampleFilter): ResamplePlan {
  const horizontal = width !== image.width ? computeResampleCoefficients(image.width, width, filter) : undefined;
  if (height === image.height) return { width, height, horizontal, firstRow: 0, endRow: image.height };
  const vertical = computeResampleCoefficients(image.height, height, filter);
  const firstRow = vertical.starts[0];
  const endRow = vertical.starts[height - 1] + vertical.counts[height - 1];
  for (let row = 0; row < height; row++) vertical.starts[row] -= firstRow;
  return { width, height, horizontal, vertical, firstRow, endRow };
}
