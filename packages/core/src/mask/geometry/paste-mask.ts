/** Places a decoded 64×64 mask into its box on the full image, as big_vision's segmentation evaluator does. */
import type { Box, ImageSize } from '@paligemma/sdk';
import { horizontalPass, resampleCoefficients } from './resize-bilinear.js';
import { VAE_MASK_SIZE } from '../vae/vae-shape.js';

/** A box as whole pixels: columns `left ≤ x < right`, rows `top ≤ y < bottom`. */
export interface PixelWindow {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The pixels a box covers: each corner truncated like Python's `int()` (big_vision:
 * `y1, x1, y2, x2 = map(int, (y1 * h, x1 * w, y2 * h, x2 * w))`), then clamped to the image.
 * @example boxToPixelWindow({ xMin: 9.7, yMin: 0, xMax: 20.2, yMax: 5 }, { width: 64, height: 64 }) // { left: 9, top: 0, right: 20, bottom: 5 }
 */
export function boxToPixelWindow(box: Box, image: ImageSize): PixelWindow {
  const column = (value: number) => Math.min(image.width, Math.max(0, Math.trunc(value)));
  const row = (value: number) => Math.min(image.height, Math.max(0, Math.trunc(value)));
  return { left: column(box.xMin), top: row(box.yMin), right: column(box.xMax), bottom: row(box.yMax) };
}

/** A mask covering only its box's pixel window: `mask` is `window` sized, row-major, 1 inside. */
export interface WindowMask {
  window: PixelWindow;
  mask: Uint8Array;
}

/**
 * The object's mask inside its box's pixel window only: the 64×64 logits resized bilinearly to the window (Pillow's
 * float resize, antialiased when shrinking) and thresholded at > 0. A window under one pixel wide or high is empty.
 * @example const { window, mask } = maskInBox(vae.decode(codes), box, { width: 640, height: 480 })
 */
export function maskInBox(logits: Float32Array, box: Box, image: ImageSize): WindowMask {
  if (logits.length !== VAE_MASK_SIZE * VAE_MASK_SIZE) throw new RangeError(`expected 64×64 mask logits, got ${logits.length} values`);
  const window = boxToPixelWindow(box, image);
  const width = Math.max(0, window.right - window.left);
  const height = Math.max(0, window.bottom - window.top);
  const mask = new Uint8Array(width * height);
  if (width === 0 || height === 0) return { window, mask };
  const rows = horizontalPass(logits, VAE_MASK_SIZE, VAE_MASK_SIZE, width);
  if (height === VAE_MASK_SIZE) {
    // Pillow skips the vertical pass when the height is unchanged.
    for (let index = 0; index < mask.length; index += 1) if (rows[index] > 0) mask[index] = 1;
    return { window, mask };
  }
  const vertical = resampleCoefficients(VAE_MASK_SIZE, height);
  // Sum whole rows tap by tap: the same additions in the same order as Pillow's per-pixel loop, so the same result.
  const sums = new Float64Array(width);
  for (let y = 0; y < height; y += 1) {
    const first = vertical.first[y];
    const base = y * vertical.size;
    if (vertical.count[y] === 2) {
      // Enlarging (the usual case) reads two rows: 0 + a·w0 + b·w1 is exactly a·w0 + b·w1, so no sums buffer.
      const weight0 = vertical.weights[base];
      const weight1 = vertical.weights[base + 1];
      const row0 = first * width;
      const row1 = row0 + width;
      for (let x = 0; x < width; x += 1) if (Math.fround(rows[row0 + x] * weight0 + rows[row1 + x] * weight1) > 0) mask[y * width + x] = 1;
      continue;
    }
    sums.fill(0);
    for (let tap = 0; tap < vertical.count[y]; tap += 1) {
      const weight = vertical.weights[base + tap];
      const source = (first + tap) * width;
      for (let x = 0; x < width; x += 1) sums[x] += rows[source + x] * weight;
    }
    // Pillow stores the result as float32 before big_vision compares it with 0.
    for (let x = 0; x < width; x += 1) if (Math.fround(sums[x]) > 0) mask[y * width + x] = 1;
  }
  return { window, mask };
}

/**
 * The object's binary mask at image size (row-major, 1 inside): `maskInBox` pasted at its window, 0 elsewhere.
 * @example const mask = pasteMask(vae.decode(codes), box, { width: 640, height: 480 }) // Uint8Array(307200)
 */
export function pasteMask(logits: Float32Array, box: Box, image: ImageSize): Uint8Array {
  const { window, mask } = maskInBox(logits, box, image);
  const full = new Uint8Array(image.width * image.height);
  const width = window.right - window.left;
  for (let y = window.top; y < window.bottom; y += 1) {
    full.set(mask.subarray((y - window.top) * width, (y - window.top + 1) * width), y * image.width + window.left);
  }
  return full;
}
