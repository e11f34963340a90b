/** COCO RLE of an image-sized mask that is zero outside one window, computed from the window alone. */
import type { ImageSize, RleMask } from '@paligemma/sdk';
import { RleRuns } from '@paligemma/sdk/internal';
import type { WindowMask } from './paste-mask.js';

/**
 * The same RLE as `encodeRle` of the window pasted into an otherwise empty `image`-sized mask (column-major runs
 * starting with zeros), without building that mask: columns and rows outside the window only lengthen zero runs.
 * @example encodeWindowRle({ window: { left: 1, top: 0, right: 2, bottom: 1 }, mask: new Uint8Array([1]) }, { width: 2, height: 2 })
 * // { size: [2, 2], counts: [2, 1, 1] }
 */
export function encodeWindowRle({ window, mask }: WindowMask, image: ImageSize): RleMask {
  const runs = new RleRuns();
  const windowWidth = Math.max(0, window.right - window.left);
  if (windowWidth === 0 || window.bottom <= window.top) {
    runs.add(0, image.width * image.height);
    return runs.toRle(image.width, image.height);
  }
  runs.add(0, window.left * image.height); // the columns left of the window
  for (let x = 0; x < windowWidth; x += 1) {
    runs.add(0, window.top); // above the window
    runs.addColumn(mask, x, windowWidth);
    runs.add(0, image.height - window.bottom); // below it
  }
  runs.add(0, (image.width - window.right) * image.height); // the columns right of it
  return runs.toRle(image.width, image.height);
}
