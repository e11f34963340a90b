/** COCO run-length encoding of binary masks (the uncompressed `counts` list pycocotools reads and writes). */
import type { RleMask } from '../contract/geometry.js';

/**
 * Encodes a row-major 0/1 mask as COCO RLE: runs over the pixels in column-major order (down each column, then the
 * next column), alternating zeros and ones and starting with a run of zeros that may be empty — pycocotools'
 * convention, so `pycocotools.mask.frPyObjects(rle, h, w)` reads it back. Any non-zero byte counts as 1.
 * @example
 * // 2 rows × 3 columns: [0 1 1]
 * //                     [0 0 1]
 * encodeRle(new Uint8Array([0, 1, 1, 0, 0, 1]), 3, 2) // { size: [2, 3], counts: [2, 1, 1, 2] }
 */
export function encodeRle(mask: Uint8Array, width: number, height: number): RleMask {
  checkSize(width, height);
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width}×${height} = ${width * height}`);
  const counts: number[] = [];
  let previous = 0;
  let run = 0;
  for (let x = 0; x < width; x += 1) {
    for (let index = x; index < mask.length; index += width) {
      const value = mask[index] === 0 ? 0 : 1;
      if (value !== previous) {
        counts.push(run);
        run = 0;
        previous = value;
      }
      run += 1;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/**
 * Decodes COCO RLE into a row-major 0/1 mask of `size[0] × size[1]` pixels. Throws a `RangeError` when the runs do
 * not cover the mask exactly.
 * @example decodeRle({ size: [2, 3], counts: [2, 1, 1, 2] }) // Uint8Array [0, 1, 1, 0, 0, 1]
 */
export function decodeRle(rle: RleMask): Uint8Array {
  const [height, width] = rle.size;
  checkSize(width, height);
  const total = width * height;
  const mask = new Uint8Array(total);
  let position = 0;
  for (let run = 0; run < rle.counts.length; run += 1) {
    const length = rle.counts[run];
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`RLE run ${run} is ${length}, not a non-negative integer`);
    if (position + length > total) throw new RangeError(`RLE runs cover more than the ${total} pixels of a ${width}×${height} mask`);
    if (run % 2 === 1) {
      // Column-major position p is row p mod height, column ⌊p / height⌋.
      for (let p = position; p < position + length; p += 1) mask[(p % height) * width + Math.floor(p / height)] = 1;
    }
    position += length;
  }
  if (position !== total) throw new RangeError(`RLE runs cover ${position} of the ${total} pixels of a ${width}×${height} mask`);
  return mask;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`mask size must be non-negative integers, got ${width}×${height}`);
  }
}
