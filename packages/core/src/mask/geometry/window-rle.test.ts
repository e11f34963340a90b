import { encodeRle } from '@paligemma/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWindowRle } from './window-rle.js';

/** The window pasted into an empty image-sized mask. */
function paste(window: { left: number; top: number; right: number; bottom: number }, mask: Uint8Array, width: number, height: number): Uint8Array {
  const full = new Uint8Array(width * height);
  const windowWidth = window.right - window.left;
  for (let y = window.top; y < window.bottom; y += 1) {
    for (let x = window.left; x < window.right; x += 1) full[y * width + x] = mask[(y - window.top) * windowWidth + x - window.left];
  }
  return full;
}

describe('encodeWindowRle', () => {
  it('equals encodeRle of the pasted mask for random windows and masks (property)', () => {
    const cases = fc
      .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) })
      .chain(({ width, height }) =>
        fc.record({
          width: fc.constant(width),
          height: fc.constant(height),
          left: fc.integer({ min: 0, max: width }),
          top: fc.integer({ min: 0, max: height }),
          windowWidth: fc.integer({ min: 0, max: width }),
          windowHeight: fc.integer({ min: 0, max: height }),
        }))
      .chain((shape) => {
        const window = {
          left: shape.left,
          top: shape.top,
          right: Math.min(shape.width, shape.left + shape.windowWidth),
          bottom: Math.min(shape.height, shape.top + shape.windowHeight),
        };
        const size = (window.right - window.left) * (window.bottom - window.top);
        return fc.uint8Array({ min: 0, max: 1, minLength: size, maxLength: size }).map((mask) => ({ ...shape, window, mask }));
      });
    fc.assert(
      fc.property(cases, ({ width, height, window, mask }) => {
        expect(encodeWindowRle({ window, mask }, { width, height })).toEqual(encodeRle(paste(window, mask, width, height), width, height));
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it.each([
    ['the documented example', { left: 1, top: 0, right: 2, bottom: 1 }, [1], 2, 2, [2, 1, 1]],
    ['an empty window', { left: 3, top: 1, right: 3, bottom: 2 }, [], 4, 2, [8]],
    ['a window filling the image', { left: 0, top: 0, right: 2, bottom: 1 }, [1, 0], 2, 1, [0, 1, 1]],
  ])('%s', (_name, window, pixels, width, height, counts) => {
    expect(encodeWindowRle({ window, mask: new Uint8Array(pixels) }, { width, height })).toEqual({ size: [height, width], counts });
  });
});
