import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawMask, maskIou, syntheticMasks } from '../../../test/synthetic-masks.js';
import { fillPolygons } from './fill-polygons.js';
import { maskToPolygons } from './polygons.js';
import { simplifyPolygon } from './simplify-polygon.js';

describe('maskToPolygons', () => {
  it.each(syntheticMasks())('outlines the $name mask exactly at tolerance 0 (fill reproduces every pixel)', ({ mask, width, height, blobs, holes }) => {
    const polygons = maskToPolygons(mask, width, height, { tolerance: 0 });
    expect(polygons).toHaveLength(blobs + holes);
    expect(fillPolygons(polygons, width, height)).toEqual(mask);
  });

  it.each(syntheticMasks())('keeps IoU ≥ 0.95 with the $name mask at the default tolerance, with far fewer vertices', ({ mask, width, height, blobs, holes }) => {
    const exact = maskToPolygons(mask, width, height, { tolerance: 0 });
    const polygons = maskToPolygons(mask, width, height);
    expect(polygons).toHaveLength(blobs + holes);
    expect(maskIou(fillPolygons(polygons, width, height), mask)).toBeGreaterThanOrEqual(0.95);
    expect(polygons.flat().length).toBeLessThan(exact.flat().length / 2);
    for (const polygon of polygons) {
      expect(polygon.length % 2).toBe(0);
      expect(polygon.length).toBeGreaterThanOrEqual(6);
      for (let index = 0; index < polygon.length; index += 2) {
        expect(polygon[index]).toBeGreaterThanOrEqual(0);
        expect(polygon[index]).toBeLessThanOrEqual(width);
        expect(polygon[index + 1]).toBeGreaterThanOrEqual(0);
        expect(polygon[index + 1]).toBeLessThanOrEqual(height);
      }
    }
  });

  it.each([
    ['a 2×2 block', [0, 0, 0, 0, 1, 1, 0, 1, 1], 3, 3, [[1, 1, 3, 1, 3, 3, 1, 3]]],
    ['the documented example', [0, 1, 1, 0, 1, 1], 3, 2, [[1, 0, 3, 0, 3, 2, 1, 2]]],
    ['one pixel (never simplified away)', [0, 0, 0, 0, 1, 0, 0, 0, 0], 3, 3, [[1, 1, 2, 1, 2, 2, 1, 2]]],
    // Pixels touching at a corner form one 8-connected blob: its outline passes the shared corner twice.
    ['a diagonal pair', [1, 0, 0, 1], 2, 2, [[0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 0, 1]]],
    ['an L (clockwise from the top-left corner)', [1, 0, 1, 1], 2, 2, [[0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 2]]],
    ['nothing', [0, 0, 0, 0], 2, 2, []],
  ])('outlines %s', (_name, pixels, width, height, expected) => {
    expect(maskToPolygons(new Uint8Array(pixels), width, height, { tolerance: 0 })).toEqual(expected);
    expect(maskToPolygons(new Uint8Array(pixels), width, height)).toHaveLength(expected.length);
  });

  it('gives a 3×3 square with a one-pixel hole an outer outline and a counter-clockwise hole', () => {
    const mask = drawMask(3, 3, (x, y) => x !== 1 || y !== 1);
    expect(maskToPolygons(mask, 3, 3, { tolerance: 0 })).toEqual([[0, 0, 3, 0, 3, 3, 0, 3], [1, 2, 2, 2, 2, 1, 1, 1]]);
    expect(maskToPolygons(mask, 3, 3, { tolerance: 0, holes: false })).toEqual([[0, 0, 3, 0, 3, 3, 0, 3]]);
  });

  it('outlines random masks exactly: blobs, holes, diagonal touches and borders (property)', () => {
    const masks = fc
      .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }), density: fc.double({ min: 0.1, max: 0.9, noNaN: true }) })
      .chain(({ width, height, density }) =>
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: width * height, maxLength: width * height })
          .map((draws) => ({ width, height, mask: Uint8Array.from(draws, (draw) => (draw < density ? 1 : 0)) })));
    fc.assert(
      fc.property(masks, ({ width, height, mask }) => {
        const polygons = maskToPolygons(mask, width, height, { tolerance: 0 });
        expect(fillPolygons(polygons, width, height)).toEqual(mask);
        expect(maskToPolygons(mask, width, height, { tolerance: 0, holes: false }).length).toBeLessThanOrEqual(polygons.length);
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('treats any non-zero byte as set', () => {
    const [{ mask, width, height }] = syntheticMasks();
    expect(maskToPolygons(mask.map((value) => value * 255), width, height)).toEqual(maskToPolygons(mask, width, height));
  });

  it('refuses a mask of the wrong length', () => {
    expect(() => maskToPolygons(new Uint8Array(5), 3, 2)).toThrow(/expected 3×2/);
  });
});

describe('simplifyPolygon', () => {
  it.each([
    ['drops a vertex within tolerance', [0, 0, 5, 0, 10, 0.2, 10, 10, 0, 10], 1, [0, 0, 10, 0.2, 10, 10, 0, 10]],
    ['keeps a vertex beyond tolerance', [0, 0, 5, -2, 10, 0, 10, 10, 0, 10], 1, [0, 0, 5, -2, 10, 0, 10, 10, 0, 10]],
    ['keeps everything at tolerance 0', [0, 0, 5, 0, 10, 0, 10, 10], 0, [0, 0, 5, 0, 10, 0, 10, 10]],
    ['never leaves fewer than three vertices', [0, 0, 1, 0, 1, 1, 0, 1], 5, [0, 0, 1, 0, 1, 1, 0, 1]],
  ])('%s', (_name, polygon, tolerance, expected) => {
    expect(simplifyPolygon(polygon, tolerance)).toEqual(expected);
  });
});

describe('fillPolygons', () => {
  it('fills pixel centres inside, even–odd across polygons', () => {
    expect(fillPolygons([[0, 0, 2, 0, 2, 1, 0, 1]], 3, 2)).toEqual(new Uint8Array([1, 1, 0, 0, 0, 0]));
    const frame = fillPolygons([[0, 0, 4, 0, 4, 4, 0, 4], [1, 1, 3, 1, 3, 3, 1, 3]], 4, 4);
    expect([...frame]).toEqual([1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  });
});
