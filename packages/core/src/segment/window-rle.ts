/** COCO RLE of an image-sized mask that is zero outside one window, computed from the window alone. */
import type { ImageSize, RleMask } from '@paligemma/sdk';
import type { WindowMask } from './paste-mask.js';

/**
 * The same RLE as `encodeRle` of the window pasted into an otherwise empty `image`-sized mask (column-major runs
 * starting with zeros), without building that mask: columns and rows outside the window only lengthen zero runs.
 * @example encodeWindowRle({ window: { left: 1, top: 0, right: 2, bottom: 1 }, mask: new Uint8Array([1]) }, { width: 2, height: 2 })
 * // { size: [2, 2], counts: [2, 1, 1] }
 */
export function encodeWindowRle({ window, mask }: WindowMask, image: ImageSize): RleMask {
  const counts: number[] = [];
  const windowWidth = Math.max(0, window.right - window.left);
  const windowHeight = Math.max(0, window.bottom - window.top);
  let previous = 0;
  let run = 0;
  // Zeros before the window's first column, and above its first row.
  run += windowWidth > 0 && windowHeight > 0 ? window.left * image.height : image.width * image.height;
  if (windowWidth > 0 && windowHeight > 0) {
    const below = image.height - window.bottom;
    for (let x = 0; x < windowWidth; x += 1) {
      if (previous === 1 && window.top > 0) {
        counts.push(run);
        run = 0;
        previous = 0;
      }
      run += window.top;
      for (let index = x; index < mask.length; index += windowWidth) {
        const value = mask[index] === 0 ? 0 : 1;
        if (value !== previous) {
          counts.push(run);
          run = 0;
          previous = value;
        }
        run += 1;
      }
      if (below > 0) {
        if (previous === 1) {
          counts.push(run);
          run = 0;
          previous = 0;
        }
        run += below;
      }
    }
    const after = (image.width - window.right) * image.height;
    if (after > 0) {
      if (previous === 1) {
        counts.push(run);
        run = 0;
      }
      run += after;
    }
  }
  counts.push(run);
  return { size: [image.height, image.width], counts };
}
