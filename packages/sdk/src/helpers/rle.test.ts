import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRle, encodeRle } from './rle.js';

/** Row-major 0/1 mask of `width × height` where `inside(x, y)` holds. */
function drawMask(width: number, height: number, inside: (x: number, y: number) => boolean): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) mask[y * width + x] = inside(x, y) ? 1 : 0;
  return mask;
}

const disc = (x: number, y: number) => (x - 30) ** 2 + (y - 20) ** 2 <= 15 ** 2;
const synthetic: Array<[string, number, number, (x: number, y: number) => boolean]> = [
  ['disc', 64, 48, disc],
  ['ring', 64, 48, (x, y) => disc(x, y) && (x - 30) ** 2 + (y - 20) ** 2 > 8 ** 2],
  ['two blobs', 64, 48, (x, y) => (x - 12) ** 2 + (y - 12) ** 2 < 64 || (x >= 40 && x < 60 && y >= 30 && y < 45)],
  ['touching every border', 33, 17, (x, y) => x === 0 || y === 0 || x === 32 || y === 16 || x === y],
  ['empty', 10, 7, () => false],
  ['full', 10, 7, () => true],
  ['one column', 1, 9, (_x, y) => y % 3 === 0],
  ['one row', 9, 1, (x) => x > 4],
];

describe('encodeRle / decodeRle', () => {
  it.each([
    // [0 1 1]
    // [0 0 1]   column-major: 0 0 | 1 0 | 1 1  →  2 zeros, 1 one, 1 zero, 2 ones
    ['3×2 hand-made', [0, 1, 1, 0, 0, 1], 3, 2, [2, 1, 1, 2]],
    // [1 0]
    // [1 1]   column-major: 1 1 | 0 1; a mask that starts with a one gets an empty leading run of zeros.
    ['starts with a one', [1, 0, 1, 1], 2, 2, [0, 2, 1, 1]],
    ['all zeros', [0, 0, 0, 0, 0, 0], 3, 2, [6]],
    ['all ones', [1, 1, 1, 1, 1, 1], 2, 3, [0, 6]],
    // [1 0]
    // [1 0]
    // [0 1]   column-major: 1 1 0 | 0 0 1
    ['2×3 hand-made', [1, 0, 1, 0, 0, 1], 2, 3, [0, 2, 3, 1]],
    ['no pixels', [], 0, 0, [0]],
  ])('%s', (_name, pixels, width, height, counts) => {
    const mask = new Uint8Array(pixels);
    expect(encodeRle(mask, width, height)).toEqual({ size: [height, width], counts });
    expect(decodeRle({ size: [height, width], counts })).toEqual(mask);
  });

  it.each(synthetic)('round-trips the %s mask exactly', (_name, width, height, inside) => {
    const mask = drawMask(width, height, inside);
    const rle = encodeRle(mask, width, height);
    expect(rle.counts.reduce((sum, run) => sum + run, 0)).toBe(width * height);
    expect(rle.counts.slice(1).every((run) => run > 0)).toBe(true);
    expect(decodeRle(rle)).toEqual(mask);
  });

  it('round-trips random masks, with runs that alternate and cover the mask (property)', () => {
    const masks = fc
      .record({ width: fc.integer({ min: 0, max: 20 }), height: fc.integer({ min: 0, max: 20 }) })
      .chain(({ width, height }) =>
        fc.uint8Array({ min: 0, max: 1, minLength: width * height, maxLength: width * height }).map((mask) => ({ width, height, mask })));
    fc.assert(
      fc.property(masks, ({ width, height, mask }) => {
        const rle = encodeRle(mask, width, height);
        expect(rle.counts.reduce((sum, run) => sum + run, 0)).toBe(width * height);
        expect(rle.counts.slice(1).every((run) => run > 0)).toBe(true);
        expect(decodeRle(rle)).toEqual(mask);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('treats any non-zero byte as set', () => {
    expect(encodeRle(new Uint8Array([0, 255, 7, 0]), 2, 2).counts).toEqual([1, 2, 1]);
  });

  it.each([
    ['runs longer than the mask', { size: [2, 2] as [number, number], counts: [1, 4] }, /cover more than the 4 pixels/],
    ['runs shorter than the mask', { size: [2, 2] as [number, number], counts: [1, 2] }, /cover 3 of the 4 pixels/],
    ['a negative run', { size: [2, 2] as [number, number], counts: [1, -1] }, /not a non-negative integer/],
  ])('decodeRle refuses %s', (_name, rle, message) => {
    expect(() => decodeRle(rle)).toThrow(message);
  });

  it('encodeRle refuses a mask of the wrong length', () => {
    expect(() => encodeRle(new Uint8Array(5), 3, 2)).toThrow(/expected 3×2 = 6/);
  });
});
