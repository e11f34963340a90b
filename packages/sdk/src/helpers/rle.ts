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
  const runs = new RleRuns();
  for (let x = 0; x < width; x += 1) runs.addColumn(mask, x, width);
  return runs.toRle(width, height);
}

/**
 * COCO RLE counts built from pixels given in column-major order, one or many at a time: neighbouring runs of the
 * same value merge, and the counts start with a run of zeros that may be empty.
 * @example const runs = new RleRuns(); runs.add(0, 2); runs.add(1, 1); runs.toRle(3, 1) // { size: [1, 3], counts: [2, 1] }
 */
export class RleRuns {
  private readonly counts: number[] = [];
  private value = 0;
  private run = 0;

  /** Appends `length` pixels of `value` (any non-zero value counts as 1); for single pixels use `addColumn`. */
  add(value: number, length: number): void {
    if (length <= 0) return;
    const bit = value === 0 ? 0 : 1;
    if (bit !== this.value) {
      this.counts.push(this.run);
      this.run = 0;
      this.value = bit;
    }
    this.run += length;
  }

  /** Appends column `x` of a row-major 0/1 `mask` that is `width` pixels wide, top to bottom. */
  addColumn(mask: Uint8Array, x: number, width: number): void {
    // Locals instead of fields: this loop is the encoder's hot path.
    const counts = this.counts;
    let { value, run } = this;
    for (let index = x; index < mask.length; index += width) {
      const bit = mask[index] === 0 ? 0 : 1;
      if (bit !== value) {
        counts.push(run);
        run = 0;
        value = bit;
      }
      run += 1;
    }
    this.value = value;
    this.run = run;
  }

  /** Ends the runs: the RLE of the pixels added, for a `width` × `height` mask. Add nothing afterwards. */
  toRle(width: number, height: number): RleMask {
    this.counts.push(this.run);
    return { size: [height, width], counts: this.counts };
  }
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
